"""Maximal marginal relevance, so the top suggestions are not near-duplicates."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def mmr(
    candidates: np.ndarray,
    scores: np.ndarray,
    similarity: Callable[[np.ndarray], np.ndarray],
    k: int,
    relevance_weight: float = 0.8,
) -> list[int]:
    """Pick ``k`` of ``candidates`` trading score against similarity to those picked.

    Parameters
    ----------
    candidates
        Item indices, best first (typically a few times ``k`` of the top items).
    scores
        Their scores, same order; divided by the best one here so the trade-off does
        not depend on the model's scale (negative scores count as zero).
    similarity
        Returns the dense item-item similarity (in [0, 1]) of the given indices.
    relevance_weight
        1.0 keeps the score order; lower values penalise items similar to ones already
        picked more (Carbonell & Goldstein 1998).
    """
    candidates = np.asarray(candidates)
    if relevance_weight >= 1.0 or len(candidates) <= 1:
        return candidates[:k].tolist()
    values = np.clip(np.asarray(scores, dtype=np.float64), 0.0, None)
    top = values.max()
    relevance = values / top if top > 0 else np.ones_like(values)
    sim = np.clip(similarity(candidates), 0.0, 1.0)
    picked = [0]
    max_sim = sim[0].copy()
    available = np.ones(len(candidates), dtype=bool)
    available[0] = False
    while len(picked) < min(k, len(candidates)):
        gain = relevance_weight * relevance - (1.0 - relevance_weight) * max_sim
        gain[~available] = -np.inf
        best = int(np.argmax(gain))
        picked.append(best)
        available[best] = False
        max_sim = np.maximum(max_sim, sim[best])
    return candidates[picked].tolist()
