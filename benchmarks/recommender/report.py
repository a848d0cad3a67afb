"""Print the results table and write the JSON and the bar chart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after use("Agg"): no display here

# Anchors measured earlier on this machine kind (../shared/data/README.md), NDCG@10.
PUBLISHED_NDCG = {
    "popularity": 0.044,
    "implicit BM25 item-kNN": 0.096,
    "implicit ALS": 0.104,
}
GOALS = {"ndcg": 0.125, "p99_ms_online_retail": 5.0, "p99_ms_100k": 25.0, "train_seconds": 30.0}


def format_table(report: dict[str, Any]) -> str:
    """Return the accuracy table, latency and goals as plain text."""
    lines = [
        f"Online Retail recommender benchmark  {report['date']}  {report['machine']}",
        f"train < {report['cutoff']}, test after; {report['evaluated_users']} customers, "
        f"{report['catalogue_items']} items, k = {report['k']}",
        "",
        f"{'model':<26}{'P@10':>8}{'R@10':>8}{'NDCG@10':>9}{'cov@10':>8}{'fit s':>8}{'anchor':>8}",
    ]
    for row in report["models"]:
        anchor = PUBLISHED_NDCG.get(row["name"])
        lines.append(
            f"{row['name']:<26}{row['precision']:>8.4f}{row['recall']:>8.4f}{row['ndcg']:>9.4f}"
            f"{row['coverage']:>8.3f}{row['fit_seconds']:>8.2f}"
            f"{'' if anchor is None else f'{anchor:.3f}':>8}"
        )
    tuning = report["tuning"]
    lines += [
        "",
        f"ours = hybrid, weights and diversity tuned on a validation split of the TRAINING "
        f"window only ({tuning['validation']}); the test window was never used for tuning.",
        f"  weights {tuning['weights']}, diversity {tuning['diversity']}",
        f"  validation NDCG@10: default weights {tuning['ndcg_default']:.4f} (no diversity); "
        "tuned weights by diversity "
        + ", ".join(f"{d}: {v:.4f}" for d, v in tuning["ndcg_by_diversity"].items())
        + " (largest diversity within 2% of the best is kept)",
        "",
        "recommend() for one customer with constraints (price cap, 3 exclusions):",
    ]
    for name, lat in report["latency"].items():
        lines.append(
            f"  {name:<28} p50 {lat['p50_ms']:6.2f} ms   p99 {lat['p99_ms']:6.2f} ms   "
            f"({lat['requests']} requests; fit {lat['fit_seconds']:.1f} s)"
        )
    lines += [
        f"full training (fit of ours): {report['train_seconds']:.1f} s; "
        f"with validation tuning: {report['train_with_tuning_seconds']:.1f} s",
        "",
        "goals: "
        + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in report["goals"].items()),
    ]
    return "\n".join(lines)


def write_json(report: dict[str, Any], path: Path) -> None:
    """Write the report as JSON (small, meant to be committed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")


def write_chart(report: dict[str, Any], path: Path) -> None:
    """Draw NDCG@10 and Recall@10 per model, with the goal as a line."""
    names = [row["name"] for row in report["models"]]
    ndcg = [row["ndcg"] for row in report["models"]]
    recall = [row["recall"] for row in report["models"]]
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=90)
    x = range(len(names))
    ax.bar([i - 0.2 for i in x], ndcg, width=0.4, label="NDCG@10", color="#3b6ea8")
    ax.bar([i + 0.2 for i in x], recall, width=0.4, label="Recall@10", color="#9cb9d9")
    ax.axhline(GOALS["ndcg"], color="#c0392b", linestyle="--", linewidth=1, label="NDCG goal")
    for i, value in enumerate(ndcg):
        ax.text(i - 0.2, value + 0.002, f"{value:.3f}", ha="center", fontsize=8)
    ax.set_xticks(list(x), [n.replace("implicit ", "implicit\n") for n in names], fontsize=8)
    ax.set_title(f"Online Retail, test after {report['cutoff']} ({report['date']})", fontsize=9)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
