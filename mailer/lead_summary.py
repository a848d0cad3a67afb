"""What a qualified lead asked for, in words for the confirmation email (pure, no I/O).

``Lead.data`` is written by the lead form: ``request`` ("quote" | "demo" | "callback"),
``need``, ``company``, ``team_size``, ``role``, ``budget`` ({min, max, currency, period,
no_budget}), ``timeline`` ({label, start, end, asap, just_looking}), ``name``, ``email``,
``marketing_consent``. Any key may be missing or empty; it is then left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

REQUEST_LABELS = {"quote": "a quote", "demo": "a demo", "callback": "a call back"}
NEXT_STEPS = {
    "quote": "our team prepares your quote and emails it to you within one working day.",
    "demo": "we email you within one working day to find a time for your demo.",
    "callback": "someone from our team contacts you within one working day to arrange the call.",
}
DEFAULT_NEXT_STEPS = "someone from our team gets back to you within one working day."
_CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}
_PERIODS = {"month": "per month", "monthly": "per month", "year": "per year", "yearly": "per year"}


@dataclass(frozen=True, slots=True)
class LeadSummary:
    """The confirmation's variables: whom to greet, what was asked, the details, what next."""

    name: str | None
    request_label: str
    details: list[tuple[str, str]]
    next_steps: str
    marketing_consent: bool


def summarize_lead(data: Mapping[str, Any]) -> LeadSummary:
    """Turn the lead form's answers into labelled lines, skipping what is missing."""
    request = _text(data.get("request"))
    details = [
        ("What you need", _text(data.get("need"))),
        ("Company", _text(data.get("company"))),
        ("Your role", _text(data.get("role"))),
        ("Team size", _team_size(data.get("team_size"))),
        ("Budget", _budget(data.get("budget"))),
        ("Timeline", _timeline(data.get("timeline"))),
    ]
    return LeadSummary(
        name=_text(data.get("name")),
        request_label=REQUEST_LABELS.get(request or "", "a follow-up"),
        details=[(label, value) for label, value in details if value],
        next_steps=NEXT_STEPS.get(request or "", DEFAULT_NEXT_STEPS),
        marketing_consent=data.get("marketing_consent") is True,
    )


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _team_size(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    return f"{text} people" if text.isdigit() and text != "1" else text


def _money(amount: Any, currency: str) -> str | None:
    try:
        number = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return None
    shown = f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"
    symbol = _CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{shown}" if symbol else f"{shown} {currency}".strip()


def _budget(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return _text(value)
    if value.get("no_budget"):
        return "no fixed budget yet"
    currency = (_text(value.get("currency")) or "").upper()
    low = _money(value["min"], currency) if value.get("min") is not None else None
    high = _money(value["max"], currency) if value.get("max") is not None else None
    if low and high:
        amount = low if low == high else f"{low} to {high}"
    elif high:
        amount = f"up to {high}"
    elif low:
        amount = f"from {low}"
    else:
        return None
    period = _text(value.get("period"))
    if period:
        amount += " " + _PERIODS.get(period.lower(), period)
    return amount


def _timeline(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return _text(value)
    if value.get("asap"):
        return "as soon as possible"
    if value.get("just_looking"):
        return "no date yet, just looking"
    label = _text(value.get("label"))
    if label:
        return label
    start, end = _text(value.get("start")), _text(value.get("end"))
    if start and end:
        return f"between {start} and {end}"
    if start:
        return f"from {start}"
    if end:
        return f"by {end}"
    return None
