"""Budgets as customers write them, and junk that must not become a budget."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.lead_parsing import Budget, parse_budget


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("around 5k", Budget(5000, 5000)),
        ("$5,000 a month", Budget(5000, 5000, "USD", "month")),
        ("between 2 and 3 thousand euros", Budget(2000, 3000, "EUR")),
        ("1-2k", Budget(1000, 2000)),
        ("under 10k per year", Budget(None, 10000, None, "year")),
        ("at least 2000 EUR", Budget(2000, None, "EUR")),
        ("€1.5k/mo", Budget(1500, 1500, "EUR", "month")),
        ("5 grand one-off", Budget(5000, 5000, None, "once")),
        ("twenty thousand dollars", Budget(20000, 20000, "USD")),
        ("about 40 000 €", Budget(40000, 40000, "EUR")),
        ("5.000 EUR", Budget(5000, 5000, "EUR")),
        ("£300 weekly", Budget(1300, 1300, "GBP", "month")),
        ("no budget yet", Budget(no_budget=True)),
        ("not sure, it depends", Budget(no_budget=True)),
    ],
)
def test_parse_budget_reads_amounts_ranges_currencies_and_periods(
    text: str, expected: Budget
) -> None:
    assert parse_budget(text) == expected


@pytest.mark.parametrize("text", ["", "asdf", "hello there", "blue, please", "0", "-"])
def test_parse_budget_finds_nothing_in_text_without_an_amount(text: str) -> None:
    assert parse_budget(text) is None


def test_parse_budget_as_dict_uses_the_lead_data_keys() -> None:
    assert parse_budget("2-3k EUR a year").as_dict() == {
        "min": 2000.0,
        "max": 3000.0,
        "currency": "EUR",
        "period": "year",
        "no_budget": False,
    }


def test_parse_budget_reads_only_the_start_of_a_very_long_answer() -> None:
    assert parse_budget("about 5k " + "blah " * 100_000) == Budget(5000, 5000)
    assert parse_budget("blah " * 100_000 + "5k") is None


@given(st.text(max_size=300))
def test_parse_budget_never_fails_and_keeps_ranges_ordered(text: str) -> None:
    budget = parse_budget(text)
    if budget is not None and budget.minimum is not None and budget.maximum is not None:
        assert 0 < budget.minimum <= budget.maximum


@given(st.integers(min_value=1, max_value=10_000_000), st.sampled_from(["€", "$", "£", ""]))
def test_parse_budget_reads_any_plain_amount(amount: int, symbol: str) -> None:
    budget = parse_budget(f"{symbol}{amount:,}")
    assert budget is not None
    assert budget.minimum == budget.maximum == amount
