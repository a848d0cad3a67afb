"""Popularity: how many customers took an item lately, the fallback for everyone."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommender.base import Recommender
from recommender.catalogue import Catalogue
from recommender.data import Context
from recommender.matrix import TrainingMatrix


class PopularityRecommender(Recommender):
    """Score items by the number of distinct customers, recent ones counting more.

    Parameters
    ----------
    half_life_days
        A customer whose newest event with the item is this old counts half; None
        counts everyone alike. Recency follows what sells now (seasons, new lines).
    """

    def __init__(self, half_life_days: float | None = 30.0) -> None:
        self.half_life_days = half_life_days

    def _fit(self, matrix: TrainingMatrix, catalogue: Catalogue) -> None:
        ages = matrix.age_days.tocsc()
        decayed = ages.copy()
        if self.half_life_days is None:
            decayed.data[:] = 1.0
        else:
            decayed.data = np.power(0.5, (ages.data - 1.0) / self.half_life_days)
        scores = np.asarray(decayed.sum(axis=0)).ravel()
        self.item_scores_ = scores / scores.max() if scores.max() > 0 else scores
        self._rank_in_category = _rank_within_category(self.item_scores_, catalogue)

    def score_rows(self, rows: sp.csr_matrix, context: Context | None = None) -> np.ndarray:
        return np.tile(self.item_scores_, (rows.shape[0], 1))

    def similar_scores(self, item_index: int) -> np.ndarray:
        same = self.catalogue_.category_codes == self.catalogue_.category_codes[item_index]
        return self.item_scores_ * same

    def explain(self, row: sp.csr_matrix, item_index: int, context: Context | None) -> str:
        category = self.catalogue_.items[item_index].category
        if category and self._rank_in_category[item_index] < 10:
            return f"one of the most popular in {category} right now"
        return "popular with customers right now"


def _rank_within_category(scores: np.ndarray, catalogue: Catalogue) -> np.ndarray:
    ranks = np.empty(len(scores), dtype=np.int64)
    for code in np.unique(catalogue.category_codes):
        members = np.flatnonzero(catalogue.category_codes == code)
        order = members[np.argsort(-scores[members], kind="stable")]
        ranks[order] = np.arange(len(order))
    return ranks
