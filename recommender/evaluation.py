"""Ranking metrics that work for any recommender (or any list of recommended ids).

Definitions follow the Online Retail protocol (``../shared/data/README.md``): binary
gain; recall divides by min(|relevant|, k) and so does the ideal DCG, so a perfect
list scores 1 even when a customer has more than k relevant items.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
import scipy.sparse as sp

from recommender.base import Recommender
from recommender.constraints import Constraints
from recommender.data import ItemId, UserId


@dataclass(frozen=True)
class RankingMetrics:
    """Mean metrics over evaluated users, plus catalogue coverage of all lists together."""

    precision: float
    recall: float
    ndcg: float
    coverage: float
    users: int

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def ranking_metrics(
    recommended: Sequence[Sequence[Hashable]],
    relevant: Sequence[Collection[Hashable]],
    *,
    k: int,
    catalogue_size: int,
) -> RankingMetrics:
    """Compute Precision@k, Recall@k, NDCG@k and coverage@k for parallel lists."""
    if len(recommended) != len(relevant):
        raise ValueError("recommended and relevant must have one entry per user")
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    precision = recall = ndcg = 0.0
    shown: set[Hashable] = set()
    users = 0
    for items, wanted in zip(recommended, relevant, strict=True):
        if not wanted:
            continue
        users += 1
        top = list(items)[:k]
        shown.update(top)
        hits = np.array([item in wanted for item in top], dtype=float)
        ideal = min(len(wanted), k)
        precision += hits.sum() / k
        recall += hits.sum() / ideal
        ndcg += float(hits @ discounts[: len(hits)]) / discounts[:ideal].sum()
    if not users:
        return RankingMetrics(0.0, 0.0, 0.0, 0.0, 0)
    return RankingMetrics(
        precision / users, recall / users, ndcg / users, len(shown) / catalogue_size, users
    )


def evaluate(
    model: Recommender,
    relevant: Mapping[UserId, Collection[ItemId]],
    *,
    exclude: Mapping[UserId, Collection[ItemId]] | None = None,
    k: int = 10,
    constraints: Constraints | None = None,
) -> RankingMetrics:
    """Evaluate a fitted model through its public ``recommend`` (constraints and all).

    ``exclude`` adds per-user exclusions (typically what they bought in training).
    Stock is not checked by default: a past purchase was in stock when it happened.
    """
    base = constraints or Constraints(in_stock_only=False)
    users = list(relevant)
    recommended = []
    for user in users:
        extra = frozenset(exclude.get(user, ())) if exclude else frozenset()
        request = replace(base, exclude_ids=base.exclude_ids | extra)
        recommended.append([r.item_id for r in model.recommend(user, constraints=request, k=k)])
    return ranking_metrics(
        recommended, [relevant[u] for u in users], k=k, catalogue_size=len(model.catalogue_)
    )


def top_k_rows(scores: np.ndarray, excluded: sp.csr_matrix | None, k: int) -> np.ndarray:
    """Return the top-``k`` column indices per row of a dense score matrix, best first."""
    scores = np.array(scores, dtype=np.float64, copy=True)
    if excluded is not None:
        rows, cols = excluded.nonzero()
        scores[rows, cols] = -np.inf
    k = min(k, scores.shape[1])
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1)


def matrix_metrics(
    scores: np.ndarray, relevant: sp.csr_matrix, excluded: sp.csr_matrix | None, k: int
) -> RankingMetrics:
    """Metrics straight from a dense users x items score matrix (fast, for tuning)."""
    top = top_k_rows(scores, excluded, k)
    relevant = relevant.tocsr()
    wanted = [set(relevant[i].indices.tolist()) for i in range(relevant.shape[0])]
    return ranking_metrics(top.tolist(), wanted, k=k, catalogue_size=scores.shape[1])
