"""Run the lead-scoring benchmark: ``python -m benchmarks.lead_scoring [--data PATH]``.

Protocol (../shared/data/README.md): UCI Bank Marketing without `duration`, 5-fold
stratified CV shuffled with seed 0; ROC AUC, average precision and Brier score of the
out-of-fold predictions. Ours is `marketing.tabular.train_classifier`, the code that
trains the CRM's lead scorer; every choice it makes (categories, blend weight,
calibration, early stopping) is made inside each training fold. The baselines are
validated on the very same folds.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from benchmarks.lead_scoring.bank_dataset import (
    COLUMNS,
    RAW_COLUMNS,
    BankData,
    DataMissing,
    read_bank,
)
from benchmarks.lead_scoring.baselines import ANCHORS, BASELINES
from benchmarks.lead_scoring.report import (
    GOAL_AUC,
    GOAL_CALIBRATION_ERROR,
    format_table,
    write_calibration_plot,
    write_json,
)
from marketing.tabular import (
    ValidationMetrics,
    cross_validate,
    reliability_bins,
    train_classifier,
)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "bank_marketing" / "bank-full.csv"
FOLDS = 5
SEED = 0
OURS = "ours (blend, calibrated)"
OURS_RAW = "ours, raw columns only"


def main() -> int:
    args = _parse_args()
    try:
        data = read_bank(args.data)
    except DataMissing as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    # One thread for every model: comparable timings, and no OpenMP spinning on a busy box.
    started = time.perf_counter()
    with threadpool_limits(1):
        report, predictions = run(data, ablation=not args.skip_ablation)
    report["seconds_total"] = round(time.perf_counter() - started, 1)
    print(format_table(report))
    write_json(report, args.out / "lead_scoring.json")
    plot = args.out / "lead_scoring_calibration.png"
    write_calibration_plot(report, data.labels, predictions, plot)
    print(f"\nwrote {args.out / 'lead_scoring.json'} and {plot}")
    return 0


def run(data: BankData, *, ablation: bool = True) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Validate the baselines and ours on the same folds; the report and the predictions."""
    rows, labels = data.rows, data.labels
    models: list[dict[str, Any]] = []
    predictions: dict[str, np.ndarray] = {}
    for name, make_model in BASELINES.items():
        started = time.perf_counter()
        metrics, p = cross_validate(
            rows, labels, RAW_COLUMNS, folds=FOLDS, seed=SEED, make_model=make_model
        )
        models.append(_row(name, metrics, p, labels, started, anchor=ANCHORS[name]))
        predictions[name] = p
    if ablation:
        started = time.perf_counter()
        metrics, p = cross_validate(rows, labels, RAW_COLUMNS, folds=FOLDS, seed=SEED)
        models.append(_row(OURS_RAW, metrics, p, labels, started))
        predictions[OURS_RAW] = p
    started = time.perf_counter()
    result = train_classifier(rows, labels, COLUMNS, folds=FOLDS, seed=SEED)
    models.append(_row(OURS, result.metrics, result.cv_probabilities, labels, started, folds=6))
    predictions[OURS] = result.cv_probabilities
    ours = result.metrics
    best_baseline_brier = min(m["brier"] for m in models if m["name"] in BASELINES)
    report = {
        "date": date.today().isoformat(),
        "machine": _machine(),
        "protocol": f"drop `duration`; {FOLDS}-fold stratified CV, shuffled, seed {SEED}",
        "data": {
            "rows": len(labels),
            "positives": int(sum(labels)),
            "positive_rate": round(sum(labels) / len(labels), 4),
            "columns": [c.as_dict() for c in COLUMNS],
        },
        "models": models,
        "ours_final_model": _final_model(result.classifier.model),
        "goals": {
            f"ROC AUC >= {GOAL_AUC:.2f}": bool(ours.roc_auc >= GOAL_AUC),
            f"calibration error <= {GOAL_CALIBRATION_ERROR}": bool(
                ours.calibration_error <= GOAL_CALIBRATION_ERROR
            ),
            "Brier score below both baselines": bool(ours.brier < best_baseline_brier),
        },
    }
    return report, predictions


def _row(
    name: str,
    metrics: ValidationMetrics,
    p: np.ndarray,
    labels: list[int],
    started: float,
    *,
    anchor: float | None = None,
    folds: int = FOLDS,
) -> dict[str, Any]:
    """One model's figures; ``folds`` fits were timed (ours also fits once on every row)."""
    figures: dict[str, Any] = {"name": name, **metrics.as_dict()}
    figures["fold_roc_auc_sd"] = round(float(np.std(metrics.fold_roc_auc)), 4)
    figures["seconds_per_fold"] = round((time.perf_counter() - started) / folds, 1)
    figures["reliability"] = [
        {key: round(value, 4) for key, value in vars(b).items()}
        for b in reliability_bins(labels, p, bins=10)
    ]
    if anchor is not None:
        figures["anchor"] = anchor
    return figures


def _final_model(model: Any) -> dict[str, Any]:
    trees = [pair[0] for pair in model.models_ if pair[0] is not None]
    return {
        "linear_weight": model.linear_weight_,
        "calibration": model.calibration_,
        "fold_models": len(model.models_),
        "boosting_iterations": [int(t.n_iter_) for t in trees],
    }


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lead_scoring", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="bank-full.csv")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument(
        "--skip-ablation", action="store_true", help="leave out ours on the raw columns only"
    )
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
