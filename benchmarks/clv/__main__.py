"""Run the CLV benchmark: ``python -m benchmarks.clv [--data PATH] [--out DIR]``.

Protocol: UCI Online Retail with the shared cleaning (CustomerID present, Quantity > 0,
UnitPrice > 0, no "C" invoices; amount = Quantity x UnitPrice). Calibration runs from
the first day (2010-12-01) to 2011-06-30 inclusive, the holdout from 2011-07-01 to
2011-12-09 inclusive (162 days). `marketing.clv.fit_clv` (BG/NBD + Gamma-Gamma) is
fitted on the calibration customers and predicts each one's holdout purchase days and
spend; the naive rate extrapolation x / T is scored on the same customers. Segments are
those of the customers as they stood at the end of calibration.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from benchmarks.clv.holdout import by_frequency, compare, rate_extrapolation, split_holdout
from benchmarks.clv.report import format_table, write_holdout_plot, write_json
from benchmarks.clv.retail_orders import DataMissing, OrderLine, read_order_lines
from benchmarks.clv.segments import segment_report
from marketing.clv import NotEnoughHistory, PurchaseSummary, fit_clv

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "online_retail" / "online_retail.csv.gz"
CALIBRATION_END = date(2011, 6, 30)
HOLDOUT_END = date(2011, 12, 9)
MODEL = "BG/NBD + Gamma-Gamma"
BASELINE = "rate extrapolation x/T"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    started = time.perf_counter()
    try:
        lines = read_order_lines(args.data)
    except DataMissing as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    with threadpool_limits(1):  # one BLAS/OpenMP thread: timings that compare from run to run
        try:
            report = run(lines, calibration_end=CALIBRATION_END, holdout_end=HOLDOUT_END)
        except NotEnoughHistory as thin:
            print(f"error: {thin}", file=sys.stderr)
            return 2
    report["seconds_total"] = round(time.perf_counter() - started, 1)
    print(format_table(report))
    write_json(report, args.out / "clv.json")
    write_holdout_plot(report, args.out / "clv_holdout.png")
    print(f"\nwrote {args.out / 'clv.json'} and {args.out / 'clv_holdout.png'}")
    return 0


def run(lines: Sequence[OrderLine], *, calibration_end: date, holdout_end: date) -> dict[str, Any]:
    """Fit on the calibration window, score both predictors on the holdout; the report."""
    holdout = split_holdout(lines, calibration_end, holdout_end)
    summary = holdout.summary
    started = time.perf_counter()
    model = fit_clv(summary)
    fit_seconds = time.perf_counter() - started
    predicted = model.predict(summary, horizon_days=holdout.days, annual_discount_rate=0.0)
    naive_purchases, naive_spend = rate_extrapolation(holdout)
    started = time.perf_counter()
    segments = segment_report(lines, calibration_end)
    segment_seconds = time.perf_counter() - started
    return {
        "date": date.today().isoformat(),
        "machine": _machine(),
        "protocol": {
            "calibration": f"{min(line.when for line in lines).date()} .. {calibration_end}",
            "holdout": f"{calibration_end + timedelta(days=1)} .. {holdout_end} "
            f"({holdout.days} days)",
            "purchase": "a distinct day with an order (same-day invoices merged)",
            "baseline": "calibration repeat-purchase rate x/T (0 when T = 0) x holdout days; "
            "spend = that x the customer's mean calibration order value",
        },
        "data": {
            "order_lines": len(lines),
            "calibration_customers": len(summary),
            "repeat_customers": model.repeat_customers,
        },
        "model": {
            "bgnbd": {k: round(v, 4) for k, v in vars(model.purchases).items()},
            "gamma_gamma": {k: round(v, 4) for k, v in vars(model.spend).items()},
            "mean_order_value": round(model.spend.mean_order_value, 2),
            "fit_seconds": round(fit_seconds, 2),
            "frequency_value_correlation": round(_correlation(summary), 4),
        },
        "holdout": {
            "purchases": {
                MODEL: compare(holdout.purchases, predicted.expected_purchases),
                BASELINE: compare(holdout.purchases, naive_purchases),
            },
            "spend": {
                MODEL: compare(holdout.spend, predicted.clv),
                BASELINE: compare(holdout.spend, naive_spend),
            },
            "by_frequency": by_frequency(
                summary.frequency,
                holdout.purchases,
                {MODEL: predicted.expected_purchases, BASELINE: naive_purchases},
            ),
        },
        "segments": {**segments, "seconds": round(segment_seconds, 2)},
    }


def _correlation(summary: PurchaseSummary) -> float:
    """Pearson correlation of x and mean order value over repeat customers (0 if undefined)."""
    repeat = summary.frequency > 0
    if repeat.sum() < 2:
        return 0.0
    value = np.corrcoef(summary.frequency[repeat], summary.monetary_value[repeat])[0, 1]
    return float(value) if np.isfinite(value) else 0.0


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.clv", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="online_retail.csv.gz")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
