"""Trend: items whose customers are mostly recent ones, i.e. what is selling more lately.

Popularity counts customers (recent ones more); trend asks a different question: of an
item's customers, how many came in the last few days? Seasonal lines (Christmas
decorations in autumn) and new products score high long before their totals do.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommender.catalogue import Catalogue
from recommender.data import Context
from recommender.matrix import TrainingMatrix
from recommender.popularity import PopularityRecommender


class TrendRecommender(PopularityRecommender):
    """Score items by recent customers over all customers, shrunk towards zero.

    ``score = n(age <= short_days) / (n(age <= long_days) + shrinkage)``, where ``n``
    counts the customers whose newest event with the item is that recent.

    Parameters
    ----------
    short_days
        The "lately" window, in days before the end of training.
    long_days
        The reference window; None counts every customer.
    shrinkage
        Added to the denominator so an item with one recent customer out of one does
        not outrank one with forty out of fifty.
    """

    def __init__(
        self, short_days: float = 14.0, long_days: float | None = None, shrinkage: float = 5.0
    ) -> None:
        super().__init__(half_life_days=None)
        self.short_days = short_days
        self.long_days = long_days
        self.shrinkage = shrinkage

    def _fit(self, matrix: TrainingMatrix, catalogue: Catalogue) -> None:
        ages = matrix.age_days.tocsc()
        recent = _customers_within(ages, self.short_days)
        total = _customers_within(ages, self.long_days)
        denominator = total + self.shrinkage
        # Items nobody bought in the reference window score 0, not 0/0 (NaN).
        scores = np.divide(
            recent, denominator, out=np.zeros(len(recent), dtype=np.float64), where=denominator > 0
        )
        self.item_scores_ = scores / scores.max() if scores.max() > 0 else scores
        self._rank_in_category = np.zeros(len(scores), dtype=np.int64)

    def explain(self, row: sp.csr_matrix, item_index: int, context: Context | None) -> str:
        return "selling more and more lately"


def _customers_within(ages: sp.csc_matrix, days: float | None) -> np.ndarray:
    """Per item, the customers whose newest event is at most ``days`` old (None: all)."""
    if days is None:
        return np.diff(ages.indptr).astype(np.float64)
    # age_days is stored + 1 so that same-day events are not structural zeros.
    recent = (ages.data <= days + 1.0).astype(np.float64)
    counts = sp.csc_matrix((recent, ages.indices, ages.indptr), shape=ages.shape).sum(axis=0)
    return np.asarray(counts).ravel()
