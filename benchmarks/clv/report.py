"""Print the holdout comparison and the segments; write the JSON and the holdout plot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after use("Agg"): no display here

LINE_COLOURS = (  # model, baseline
    "#c0392b",
    "#9cb9d9",
)


def format_table(report: dict[str, Any]) -> str:
    """Holdout figures of the model and the baseline, the fit, and the segments."""
    protocol, data, model = report["protocol"], report["data"], report["model"]
    lines = [
        f"Online Retail CLV benchmark  {report['date']}  {report['machine']}",
        f"calibration {protocol['calibration']}, holdout {protocol['holdout']}",
        f"{data['order_lines']:,} order lines; {data['calibration_customers']:,} calibration "
        f"customers, {data['repeat_customers']:,} with repeat purchases",
        "",
        f"BG/NBD {_params(model['bgnbd'])}; Gamma-Gamma {_params(model['gamma_gamma'])} "
        f"(mean order value {model['mean_order_value']:,.2f})",
        f"fit time {model['fit_seconds']:.2f} s; correlation of repeat customers' frequency and "
        f"mean order value {model['frequency_value_correlation']:.3f} (Gamma-Gamma assumes 0)",
        "",
        f"{'holdout':<10}{'predictor':<26}{'actual':>12}{'predicted':>12}{'MAE':>10}{'RMSE':>10}",
    ]
    for figure in ("purchases", "spend"):
        for name, row in report["holdout"][figure].items():
            lines.append(
                f"{figure:<10}{name:<26}{row['actual_total']:>12,.0f}"
                f"{row['predicted_total']:>12,.0f}{row['mae']:>10,.3f}{row['rmse']:>10,.3f}"
            )
    lines += ["MAE and RMSE per customer", "", "mean holdout purchases by calibration frequency:"]
    names = list(report["holdout"]["purchases"])
    lines.append(f"{'x':>4}{'customers':>11}{'actual':>9}" + "".join(f"{n:>26}" for n in names))
    for row in report["holdout"]["by_frequency"]:
        lines.append(
            f"{row['frequency']:>4}{row['customers']:>11,}{row['actual']:>9.3f}"
            + "".join(f"{row[n]:>26.3f}" for n in names)
        )
    lines += [
        "",
        *_segment_lines(report["segments"]),
        "",
        f"whole run, reading the CSV included: {report['seconds_total']} s",
    ]
    return "\n".join(lines)


def _segment_lines(segments: dict[str, Any]) -> list[str]:
    kmeans = segments["kmeans"]
    lines = [f"segments of the {segments['customers']:,} customers on {segments['as_of']}:"]
    lines.append(
        "  RFM: "
        + ", ".join(f"{name} {count:,}" for name, count in segments["rfm_segments"].items())
    )
    scores = ", ".join(f"{k}: {v:.3f}" for k, v in kmeans["silhouette"].items())
    lines.append(f"  k-means: k = {kmeans['k']} by silhouette ({scores})")
    header = "".join(f"{f.replace('_', ' '):>21}" for f in kmeans["features"])
    lines.append(f"    {'cluster':<36}{'customers':>10}{header}")
    for cluster in kmeans["clusters"]:
        values = "".join(f"{v:>21,.1f}" for v in cluster["centroid"].values())
        lines.append(f"    {cluster['name']:<36}{cluster['customers']:>10,}{values}")
    return lines


def _params(params: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.4g}" for k, v in params.items())


def write_json(report: dict[str, Any], path: Path) -> None:
    """Write the report as JSON (small, meant to be committed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")


def write_holdout_plot(report: dict[str, Any], path: Path) -> None:
    """Mean actual and predicted holdout purchases by calibration frequency (lifetimes-style)."""
    rows = report["holdout"]["by_frequency"]
    names = list(report["holdout"]["purchases"])
    positions = range(len(rows))
    fig, axis = plt.subplots(figsize=(6.4, 4.2), dpi=90)
    axis.plot(positions, [r["actual"] for r in rows], marker="o", color="#222222", label="actual")
    for colour, name in zip(LINE_COLOURS, names, strict=False):
        axis.plot(positions, [r[name] for r in rows], marker="s", color=colour, label=name)
    axis.set_xticks(list(positions), [f"{r['frequency']}\n({r['customers']:,})" for r in rows])
    axis.set_xlabel("repeat purchase days in calibration (customers)")
    axis.set_ylabel("mean purchase days in holdout")
    protocol = report["protocol"]
    axis.set_title(f"Online Retail, holdout {protocol['holdout']} ({report['date']})", fontsize=9)
    axis.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
