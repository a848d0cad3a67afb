"""Finding products and categories in free text, over the demo shop's real names."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions import product_matching as pm
from crm_bridge.demo_shop import generate_demo_shop

DEMO = generate_demo_shop()
NAMES = [product.name for product in DEMO.products]
CATEGORIES = sorted({product.category for product in DEMO.products})
TEMPLATES = [
    "how much is the {}",
    "{}?",
    "Do you have the {} in stock",
    "price of {} please",
    "is the {} available right now?",
    "whats the cost of the {} !!",
]


@given(st.sampled_from(NAMES), st.sampled_from(TEMPLATES), st.booleans())
def test_full_name_in_any_question_is_found(name: str, template: str, shout: bool) -> None:
    text = template.format(name.upper() if shout else name.lower())

    assert pm.find_product(text, NAMES) == name


@given(st.sampled_from(NAMES), st.data())
def test_one_typo_in_a_long_word_is_forgiven(name: str, data: st.DataObject) -> None:
    long_words = [w for w in pm.words(name) if len(w) >= 7]
    if not long_words:
        return
    word = data.draw(st.sampled_from(long_words))
    position = data.draw(st.integers(min_value=1, max_value=len(word) - 1))
    typo = word[:position] + ("x" if word[position] != "x" else "z") + word[position + 1 :]

    assert pm.find_product(f"how much is the {name.lower().replace(word, typo)}", NAMES) == name


@given(st.text(max_size=60))
def test_matching_never_fails_on_arbitrary_text(text: str) -> None:
    assert pm.find_product(text, NAMES) in [None, *NAMES]
    assert set(pm.suggest_products(text, NAMES)) <= set(NAMES)
    assert pm.match_category(text, CATEGORIES) in [None, *CATEGORIES]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how much is the lantern", "Ceramic Lantern"),  # the only lantern
        ("how much are the lanterns", "Ceramic Lantern"),
        ("how much is the mug", None),  # two mugs: ask which
        ("is the brass lantern available", None),  # no such product
        ("how much is it", None),
    ],
)
def test_find_product_partial_names(text: str, expected: str | None) -> None:
    assert pm.find_product(text, NAMES) == expected


def test_suggestions_rank_closest_first() -> None:
    assert pm.suggest_products("is the brass lantern available", NAMES)[:2] == [
        "Ceramic Lantern",
        "Brass Desk Lamp",
    ]
    assert pm.suggest_products("do you sell fish tanks", NAMES) == []


def test_similar_looking_words_do_not_match() -> None:
    # "brass" is 80 % like "glass"; "loves" is 89 % like "gloves".
    assert pm.find_product("blue brass pendant light", ["Blue Glass Pendant Light"]) is None
    assert pm.find_products_by_word("someone who loves cooking", NAMES) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what garden products do you have", "garden"),
        ("show me lighting", "lighting"),
        ("which lamps do you have", "lighting"),
        ("anything for dogs?", "pet supplies"),
        ("show me home textiles", "home textiles"),
        ("kitchn stuff", "kitchen"),
        ("toy ideas", "toys"),
        ("what do you sell", None),
    ],
)
def test_match_category(text: str, expected: str | None) -> None:
    assert pm.match_category(text, CATEGORIES) == expected


def test_category_synonyms_only_for_live_categories() -> None:
    assert pm.match_category("anything for dogs?", ["garden"]) is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [("lamps", "lamp"), ("boxes", "box"), ("accessories", "accessory"), ("glass", "glass")],
)
def test_singular(word: str, expected: str) -> None:
    assert pm.singular(word) == expected


def test_name_words_drop_counts_and_units() -> None:
    assert pm.name_words("Sage Pillar Candles (set of 3)") == ["sage", "pillar", "candles"]
    assert pm.name_words("Decaf Coffee Beans 500 g") == ["decaf", "coffee", "beans"]


def test_without_words_removes_category_words() -> None:
    assert pm.without_words("garden gloves please", "garden") == "gloves please"
