"""Calibration summary and holdout truth per customer, and the figures that compare them.

Customers are those who bought in the calibration window (up to and including its last
day); a holdout purchase is a distinct day with an order in the holdout window, the
unit the BG/NBD counts (repeat purchase days), and holdout spend is everything they paid
in it. Customers who first bought in the holdout window are not predicted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from benchmarks.clv.retail_orders import OrderLine
from marketing.clv import PurchaseSummary, summarise

TOP_FREQUENCY = 7  # the plot's last group is "7+"


@dataclass(frozen=True, eq=False)
class Holdout:
    """Calibration summary and, in the same customer order, what happened afterwards."""

    summary: PurchaseSummary
    calibration_spend: np.ndarray
    purchases: np.ndarray
    spend: np.ndarray
    days: int


def split_holdout(lines: Sequence[OrderLine], calibration_end: date, holdout_end: date) -> Holdout:
    """Summarise lines up to ``calibration_end``; count days and spend in the rest."""
    calibration = [line for line in lines if line.when.date() <= calibration_end]
    summary = summarise(
        [line.customer for line in calibration],
        [line.when for line in calibration],
        [line.amount for line in calibration],
        observation_end=calibration_end,
    )
    spent: dict[int, float] = defaultdict(float)
    for line in calibration:
        spent[line.customer] += line.amount
    days: dict[int, set[date]] = defaultdict(set)
    later: dict[int, float] = defaultdict(float)
    for line in lines:
        if calibration_end < line.when.date() <= holdout_end:
            days[line.customer].add(line.when.date())
            later[line.customer] += line.amount
    ids = summary.customer_ids.tolist()
    return Holdout(
        summary=summary,
        calibration_spend=np.array([spent[c] for c in ids]),
        purchases=np.array([len(days.get(c, ())) for c in ids], dtype=float),
        spend=np.array([later.get(c, 0.0) for c in ids]),
        days=(holdout_end - calibration_end).days,
    )


def rate_extrapolation(holdout: Holdout) -> tuple[np.ndarray, np.ndarray]:
    """The naive baseline: repeat-purchase rate x / T times the holdout days (0 when T = 0),
    and that many orders at the customer's mean calibration order value (first one included).
    """
    s = holdout.summary
    rate = np.divide(s.frequency, s.T, out=np.zeros(len(s)), where=s.T > 0)
    purchases = rate * holdout.days
    return purchases, purchases * holdout.calibration_spend / (s.frequency + 1)


def compare(actual: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Totals, and the mean absolute and root mean squared error per customer.

    Both errors are shown because they reward different things on skewed figures: the
    median of what may happen minimises MAE, the expectation (what the model gives) RMSE.
    """
    error = predicted - actual
    return {
        "actual_total": round(float(actual.sum()), 1),
        "predicted_total": round(float(predicted.sum()), 1),
        "mae": round(float(np.mean(np.abs(error))), 4),
        "rmse": round(float(np.sqrt(np.mean(error**2))), 4),
    }


def by_frequency(
    frequency: np.ndarray, actual: np.ndarray, predicted: Mapping[str, np.ndarray]
) -> list[dict[str, Any]]:
    """Mean actual and predicted holdout purchases per calibration frequency 0..7+."""
    groups = np.minimum(frequency, TOP_FREQUENCY).astype(int)
    rows = []
    for group in range(TOP_FREQUENCY + 1):
        members = groups == group
        if not members.any():
            continue
        row: dict[str, Any] = {
            "frequency": f"{group}+" if group == TOP_FREQUENCY else str(group),
            "customers": int(members.sum()),
            "actual": round(float(actual[members].mean()), 4),
        }
        row.update({name: round(float(p[members].mean()), 4) for name, p in predicted.items()})
        rows.append(row)
    return rows
