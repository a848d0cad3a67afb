import numpy as np

from recommender.diversity import mmr

# Items 0-2 are near-duplicates; item 3 is different and scores a little lower.
SIMILARITY = np.array(
    [
        [1.0, 0.95, 0.95, 0.0],
        [0.95, 1.0, 0.95, 0.0],
        [0.95, 0.95, 1.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
    ]
)


def lookup(indices: np.ndarray) -> np.ndarray:
    return SIMILARITY[np.ix_(indices, indices)]


def test_mmr_promotes_a_different_item_over_near_duplicates() -> None:
    picked = mmr(np.arange(4), np.array([1.0, 0.98, 0.97, 0.8]), lookup, k=2, relevance_weight=0.6)
    assert picked == [0, 3]


def test_mmr_with_full_relevance_keeps_score_order() -> None:
    picked = mmr(np.arange(4), np.array([1.0, 0.98, 0.97, 0.8]), lookup, k=3, relevance_weight=1.0)
    assert picked == [0, 1, 2]


def test_mmr_returns_every_candidate_once_when_k_is_large() -> None:
    picked = mmr(np.arange(4), np.array([1.0, 0.9, 0.8, 0.7]), lookup, k=10, relevance_weight=0.5)
    assert sorted(picked) == [0, 1, 2, 3]
