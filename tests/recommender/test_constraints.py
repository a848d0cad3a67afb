import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender import Constraints, Context, HybridRecommender, Item
from recommender.catalogue import Catalogue
from recommender.constraints import allowed_mask
from tests.recommender.catalogue_data import CATALOGUE, make_interactions

CATEGORIES = ["lighting", "textiles", "kitchen", "garden"]
prices = st.one_of(st.none(), st.floats(0, 100, allow_nan=False))


@st.composite
def constraints(draw: st.DrawFn) -> Constraints:
    low, high = draw(prices), draw(prices)
    return Constraints.of(
        categories=draw(st.one_of(st.none(), st.sets(st.sampled_from(CATEGORIES), max_size=2))),
        min_price=low,
        max_price=high,
        in_stock_only=draw(st.booleans()),
        exclude_ids=draw(st.sets(st.integers(0, 12), max_size=4)),
        exclude_purchased=draw(st.booleans()),
    )


def satisfies(item: Item, c: Constraints, bought: set[int]) -> bool:
    price_ok = (c.min_price is None and c.max_price is None) or (
        item.price is not None
        and (c.min_price is None or item.price >= c.min_price)
        and (c.max_price is None or item.price <= c.max_price)
    )
    return (
        (c.categories is None or item.category in c.categories)
        and price_ok
        and (item.in_stock or not c.in_stock_only)
        and item.id not in c.exclude_ids
        and not (c.exclude_purchased and item.id in bought and not item.is_consumable)
    )


@given(
    items=st.lists(
        st.builds(
            Item,
            id=st.integers(0, 12),
            name=st.just("thing"),
            category=st.sampled_from(CATEGORIES),
            price=prices,
            in_stock=st.booleans(),
            is_consumable=st.booleans(),
        ),
        unique_by=lambda item: item.id,
        max_size=12,
    ),
    rule=constraints(),
    bought=st.sets(st.integers(0, 12)),
)
def test_allowed_mask_matches_the_rules_item_by_item(
    items: list[Item], rule: Constraints, bought: set[int]
) -> None:
    catalogue = Catalogue(items)
    purchased = np.array(
        [catalogue.index.get(i) for i in bought if i in catalogue.index], dtype=int
    )
    mask = allowed_mask(catalogue, rule, purchased)
    for index, item in enumerate(catalogue.items):
        assert mask[index] == satisfies(item, rule, bought)


@pytest.fixture(scope="module")
def hybrid() -> HybridRecommender:
    return HybridRecommender().fit(make_interactions(), CATALOGUE)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rule=constraints(),
    user=st.sampled_from(["ann", "gus", "hal", "stranger", None]),
    text=st.sampled_from(["", "a lantern", "something warm", "mug"]),
    k=st.integers(1, 9),
)
def test_recommend_never_breaks_constraints(
    hybrid: HybridRecommender, rule: Constraints, user: str | None, text: str, k: int
) -> None:
    bought = (
        {int(i) for i in hybrid.matrix_.purchased[hybrid.users_.get(user)].indices}
        if (user in hybrid.users_)
        else set()
    )
    suggestions = hybrid.recommend(user, context=Context(text=text), constraints=rule, k=k)
    assert len(suggestions) <= k
    assert all(satisfies(CATALOGUE[s.item_id], rule, bought) for s in suggestions)
    allowed = sum(satisfies(item, rule, bought) for item in CATALOGUE)
    assert len(suggestions) == min(k, allowed)


def test_unknown_category_allows_nothing() -> None:
    mask = allowed_mask(Catalogue(CATALOGUE), Constraints.of(categories=["boats"]))
    assert not mask.any()
