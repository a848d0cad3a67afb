"""Budgets: "around 5k", "$5,000 a month", "between 2 and 3 thousand euros", "no budget yet".

The result is an amount or a range (`minimum`/`maximum`; an open end is None), the
currency when the customer named one, and the period the money is for. A weekly amount
is turned into a monthly one, so scoring compares like with like.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from actions.lead_parsing.numbers import (
    MULTIPLIER_PATTERN,
    NUMBER_PATTERN,
    apply_multiplier,
    cap,
    parse_number,
    words_to_digits,
)

WEEKS_PER_MONTH = 52 / 12

_NO_BUDGET = re.compile(
    r"\b(no (fixed |set |real )?budget|not sure|unsure|don'?t know|do not know|no idea|"
    r"tbd|to be (decided|determined)|not (yet )?(decided|defined|set)|haven'?t (decided|set)|"
    r"depends|open budget|flexible|nothing (yet|set))\b"
)
_CURRENCIES = (
    (re.compile(r"\$|\b(usd|dollars?|bucks)\b"), "USD"),
    (re.compile(r"€|\b(eur|euros?)\b"), "EUR"),
    (re.compile(r"£|\b(gbp|pounds?|quid)\b"), "GBP"),
    (re.compile(r"\b(chf|swiss francs?|francs?)\b"), "CHF"),
    (re.compile(r"\b(sek|nok|dkk|kr|kronor|kroner)\b"), "SEK"),
    (re.compile(r"\b(pln|zloty|zł)\b"), "PLN"),
)
_PERIODS = (
    (re.compile(r"\b(per|a|an|each|every)\s+(month|mo)\b|\bmonthly\b|/\s*(month|mo|m)\b|\bp/?m\b"),
     "month"),
    (re.compile(r"\b(per|a|an|each|every)\s+(year|yr|annum)\b|\b(yearly|annually|annual)\b"
                r"|/\s*(year|yr|y|a)\b|\bp\.?a\.?(?!\w)"), "year"),
    (re.compile(r"\b(per|a|each|every)\s+week\b|\bweekly\b|/\s*(week|wk|w)\b"), "week"),
    (re.compile(r"\b(one[- ]?off|one[- ]time|once|in total|total|up ?front|overall|lump sum)\b"),
     "once"),
)  # fmt: skip
_UPPER_BOUND = re.compile(
    r"\b(under|below|less than|up to|upto|max(imum)?|at most|no more than|not more than|"
    r"within|cap(ped)? at)\s*$"
)
_LOWER_BOUND = re.compile(r"\b(over|above|more than|at least|min(imum)?|from|starting at)\s*$")
_AMOUNT = re.compile(
    rf"(?P<number>{NUMBER_PATTERN})\s*(?P<multiplier>{MULTIPLIER_PATTERN})?(?![a-z])"
)
# "2 and 3 thousand", "1-2k", "between 500 and 800", "2k to 3k".
_RANGE = re.compile(
    rf"(?P<low>{NUMBER_PATTERN})\s*(?P<low_mult>{MULTIPLIER_PATTERN})?(?![a-z])"
    rf"\s*[$€£]?\s*(?:-|\u2013|to|and|or)\s*[$€£]?\s*"
    rf"(?P<high>{NUMBER_PATTERN})\s*(?P<high_mult>{MULTIPLIER_PATTERN})?(?![a-z])"
)


@dataclass(frozen=True)
class Budget:
    """What the customer can spend; `no_budget` when they have none (or don't know yet)."""

    minimum: float | None = None
    maximum: float | None = None
    currency: str | None = None
    period: str | None = None
    no_budget: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The lead-data form: keys `min`, `max`, `currency`, `period`, `no_budget`."""
        data = asdict(self)
        return {
            "min": data["minimum"],
            "max": data["maximum"],
            "currency": data["currency"],
            "period": data["period"],
            "no_budget": data["no_budget"],
        }


def parse_budget(text: str) -> Budget | None:
    """The budget in a customer's answer, or None when the text names no amount."""
    lowered = cap(text)
    period = _period(lowered)
    currency = _currency(lowered)
    digits = words_to_digits(lowered)
    amounts = _range(digits) or _single(digits)
    if amounts is None:
        if _NO_BUDGET.search(lowered):
            return Budget(no_budget=True, currency=currency, period=period)
        return None
    minimum, maximum = amounts
    if period == "week":
        minimum, maximum = _weekly_to_monthly(minimum), _weekly_to_monthly(maximum)
        period = "month"
    return Budget(minimum=minimum, maximum=maximum, currency=currency, period=period)


def _range(text: str) -> tuple[float | None, float | None] | None:
    match = _RANGE.search(text)
    if match is None:
        return None
    low, high = parse_number(match["low"]), parse_number(match["high"])
    if low is None or high is None:
        return None
    low_multiplier = match["low_mult"] or None
    high_multiplier = match["high_mult"] or None
    # "between 2 and 3 thousand", "1-2k": the multiplier written once belongs to both ends.
    if low_multiplier is None and high_multiplier is not None and low < high:
        low_multiplier = high_multiplier
    minimum = apply_multiplier(low, low_multiplier)
    maximum = apply_multiplier(high, high_multiplier)
    if minimum <= 0 or maximum <= 0:
        return None
    return (min(minimum, maximum), max(minimum, maximum))


def _single(text: str) -> tuple[float | None, float | None] | None:
    match = _AMOUNT.search(text)
    if match is None:
        return None
    number = parse_number(match["number"])
    if number is None or number <= 0:
        return None
    value = apply_multiplier(number, match["multiplier"] or None)
    before = text[: match.start()]
    if _UPPER_BOUND.search(before.rstrip(" $€£~")):
        return (None, value)
    if _LOWER_BOUND.search(before.rstrip(" $€£~")) or text[match.end() :].lstrip().startswith(
        ("+", "or more", "and up", "plus")
    ):
        return (value, None)
    return (value, value)


def _currency(text: str) -> str | None:
    return next((code for pattern, code in _CURRENCIES if pattern.search(text)), None)


def _period(text: str) -> str | None:
    return next((period for pattern, period in _PERIODS if pattern.search(text)), None)


def _weekly_to_monthly(amount: float | None) -> float | None:
    return None if amount is None else round(amount * WEEKS_PER_MONTH, 2)
