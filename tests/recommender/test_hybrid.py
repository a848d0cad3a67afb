import numpy as np

from recommender import Constraints, Context, HybridRecommender, Interactions, Item
from recommender.hybrid import default_components
from tests.recommender.catalogue_data import CATALOGUE, make_interactions
from tests.recommender.recommender_contract import RecommenderContract


class TestHybridContract(RecommenderContract):
    known_answers = {"gus": {2}, "hal": {4, 8}}

    def make_model(self) -> HybridRecommender:
        return HybridRecommender(diversity=0.0)


def test_hybrid_cold_start_from_conversation_text() -> None:
    model = HybridRecommender().fit(make_interactions(), CATALOGUE)
    suggestions = model.recommend(
        None, context=Context(text="a scarf please"), constraints=Constraints.of(max_price=60), k=2
    )
    assert {s.item_id for s in suggestions} == {3, 8}
    assert all("scarf" in s.reason for s in suggestions)


def test_hybrid_shows_a_new_product_through_content() -> None:
    model = HybridRecommender(diversity=0.0).fit(make_interactions(), CATALOGUE)
    ids = [
        s.item_id
        for s in model.recommend("hal", constraints=Constraints.of(categories=["textiles"]), k=2)
    ]
    assert 8 in ids


def test_hybrid_reason_comes_from_the_strongest_part() -> None:
    model = HybridRecommender(weights={"item_knn": 1.0}, diversity=0.0)
    model.fit(make_interactions(), CATALOGUE)
    assert (
        model.recommend("gus", k=1)[0].reason
        == "popular with customers who bought Blue Glass Lantern"
    )


def test_hybrid_diversity_breaks_up_near_duplicates() -> None:
    twins = [
        Item(i, f"Red Retro Spot Jumbo Bag {i}", "jumbo shopping bag", "bags", 2.0)
        for i in range(3)
    ]
    others = [Item(3, "Green Tea Tin", "a tin for tea", "kitchen", 3.0)]
    # Everyone buys the anchor (4) with the three twin bags; fewer buy it with the tin.
    catalogue = [*twins, *others, Item(4, "Shopping Basket", "a basket", "bags", 5.0)]
    users = [u for u in range(6) for _ in range(4)] + [6, 6, 7, 7, 8]
    items = [4, 0, 1, 2] * 6 + [4, 3, 4, 3, 4]
    events = Interactions.from_arrays(users, items)
    plain = HybridRecommender(diversity=0.0).fit(events, catalogue)
    diverse = HybridRecommender(diversity=0.7).fit(events, catalogue)
    assert {s.item_id for s in plain.recommend(8, k=3)} == {0, 1, 2}
    assert 3 in {s.item_id for s in diverse.recommend(8, k=3)}


def test_hybrid_skips_ease_on_large_catalogues() -> None:
    assert "ease" in default_components(100, ease_max_items=100)
    assert "ease" not in default_components(101, ease_max_items=100)


def test_hybrid_update_items_changes_stock_without_refit() -> None:
    model = HybridRecommender(diversity=0.0).fit(make_interactions(), CATALOGUE)
    assert model.recommend("gus", k=1)[0].item_id == 2
    out_of_stock = Item(
        2, "Oak Table Lamp", "a warm reading light", "lighting", 45.0, in_stock=False
    )
    model.update_items([out_of_stock])
    assert 2 not in [s.item_id for s in model.recommend("gus", k=8)]


def test_hybrid_component_scores_are_scaled_to_one() -> None:
    model = HybridRecommender().fit(make_interactions(), CATALOGUE)
    scores = model.component_scores(model.matrix_.weights[:3])
    for values in scores.values():
        assert np.all(values.max(axis=1) <= 1.0 + 1e-9)


def test_hybrid_default_parts_include_trend() -> None:
    assert "trend" in default_components(100)
