import numpy as np

from recommender import Interactions, TrendRecommender
from tests.recommender.catalogue_data import CATALOGUE, DAY
from tests.recommender.recommender_contract import RecommenderContract


class TestTrendContract(RecommenderContract):
    personalised = False
    # The fixture's last baskets (fay, gus, hal) are the recent ones: wool scarf and
    # lanterns; gus bought the lanterns, hal the scarf.
    known_answers = {"gus": {3, 7}, "hal": {0, 1, 7}}

    def make_model(self) -> TrendRecommender:
        return TrendRecommender(short_days=7, shrinkage=1.0)


def test_trend_prefers_items_whose_customers_are_recent() -> None:
    # Item 1: six customers, one of them recent. Item 2: three customers, all recent.
    users = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
    items = [1, 1, 1, 1, 1, 1, 2, 2, 2]
    when = [0.0] * 5 + [99 * DAY] * 4
    events = Interactions.from_arrays(users, items, timestamps=when)
    model = TrendRecommender(short_days=14, shrinkage=1.0).fit(events, CATALOGUE)
    assert [s.item_id for s in model.recommend(None, k=2)] == [2, 1]
    assert model.recommend(None, k=1)[0].reason == "selling more and more lately"


def test_trend_shrinkage_favours_more_evidence() -> None:
    # Item 1: one recent customer out of one; item 2: eight recent out of ten.
    users = ["a"] + [f"u{i}" for i in range(10)]
    items = [1] + [2] * 10
    when = [99 * DAY] + [99 * DAY] * 8 + [0.0] * 2
    events = Interactions.from_arrays(users, items, timestamps=when)
    plain = TrendRecommender(short_days=14, shrinkage=0.0).fit(events, CATALOGUE)
    shrunk = TrendRecommender(short_days=14, shrinkage=5.0).fit(events, CATALOGUE)
    assert plain.recommend(None, k=1)[0].item_id == 1
    assert shrunk.recommend(None, k=1)[0].item_id == 2


def test_trend_long_window_ignores_older_customers() -> None:
    users = ["a", "b", "c", "d"]
    items = [1, 1, 1, 1]
    when = [0.0, 0.0, 95 * DAY, 99 * DAY]
    events = Interactions.from_arrays(users, items, timestamps=when)
    model = TrendRecommender(short_days=7, long_days=30, shrinkage=0.0).fit(events, CATALOGUE)
    index = model.catalogue_.index.get(1)
    np.testing.assert_allclose(model.item_scores_[index], 1.0)
