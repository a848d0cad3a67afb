import math

import numpy as np
import pytest
import scipy.sparse as sp

from recommender import PopularityRecommender, evaluate, ranking_metrics
from recommender.evaluation import matrix_metrics
from tests.recommender.catalogue_data import CATALOGUE, make_interactions


def test_ranking_metrics_known_values() -> None:
    metrics = ranking_metrics(
        [["a", "b", "c"], ["x", "y", "z"]], [{"b"}, {"q"}], k=3, catalogue_size=10
    )
    ndcg_first = (1 / math.log2(3)) / 1.0
    assert metrics.precision == pytest.approx((1 / 3 + 0) / 2)
    assert metrics.recall == pytest.approx(0.5)
    assert metrics.ndcg == pytest.approx(ndcg_first / 2)
    assert metrics.coverage == pytest.approx(0.6)
    assert metrics.users == 2


def test_ranking_metrics_perfect_list_scores_one_with_many_relevant() -> None:
    relevant = [set(range(20))]
    metrics = ranking_metrics([list(range(10))], relevant, k=10, catalogue_size=20)
    assert metrics.recall == pytest.approx(1.0) and metrics.ndcg == pytest.approx(1.0)


def test_ranking_metrics_skips_users_without_relevant_items() -> None:
    assert ranking_metrics([["a"]], [set()], k=1, catalogue_size=1).users == 0


def test_evaluate_runs_through_recommend_with_exclusions() -> None:
    model = PopularityRecommender(half_life_days=None).fit(make_interactions(), CATALOGUE)
    top = model.recommend("hal", k=1)[0].item_id
    hit = evaluate(model, {"hal": {top}}, k=1)
    missed = evaluate(model, {"hal": {top}}, exclude={"hal": {top}}, k=1)
    assert hit.ndcg == 1.0 and missed.ndcg == 0.0


def test_matrix_metrics_masks_excluded_items() -> None:
    scores = np.array([[3.0, 2.0, 1.0]])
    relevant = sp.csr_matrix(np.array([[0, 1, 0]]))
    assert matrix_metrics(scores, relevant, None, k=1).ndcg == 0.0
    excluded = sp.csr_matrix(np.array([[1, 0, 0]]))
    assert matrix_metrics(scores, relevant, excluded, k=1).ndcg == 1.0
