"""Print the comparison table and write the JSON and the reliability plot."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after use("Agg"): no display here

from marketing.tabular import reliability_bins

GOAL_AUC = 0.80
GOAL_CALIBRATION_ERROR = 0.01  # mean |predicted - observed| over 10 equal-count bins
COLOURS = ("#9cb9d9", "#e0a96d", "#c0392b", "#3b6ea8")
PLOT_BINS = 20


def format_table(report: dict[str, Any]) -> str:
    """The figures of every model side by side, the goals, and what ours chose."""
    data = report["data"]
    lines = [
        f"Bank Marketing lead-scoring benchmark  {report['date']}  {report['machine']}",
        f"{data['rows']:,} rows, {data['positives']:,} yes ({data['positive_rate']:.1%}); "
        f"{report['protocol']}",
        "",
        f"{'model':<34}{'ROC AUC':>9}{'(folds sd)':>11}{'AP':>8}{'Brier':>8}"
        f"{'ECE':>8}{'s/fold':>8}{'anchor':>8}",
    ]
    for row in report["models"]:
        anchor = row.get("anchor")
        lines.append(
            f"{row['name']:<34}{row['roc_auc']:>9.4f}{row['fold_roc_auc_sd']:>11.4f}"
            f"{row['average_precision']:>8.4f}{row['brier']:>8.4f}"
            f"{row['calibration_error']:>8.4f}{row['seconds_per_fold']:>8.1f}"
            f"{'' if anchor is None else f'{anchor:.3f}':>8}"
        )
    final = report["ours_final_model"]
    lines += [
        "",
        "ECE: mean |predicted - observed| over 10 equal-count bins of the out-of-fold predictions.",
        f"ours, fitted on every row: linear share of the blend {final['linear_weight']}, "
        f"{final['calibration']} calibration, {final['fold_models']} bagged fold models, "
        f"boosting iterations {final['boosting_iterations']}.",
        f"whole run: {report['seconds_total']:.0f} s",
        "",
        "goals: "
        + ", ".join(
            f"{goal} {'met' if met else 'NOT met'}" for goal, met in report["goals"].items()
        ),
    ]
    return "\n".join(lines)


def write_json(report: dict[str, Any], path: Path) -> None:
    """Write the report as JSON (small, meant to be committed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")


def write_calibration_plot(
    report: dict[str, Any],
    labels: Sequence[int],
    predictions: Mapping[str, np.ndarray],
    path: Path,
) -> None:
    """Reliability diagram of each model's out-of-fold predictions, their spread below."""
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(6.4, 7.0), dpi=90, gridspec_kw={"height_ratios": [3, 1.2]}, sharex=True
    )
    top.plot([0, 1], [0, 1], color="#888888", linestyle="--", linewidth=1, label="perfect")
    figures = {row["name"]: row for row in report["models"]}
    for colour, (name, p) in zip(COLOURS, predictions.items(), strict=False):
        bins = reliability_bins(labels, p, bins=PLOT_BINS)
        row = figures[name]
        label = f"{name} (AUC {row['roc_auc']:.3f}, ECE {row['calibration_error']:.3f})"
        top.plot(
            [b.mean_predicted for b in bins],
            [b.observed_rate for b in bins],
            marker="o",
            markersize=3,
            color=colour,
            label=label,
        )
        bottom.hist(p, bins=50, range=(0, 1), histtype="step", color=colour)
    top.set_ylabel("observed share of yes")
    top.set_title(
        f"Bank Marketing, out-of-fold predictions of 5-fold CV ({report['date']})", fontsize=9
    )
    top.legend(fontsize=7, loc="upper left")
    bottom.set_yscale("log")
    bottom.set_xlabel(f"predicted probability ({PLOT_BINS} equal-count bins above)")
    bottom.set_ylabel("rows")
    bottom.set_xlim(0, 1)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
