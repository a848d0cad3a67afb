"""Budgets, recipients and occasions read from recommendation requests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.recommendation_parsing import (
    PriceRange,
    parse_occasion,
    parse_price_range,
    parse_recipient,
    parse_wish,
    without_gift_words,
)

amounts = st.integers(min_value=1, max_value=5000)
cents = st.integers(min_value=0, max_value=99)
currency_after = st.sampled_from(["", " euros", " euro", " eur", "€", " EUR", " bucks"])
padding = st.sampled_from(["", "I need a gift ", "something nice ", "show me lamps "])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a gift for my dad under 30 euros", PriceRange(None, 30)),
        ("something between 20 and 40", PriceRange(20, 40)),
        ("between €40 and €20 please", PriceRange(20, 40)),
        ("20-40 euros", PriceRange(20, 40)),
        ("less than 30€", PriceRange(None, 30)),
        ("max thirty euros", PriceRange(None, 30)),
        ("over 50", PriceRange(50, None)),
        ("above €50 and below 80", PriceRange(50, 80)),
        ("cheaper than 19.99", PriceRange(None, 19.99)),
        ("no more than 12,50 eur", PriceRange(None, 12.5)),
        ("my budget is 45", PriceRange(None, 45)),
        ("I have €25", PriceRange(None, 25)),
        ("something for around 20 euros", PriceRange(None, 20)),
    ],
)
def test_price_range_examples(text: str, expected: PriceRange) -> None:
    assert parse_price_range(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a toy for my 3 year old",
        "what would you recommend?",
        "a game for 2 players",
        "something for my 60th birthday",
        "show me the top 10",
    ],
)
def test_numbers_without_a_price_cue_are_not_a_budget(text: str) -> None:
    assert parse_price_range(text).is_empty


@given(prefix=padding, amount=amounts, currency=currency_after)
def test_under_amount_is_the_upper_bound(prefix: str, amount: int, currency: str) -> None:
    assert parse_price_range(f"{prefix}under {amount}{currency}") == PriceRange(None, amount)


@given(amount=amounts, fraction=cents)
def test_decimal_comma_and_point_mean_the_same(amount: int, fraction: int) -> None:
    point = parse_price_range(f"below {amount}.{fraction:02d} euros")
    comma = parse_price_range(f"below {amount},{fraction:02d} euros")
    assert point == comma == PriceRange(None, float(f"{amount}.{fraction:02d}"))


@given(low=amounts, high=amounts, joiner=st.sampled_from([" and ", " to ", "-", " - "]))
def test_between_gives_an_ordered_range(low: int, high: int, joiner: str) -> None:
    parsed = parse_price_range(f"between {low}{joiner}{high} euros")
    assert parsed == PriceRange(min(low, high), max(low, high))


@given(text=st.text(max_size=80))
def test_any_text_parses_to_a_sane_range(text: str) -> None:
    parsed = parse_price_range(text)
    assert parsed.low is None or parsed.low >= 0
    if parsed.low is not None and parsed.high is not None:
        assert parsed.low <= parsed.high


@pytest.mark.parametrize(
    ("text", "recipient"),
    [
        ("a gift for my dad under 30 euros", "dad"),
        ("something for my Mom", "mum"),
        ("present for my little nephew", "nephew"),
        ("what can I get for my best friend", "friend"),
        ("a toy for the kids", "child"),
        ("anything for my dog?", "dog"),
        ("a lamp for the living room", None),
        ("for me", None),
    ],
)
def test_recipient(text: str, recipient: str | None) -> None:
    assert parse_recipient(text) == recipient


@pytest.mark.parametrize(
    ("text", "occasion"),
    [
        ("for my mum's birthday", "birthday"),
        ("a Christmas present", "christmas"),
        ("gift for mothers day", "mother's day"),
        ("we're going to a housewarming", "housewarming"),
        ("a lamp for the desk", None),
    ],
)
def test_occasion(text: str, occasion: str | None) -> None:
    assert parse_occasion(text) == occasion


def test_wish_combines_everything_and_an_occasion_makes_it_a_gift() -> None:
    wish = parse_wish("something for my sister's wedding between 20 and 60 euros")
    assert (wish.price, wish.recipient, wish.occasion, wish.is_gift) == (
        PriceRange(20, 60),
        "sister",
        "wedding",
        True,
    )
    assert not parse_wish("a lamp under 40").is_gift


def test_gift_words_are_removed_for_category_matching() -> None:
    assert without_gift_words("a gift or a present for dad").split() == [
        "a",
        "or",
        "a",
        "for",
        "dad",
    ]
