import numpy as np
import scipy.sparse as sp

from recommender import HybridRecommender
from recommender.tuning import tune_hybrid, tune_weights
from tests.recommender.catalogue_data import CATALOGUE, make_interactions


def test_tune_weights_favours_the_informative_part() -> None:
    rng = np.random.default_rng(0)
    relevant = (rng.random((40, 30)) < 0.1).astype(float)
    scores = {"noise": rng.random((40, 30)), "signal": relevant + 0.5 * rng.random((40, 30))}
    weights, ndcg = tune_weights(scores, sp.csr_matrix(relevant), None, k=5)
    assert weights["noise"] == 1.0  # the anchor
    assert weights["signal"] == 2.0
    assert ndcg > 0.5


def test_tune_hybrid_sets_weights_and_diversity_on_the_model() -> None:
    model = HybridRecommender().fit(make_interactions(), CATALOGUE)
    result = tune_hybrid(model, {"gus": {2}, "hal": {4}}, k=2, diversities=(0.0, 0.5))
    assert model.weights == result.weights and model.diversity == result.diversity
    assert result.diversity in (0.0, 0.5)
    assert result.ndcg_tuned >= 0.98 * max(result.ndcg_by_diversity.values())
    assert result.ndcg_tuned > 0
