"""A budget as one comparable number: euros a month, from a small static rate table.

Rates are euros per unit of the currency, rounded, as of late 2026; they only need to put
budgets in the right order of magnitude for scoring, so they are not fetched (nothing
downloads at run time). A currency not in the table gives no amount rather than a guess;
a budget without a currency is taken to be in euros (the shop's currency).

Periods: ``month`` as is, ``year`` / 12; ``once`` and a missing or unknown period are a
one-off amount spread over 12 months (a project budget usually covers about a year).
The middle of a range is used; a negative or non-numeric amount counts as not given.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

EUR_PER_UNIT: dict[str, float] = {
    "EUR": 1.0,
    "USD": 0.92,
    "GBP": 1.17,
    "CHF": 1.05,
    "CAD": 0.67,
    "AUD": 0.60,
    "JPY": 0.0061,
    "CNY": 0.13,
    "INR": 0.011,
    "SEK": 0.088,
    "NOK": 0.086,
    "DKK": 0.134,
    "PLN": 0.23,
    "CZK": 0.040,
    "HUF": 0.0025,
    "RON": 0.20,
    "TRY": 0.027,
    "BRL": 0.17,
    "MXN": 0.050,
    "ZAR": 0.050,
    "SGD": 0.69,
    "HKD": 0.12,
    "NZD": 0.55,
    "AED": 0.25,
}
MONTHS_PER_PERIOD: dict[str, float] = {"month": 1.0, "year": 12.0, "once": 12.0}
UNKNOWN_PERIOD_MONTHS = 12.0
MAX_MONTHLY_EUR = 10_000_000.0  # above this it is a typo or a joke, not a budget


def monthly_eur(budget: Mapping[str, Any] | None) -> float | None:
    """The budget's middle amount in euros a month, or None when it cannot be known."""
    if not isinstance(budget, Mapping) or budget.get("no_budget") is True:
        return None
    amounts = [a for a in (_amount(budget.get("min")), _amount(budget.get("max"))) if a is not None]
    rate = _rate(budget.get("currency"))
    if not amounts or rate is None:
        return None
    monthly = sum(amounts) / len(amounts) * rate / _months(budget.get("period"))
    return min(monthly, MAX_MONTHLY_EUR)


def _amount(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return float(value)


def _months(period: Any) -> float:
    if not isinstance(period, str):
        return UNKNOWN_PERIOD_MONTHS
    return MONTHS_PER_PERIOD.get(period.strip().lower(), UNKNOWN_PERIOD_MONTHS)


def _rate(currency: Any) -> float | None:
    if currency is None:
        return EUR_PER_UNIT["EUR"]
    if not isinstance(currency, str):
        return None
    return EUR_PER_UNIT.get(currency.strip().upper())
