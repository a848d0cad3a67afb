"""Run the recommender benchmark: ``python -m benchmarks.recommender [--data PATH]``."""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

from benchmarks.recommender.baselines import Result, run_baselines
from benchmarks.recommender.latency import synthetic_shop, time_requests
from benchmarks.recommender.report import GOALS, format_table, write_chart, write_json
from benchmarks.recommender.retail_dataset import Split, read_purchases, split
from recommender import HybridRecommender, evaluate
from recommender.tuning import TuningResult, tune_hybrid

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "online_retail" / "online_retail.csv.gz"
CUTOFF = datetime(2011, 10, 1)
VALIDATION_CUTOFF = datetime(2011, 9, 1)  # last training month held out for tuning
K = 10


def main() -> None:
    args = _parse_args()
    # implicit parallelises itself; a BLAS thread pool on top only fights it.
    with threadpool_limits(1, "blas"):
        report = run(args)
    print(format_table(report))
    write_json(report, args.out / "recommender.json")
    write_chart(report, args.out / "recommender.png")
    print(f"\nwrote {args.out / 'recommender.json'} and {args.out / 'recommender.png'}")


def run(args: argparse.Namespace) -> dict[str, Any]:
    purchases = read_purchases(args.data)
    test = split(purchases, CUTOFF)
    validation = split(purchases, VALIDATION_CUTOFF, end=CUTOFF)

    start = time.perf_counter()
    tuned_model = HybridRecommender().fit(validation.interactions, validation.items)
    tuning = tune_hybrid(tuned_model, validation.relevant, k=K)
    tuning_seconds = time.perf_counter() - start

    results = run_baselines(test, k=K)
    start = time.perf_counter()
    ours = HybridRecommender(weights=tuning.weights, diversity=tuning.diversity)
    ours.fit(test.interactions, test.items)
    fit_seconds = time.perf_counter() - start
    metrics = evaluate(ours, test.relevant, exclude=test.bought, k=K)
    results.append(Result("ours (hybrid)", metrics, fit_seconds))

    latency = {"Online Retail catalogue": _latency(ours, fit_seconds, args.requests)}
    if args.synthetic_items:
        items, interactions = synthetic_shop(n_items=args.synthetic_items)
        start = time.perf_counter()
        big = HybridRecommender(weights=tuning.weights, diversity=tuning.diversity)
        big.fit(interactions, items)
        label = f"synthetic {args.synthetic_items // 1000}k items"
        latency[label] = _latency(big, time.perf_counter() - start, args.requests)
    return _report(test, results, tuning, latency, fit_seconds, tuning_seconds)


def _latency(model: HybridRecommender, fit_seconds: float, requests: int) -> dict[str, float]:
    timing = time_requests(model, list(model.users_.ids), requests=requests)
    return {**timing.__dict__, "fit_seconds": round(fit_seconds, 2)}


def _report(
    test: Split,
    results: list[Result],
    tuning: TuningResult,
    latency: dict[str, dict[str, float]],
    fit_seconds: float,
    tuning_seconds: float,
) -> dict[str, Any]:
    ours = results[-1].metrics
    p99 = [lat["p99_ms"] for lat in latency.values()]
    goals = {
        "NDCG@10 >= 0.125": bool(ours.ndcg >= GOALS["ndcg"]),
        "p99 <= 5 ms (Online Retail)": bool(p99[0] <= GOALS["p99_ms_online_retail"]),
        "training <= 30 s": bool(fit_seconds <= GOALS["train_seconds"]),
    }
    if len(p99) > 1:
        goals["p99 <= 25 ms (100k items)"] = bool(p99[1] <= GOALS["p99_ms_100k"])
    return {
        "date": date.today().isoformat(),
        "machine": _machine(),
        "cutoff": CUTOFF.date().isoformat(),
        "k": K,
        "evaluated_users": ours.users,
        "catalogue_items": len(test.items),
        "models": [
            {"name": r.name, **r.metrics.as_dict(), "fit_seconds": round(r.fit_seconds, 3)}
            for r in results
        ],
        "tuning": {
            "validation": f"fit < {VALIDATION_CUTOFF.date()}, validate on "
            f"{VALIDATION_CUTOFF.date()}..{CUTOFF.date()}",
            "weights": tuning.weights,
            "diversity": tuning.diversity,
            "ndcg_default": round(tuning.ndcg_default, 4),
            "ndcg_tuned": round(tuning.ndcg_tuned, 4),
            "ndcg_by_diversity": {str(d): round(v, 4) for d, v in tuning.ndcg_by_diversity.items()},
            "seconds": round(tuning_seconds, 1),
        },
        "latency": latency,
        "train_seconds": round(fit_seconds, 2),
        "train_with_tuning_seconds": round(fit_seconds + tuning_seconds, 2),
        "goals": goals,
    }


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.recommender", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="online_retail.csv.gz")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--requests", type=int, default=1_000, help="timed recommend() calls")
    parser.add_argument(
        "--synthetic-items", type=int, default=100_000, help="0 skips the synthetic catalogue"
    )
    return parser.parse_args()


if __name__ == "__main__":
    main()
