"""RFM scores 1-5 by rank-based quintiles, and the named segment of each R x FM cell.

Scores are quintiles of each customer's rank, 5 the best (most recent, most orders,
highest spend): the share of the other customers with a strictly lower value, cut into
fifths. Equal values share a score (so with many one-order customers they all score 1
and score 2 may stay empty), and any number of customers works: one scores 3, three
distinct ones score 1, 3 and 5. The segment comes from the recency score and FM, the
mean of the frequency and monetary scores rounded half up, through `SEGMENT_GRID` (the
usual R x FM grid of eleven segments, with "lost" for the oldest, smallest customers).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import rankdata

SCORES = 5

# Segment by recency score (rows) and FM score 1..5 (columns, left to right).
SEGMENT_GRID: dict[int, tuple[str, str, str, str, str]] = {
    5: ("new_customers", "potential_loyalist", "potential_loyalist", "champions", "champions"),
    4: ("promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"),
    3: ("about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"),
    2: ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"),
    1: ("lost", "lost", "at_risk", "at_risk", "cant_lose"),
}

LABELS: dict[str, str] = {
    "champions": "Champions",
    "loyal": "Loyal customers",
    "potential_loyalist": "Potential loyalists",
    "new_customers": "New customers",
    "promising": "Promising",
    "need_attention": "Need attention",
    "about_to_sleep": "About to sleep",
    "at_risk": "At risk",
    "cant_lose": "Can't lose them",
    "hibernating": "Hibernating",
    "lost": "Lost",
}


@dataclass(frozen=True)
class RfmScore:
    """One customer's recency, frequency and monetary scores (5 best) and segment."""

    customer_id: Hashable
    recency: int
    frequency: int
    monetary: int
    segment: str

    @property
    def code(self) -> str:
        """The scores as the usual three digits, e.g. "545"."""
        return f"{self.recency}{self.frequency}{self.monetary}"


def compute_rfm(
    customer_ids: Sequence[Hashable],
    last_order_days_ago: ArrayLike,
    order_counts: ArrayLike,
    total_spent: ArrayLike,
) -> list[RfmScore]:
    """Score and segment every customer against the others given, in the order given."""
    days = _column(last_order_days_ago, "last_order_days_ago")
    counts = _column(order_counts, "order_counts")
    spent = _column(total_spent, "total_spent")
    if not len(customer_ids) == len(days) == len(counts) == len(spent):
        raise ValueError("customer_ids and the three columns must have the same length")
    if len(days) == 0:
        return []
    recency, frequency, monetary = (
        quintile_scores(-days),
        quintile_scores(counts),
        quintile_scores(spent),
    )
    return [
        RfmScore(customer, int(r), int(f), int(m), segment(int(r), int(f), int(m)))
        for customer, r, f, m in zip(customer_ids, recency, frequency, monetary, strict=True)
    ]


def quintile_scores(values: ArrayLike) -> np.ndarray:
    """Scores 1..5 from the share of the other customers with a strictly lower value.

    That share (SQL's PERCENT_RANK) is the same for equal values, 0 for the lowest and 1
    for the highest; it is cut into fifths. A lone customer sits in the middle (3).
    """
    column = np.asarray(values, dtype=float)
    if len(column) < 2:
        return np.full(len(column), (SCORES + 1) // 2, dtype=int)
    share_below = (rankdata(column, method="min") - 1) / (len(column) - 1)
    return np.clip(np.floor(share_below * SCORES).astype(int) + 1, 1, SCORES)


def segment(recency: int, frequency: int, monetary: int) -> str:
    """The segment of one score combination, from `SEGMENT_GRID`."""
    for score in (recency, frequency, monetary):
        if not 1 <= score <= SCORES:
            raise ValueError(f"RFM scores run from 1 to {SCORES}, not {score}")
    fm = (frequency + monetary + 1) // 2  # the mean, rounded half up
    return SEGMENT_GRID[recency][fm - 1]


def label(segment_name: str) -> str:
    """The readable name of a segment, e.g. "Can't lose them" for ``cant_lose``."""
    try:
        return LABELS[segment_name]
    except KeyError:
        raise ValueError(f"unknown RFM segment {segment_name!r}") from None


def _column(values: ArrayLike, name: str) -> np.ndarray:
    column = np.asarray(values, dtype=float).reshape(-1)
    if not np.all(np.isfinite(column)):
        raise ValueError(f"{name} must be finite numbers")
    return column
