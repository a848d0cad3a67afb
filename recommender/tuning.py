"""Blend weights tuned on a validation split by coordinate ascent on NDCG@k."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommender.data import ItemId, UserId
from recommender.evaluation import evaluate, matrix_metrics
from recommender.hybrid import HybridRecommender

DEFAULT_GRID: tuple[float, ...] = (0.0, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0)


def tune_weights(
    scores: Mapping[str, np.ndarray],
    relevant: sp.csr_matrix,
    excluded: sp.csr_matrix | None,
    *,
    k: int = 10,
    grid: Sequence[float] = DEFAULT_GRID,
    rounds: int = 3,
    anchor: str | None = None,
) -> tuple[dict[str, float], float]:
    """Return the blend weights with the best validation NDCG@k, and that NDCG.

    ``scores`` are each part's (already scaled) users x items scores on the validation
    users. One weight (``anchor``, default the first part) stays at 1 because only
    ratios matter; the others are set one at a time to the best grid value, for a few
    rounds. Cheap (a few dozen dense rankings) and hard to overfit with a coarse grid.
    """
    names = list(scores)
    anchor = anchor or names[0]
    weights = dict.fromkeys(names, 1.0)

    def ndcg(candidate: dict[str, float]) -> float:
        blended = sum(
            (w * scores[n] for n, w in candidate.items() if w), np.zeros_like(scores[anchor])
        )
        return matrix_metrics(blended, relevant, excluded, k).ndcg

    best = ndcg(weights)
    for _ in range(rounds):
        improved = False
        for name in names:
            if name == anchor:
                continue
            for value in grid:
                if value == weights[name]:
                    continue
                trial = {**weights, name: value}
                score = ndcg(trial)
                if score > best + 1e-6:
                    best, weights, improved = score, trial, True
        if not improved:
            break
    return weights, best


@dataclass(frozen=True)
class TuningResult:
    """What tuning chose, and the validation NDCG@k before and after."""

    weights: dict[str, float]
    diversity: float
    ndcg_default: float
    ndcg_tuned: float
    ndcg_by_diversity: dict[float, float]


def tune_hybrid(
    model: HybridRecommender,
    relevant: Mapping[UserId, Collection[ItemId]],
    *,
    k: int = 10,
    diversities: Sequence[float] = (0.0, 0.1, 0.2, 0.3),
    tolerance: float = 0.02,
    grid: Sequence[float] = DEFAULT_GRID,
) -> TuningResult:
    """Tune a fitted hybrid's weights, then its diversity, on held-out relevant items.

    ``model`` must be fitted on data that ends before the validation period. The
    diversity chosen is the largest whose NDCG@k is within ``tolerance`` (relative) of
    the best one: near-duplicates cost little accuracy to remove but annoy customers.
    The model is left with the chosen settings.
    """
    users = [u for u in relevant if u in model.users_]
    rows = model.users_.lookup(users)
    user_rows = model.matrix_.weights[rows]
    item_index = model.catalogue_.index
    wanted = sp.lil_matrix(user_rows.shape, dtype=np.float32)
    for i, user in enumerate(users):
        cols = item_index.lookup(list(relevant[user]))
        wanted[i, cols[cols >= 0]] = 1.0
    excluded = model.matrix_.purchased[rows]
    scores = model.component_scores(user_rows)
    default = {name: model.weights.get(name, 0.0) for name in scores}
    blended = sum(w * scores[n] for n, w in default.items() if w)
    ndcg_default = matrix_metrics(blended, wanted.tocsr(), excluded, k).ndcg
    anchor = "ease" if "ease" in scores else None
    weights, _ = tune_weights(scores, wanted.tocsr(), excluded, k=k, grid=grid, anchor=anchor)
    model.weights = weights
    by_diversity = {}
    for diversity in diversities:
        model.diversity = diversity
        by_diversity[diversity] = evaluate(model, {u: relevant[u] for u in users}, k=k).ndcg
    best = max(by_diversity.values())
    model.diversity = max(d for d, v in by_diversity.items() if v >= best * (1 - tolerance))
    return TuningResult(
        weights, model.diversity, ndcg_default, by_diversity[model.diversity], by_diversity
    )
