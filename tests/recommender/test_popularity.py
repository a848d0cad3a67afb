from recommender import Interactions, PopularityRecommender
from tests.recommender.catalogue_data import CATALOGUE, DAY
from tests.recommender.recommender_contract import RecommenderContract


class TestPopularityContract(RecommenderContract):
    personalised = False
    known_answers = {"gus": {3}, "hal": {0}}  # most customers, not yet bought

    def make_model(self) -> PopularityRecommender:
        return PopularityRecommender(half_life_days=None)


def test_popularity_ranks_by_distinct_customers() -> None:
    model = PopularityRecommender(half_life_days=None).fit(
        Interactions.from_arrays(["a", "b", "c", "a", "a"], [1, 1, 1, 2, 2]), CATALOGUE
    )
    assert [s.item_id for s in model.recommend(None, k=2)] == [1, 2]


def test_popularity_recent_customers_count_more() -> None:
    events = Interactions.from_arrays(
        ["a", "b", "c", "d"], [1, 1, 2, 2], timestamps=[0, 0, 99 * DAY, 100 * DAY]
    )
    model = PopularityRecommender(half_life_days=7).fit(events, CATALOGUE)
    assert model.recommend(None, k=1)[0].item_id == 2


def test_popularity_reason_names_the_category() -> None:
    model = PopularityRecommender().fit(Interactions.from_arrays(["a"], [3]), CATALOGUE)
    assert model.recommend(None, k=1)[0].reason == "one of the most popular in textiles right now"
