from recommender import Constraints, ContentRecommender, Context
from tests.recommender.catalogue_data import CATALOGUE, make_interactions
from tests.recommender.recommender_contract import RecommenderContract


class TestContentContract(RecommenderContract):
    known_answers = {"gus": {2}, "hal": {8}}

    def make_model(self) -> ContentRecommender:
        return ContentRecommender()


def test_content_suggests_a_product_nobody_bought_yet() -> None:
    model = ContentRecommender().fit(make_interactions(), CATALOGUE)
    top = model.recommend("hal", k=1)[0]
    assert top.item_id == 8  # the deluxe scarf has no interactions at all
    assert top.reason == "similar to Wool Scarf"


def test_content_serves_an_anonymous_visitor_from_their_words() -> None:
    model = ContentRecommender().fit(make_interactions(), CATALOGUE)
    suggestions = model.recommend(None, context=Context(text="Do you sell lanterns?"), k=2)
    assert {s.item_id for s in suggestions} == {0, 1}
    assert suggestions[0].reason == 'matches "lantern" you asked about'


def test_content_cold_start_stays_within_constraints() -> None:
    model = ContentRecommender().fit(make_interactions(), CATALOGUE)
    constraints = Constraints.of(max_price=30)
    suggestions = model.recommend(None, context=Context(text="lantern"), constraints=constraints)
    assert suggestions[0].item_id == 0
    assert all(CATALOGUE[s.item_id].price <= 30 for s in suggestions)


def test_content_similar_items_of_a_new_product() -> None:
    model = ContentRecommender().fit(make_interactions(), CATALOGUE)
    assert model.similar_items(8, k=1)[0].item_id == 3
