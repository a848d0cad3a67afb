import numpy as np
import pytest

from recommender import ALSRecommender, EASERecommender, ItemKNNRecommender
from recommender.matrix import log_scaled
from tests.recommender.catalogue_data import CATALOGUE, make_interactions
from tests.recommender.recommender_contract import RecommenderContract


class TestItemKNNBM25Contract(RecommenderContract):
    def make_model(self) -> ItemKNNRecommender:
        return ItemKNNRecommender(neighbours=10, num_threads=1)


class TestItemKNNCosineContract(RecommenderContract):
    def make_model(self) -> ItemKNNRecommender:
        return ItemKNNRecommender(neighbours=10, similarity="cosine", num_threads=1)


class TestEASEContract(RecommenderContract):
    def make_model(self) -> EASERecommender:
        return EASERecommender(regularization=1.0)


class TestALSContract(RecommenderContract):
    def make_model(self) -> ALSRecommender:
        return ALSRecommender(factors=8, regularization=0.01, iterations=30, num_threads=1)


def test_item_knn_reason_names_the_co_purchased_item() -> None:
    model = ItemKNNRecommender(num_threads=1).fit(make_interactions(), CATALOGUE)
    top = model.recommend("hal", k=1)[0]
    assert top.reason == "popular with customers who bought Wool Scarf"


def test_ease_refuses_catalogues_over_its_limit() -> None:
    with pytest.raises(ValueError, match="limited to 5 items"):
        EASERecommender(max_items=5).fit(make_interactions(), CATALOGUE)


def test_als_user_factors_match_implicits_solver() -> None:
    model = ALSRecommender(factors=4, iterations=5, num_threads=1).fit(
        make_interactions(), CATALOGUE
    )
    rows = model.matrix_.weights
    ours = model.user_factors(rows)
    theirs = model.model_.recalculate_user(np.arange(rows.shape[0]), log_scaled(rows))
    np.testing.assert_allclose(ours, theirs, atol=1e-3)


def test_item_knn_rejects_unknown_similarity() -> None:
    with pytest.raises(ValueError):
        ItemKNNRecommender(similarity="jaccard")
