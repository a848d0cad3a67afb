"""The hybrid: a weighted blend of collaborative, content and popularity scores.

Each part's scores are scaled per user to a maximum of one before blending, so the
weights mean the same thing whatever a model's scale; the weights are tuned on a
validation split (see :mod:`recommender.tuning`). The top of the blended list is then
re-ranked with MMR over content similarity so it is not a row of near-duplicates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from recommender.base import Recommender, top_k
from recommender.catalogue import Catalogue
from recommender.collaborative import ALSRecommender, EASERecommender, ItemKNNRecommender
from recommender.content import ContentRecommender
from recommender.data import Context, Item
from recommender.diversity import mmr
from recommender.matrix import TrainingMatrix
from recommender.popularity import PopularityRecommender
from recommender.trend import TrendRecommender

# A starting point from an exploratory blend on the Online Retail validation month;
# tune per shop with recommender.tuning.tune_hybrid (benchmarks/README.md).
DEFAULT_WEIGHTS: dict[str, float] = {
    "ease": 1.0,
    "item_knn": 0.5,
    "als": 0.25,
    "content": 1.0,
    "popularity": 0.5,
    "trend": 2.0,
}


def default_components(n_items: int, ease_max_items: int = 8_000) -> dict[str, Recommender]:
    """Return the standard parts; EASE only where its dense item matrix fits in memory."""
    parts: dict[str, Recommender] = {}
    if n_items <= ease_max_items:
        parts["ease"] = EASERecommender(max_items=ease_max_items)
    parts["item_knn"] = ItemKNNRecommender()
    parts["als"] = ALSRecommender()
    parts["content"] = ContentRecommender()
    parts["popularity"] = PopularityRecommender()
    parts["trend"] = TrendRecommender()
    return parts


class HybridRecommender(Recommender):
    """Blend several recommenders fitted on the same matrices.

    Parameters
    ----------
    components
        Name -> unfitted recommender; None uses :func:`default_components`.
    weights
        Name -> blend weight; parts without a weight (or with 0) are fitted but ignored.
    diversity
        0 keeps the blended order; up to 1 trades score for dissimilarity (MMR).
    candidate_pool
        MMR chooses among ``candidate_pool * k`` top items.
    ease_max_items
        Largest catalogue for which the default parts include EASE.
    mention_boost
        Added to items the customer named in the conversation ("a scarf"), on top of the
        content score, so what they asked for beats what is merely popular or trending;
        it is multiplied by the sum of the blend weights, so it keeps its meaning
        whatever scale tuning gives them.
    """

    def __init__(
        self,
        components: Mapping[str, Recommender] | None = None,
        weights: Mapping[str, float] | None = None,
        diversity: float = 0.2,
        candidate_pool: int = 4,
        ease_max_items: int = 8_000,
        mention_boost: float = 1.0,
    ) -> None:
        self.components = dict(components) if components is not None else None
        self.weights = dict(weights if weights is not None else DEFAULT_WEIGHTS)
        self.diversity = diversity
        self.candidate_pool = candidate_pool
        self.ease_max_items = ease_max_items
        self.mention_boost = mention_boost

    def _fit(self, matrix: TrainingMatrix, catalogue: Catalogue) -> None:
        parts = self.components or default_components(len(catalogue), self.ease_max_items)
        self.components_ = {
            name: part.fit_matrix(matrix, catalogue, self.users_) for name, part in parts.items()
        }

    def active_parts(self) -> dict[str, float]:
        """Return name -> weight of the fitted parts that take part in the blend."""
        return {n: w for n, w in self.weights.items() if w and n in self.components_}

    def component_scores(
        self, rows: sp.csr_matrix, context: Context | None = None
    ) -> dict[str, np.ndarray]:
        """Return each fitted part's scores for ``rows``, scaled to a row maximum of one."""
        return {
            name: _scaled(part.score_rows(rows, context)) for name, part in self.components_.items()
        }

    def score_rows(self, rows: sp.csr_matrix, context: Context | None = None) -> np.ndarray:
        total, _ = self._blend(rows, context)
        return total

    def similar_scores(self, item_index: int) -> np.ndarray:
        total = np.zeros(len(self.catalogue_))
        for name, weight in self.active_parts().items():
            total += weight * _scaled(self.components_[name].similar_scores(item_index)[None, :])[0]
        return total

    def _blend(
        self, rows: sp.csr_matrix, context: Context | None
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        parts = {
            name: weight * _scaled(self.components_[name].score_rows(rows, context))
            for name, weight in self.active_parts().items()
        }
        content = self.components_.get("content")
        if context is not None and context.text.strip() and isinstance(content, ContentRecommender):
            match = content.phrases_.find(context.text)
            if match.phrases:
                mentioned = parts.get("content", np.zeros((rows.shape[0], len(self.catalogue_))))
                boost = self.mention_boost * sum(self.active_parts().values())
                parts["content"] = mentioned + boost * content.mention_scores(match)
        total = sum(parts.values(), np.zeros((rows.shape[0], len(self.catalogue_))))
        return total, parts

    def _score_request(self, row: sp.csr_matrix, context: Context | None) -> tuple[np.ndarray, Any]:
        total, parts = self._blend(row, context)
        return total[0], {name: values[0] for name, values in parts.items()}

    def _select(self, scores: np.ndarray, mask: np.ndarray, k: int) -> list[int]:
        content = self.components_.get("content")
        if self.diversity <= 0 or not isinstance(content, ContentRecommender):
            return top_k(scores, mask, k)
        pool = np.asarray(top_k(scores, mask, k * self.candidate_pool), dtype=np.int64)
        return mmr(pool, scores[pool], content.item_similarity, k, 1.0 - self.diversity)

    def _reasons(
        self, row: sp.csr_matrix, context: Context | None, chosen: list[int], parts: Any
    ) -> list[str]:
        if not parts:
            return ["picked for you"] * len(chosen)
        # Each item is explained by the part that contributed most to its score.
        by_part: dict[str, list[int]] = {}
        for index in chosen:
            by_part.setdefault(max(parts, key=lambda n: parts[n][index]), []).append(index)
        reasons: dict[int, str] = {}
        for name, indices in by_part.items():
            texts = self.components_[name].explain_many(row, indices, context)
            reasons.update(zip(indices, texts, strict=True))
        return [reasons[index] for index in chosen]

    def _fold_in(self, user_indices: np.ndarray) -> None:
        for part in self.components_.values():
            part.matrix_, part.users_ = self.matrix_, self.users_
            part._fold_in(user_indices)

    def update_items(self, items: list[Item]) -> None:
        super().update_items(items)
        for part in self.components_.values():
            part.catalogue_ = self.catalogue_


def _scaled(scores: np.ndarray) -> np.ndarray:
    """Divide each row by its maximum (when positive) so parts blend on one scale."""
    scores = np.asarray(scores, dtype=np.float64)
    top = scores.max(axis=1, keepdims=True) if scores.size else np.ones((scores.shape[0], 1))
    return scores / np.where(top > 0, top, 1.0)
