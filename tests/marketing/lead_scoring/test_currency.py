"""Budgets as euros a month from the static rate table."""

import math

import pytest

from marketing.lead_scoring import EUR_PER_UNIT, monthly_eur


def budget(**fields: object) -> dict[str, object]:
    return {
        "min": None,
        "max": None,
        "currency": "EUR",
        "period": "month",
        "no_budget": False,
    } | fields


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"min": 5000, "max": 5000}, 5000.0),
        ({"min": 2000, "max": 3000}, 2500.0),
        ({"min": 3000, "max": 2000}, 2500.0),  # reversed range
        ({"max": 1200, "period": "year"}, 100.0),
        ({"min": 6000, "period": "once"}, 500.0),  # a one-off spread over a year
        ({"min": 6000, "period": None}, 500.0),
        ({"min": 6000, "period": "fortnight"}, 500.0),
        ({"min": 1000, "currency": "usd"}, 1000 * EUR_PER_UNIT["USD"]),
        ({"min": 1000, "currency": None}, 1000.0),  # the shop's currency
        ({"min": 0}, 0.0),
        ({"min": 1e12}, 10_000_000.0),  # capped
    ],
)
def test_monthly_eur(fields: dict[str, object], expected: float) -> None:
    assert monthly_eur(budget(**fields)) == pytest.approx(expected)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "5k",
        [],
        budget(no_budget=True, min=500),
        budget(),
        budget(min=-5, max="lots"),
        budget(min=math.nan),
        budget(min=True),
        budget(min=100, currency="XYZ"),
        budget(min=100, currency=7),
    ],
)
def test_unknown_budgets_give_none(value: object) -> None:
    assert monthly_eur(value) is None  # type: ignore[arg-type]


def test_rate_table_is_in_euros_and_plausible() -> None:
    assert EUR_PER_UNIT["EUR"] == 1.0
    assert all(0 < rate < 2 for rate in EUR_PER_UNIT.values())
    assert all(len(code) == 3 and code.isupper() for code in EUR_PER_UNIT)
