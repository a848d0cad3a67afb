"""Reasons for a score in plain words for staff: what the lead said, and which way it pushed.

A reason names one group of features (see `LEAD_COLUMNS`) with this lead's values, e.g.
"Decision maker" or "Budget about €5,000 a month", followed by whether it raises or
lowers the score.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Features = Mapping[str, Any]

_AUTHORITY = {
    "decision_maker": "Decision maker",
    "influencer": "Influences the decision",
    "user": "Would use it, does not decide",
}
_EMAIL = {
    "business": "Business email address",
    "free_mail": "Free-mail address, not a company domain",
    "disposable": "Disposable email address",
}
_REQUEST = {
    "quote": "Asked for a quote",
    "demo": "Asked for a demo",
    "callback": "Asked for a call",
}
_CHANNEL = {"web": "Came through the web chat", "telegram": "Came through Telegram"}


def reason(group: str, features: Features, change: float) -> str:
    """One signed reason: the lead's value for ``group`` and whether it raises the score."""
    direction = "raises" if change > 0 else "lowers"
    return f"{describe(group, features)} ({direction} the score)"


def describe(group: str, features: Features) -> str:
    """The lead's value for one feature group in words."""
    describer = _DESCRIBERS.get(group)
    if describer is not None:
        return describer(features)
    value = features.get(group)
    label = group.replace("_", " ").capitalize()
    return f"{label}: {'unknown' if value is None else value}"


def euros(amount: float) -> str:
    """An amount as staff would say it: €5,000, €480, €1.2 million."""
    if amount >= 1_000_000:
        return f"€{amount / 1_000_000:.1f} million".replace(".0 ", " ")
    if amount >= 100:
        amount = float(f"{amount:.2g}")
    return f"€{amount:,.0f}"


def _budget(f: Features) -> str:
    if f.get("no_budget"):
        return "No budget yet"
    amount = f.get("budget_monthly_eur")
    if amount is None:
        return "Budget not given"
    return f"Budget about {euros(amount)} a month"


def _timeline(f: Features) -> str:
    if f.get("just_looking"):
        return "Just looking, no timeline"
    if f.get("asap"):
        return "Wants to start as soon as possible"
    days = f.get("days_to_start")
    if days is None:
        return "Timeline not given"
    if days <= 31:
        return "Wants to start within a month"
    if days <= 90:
        return f"Wants to start in about {round(days / 7)} weeks"
    return f"Wants to start in about {round(days / 30.4)} months"


def _team(f: Features) -> str:
    size = f.get("team_size")
    if size is None:
        return "Team size not given"
    return "Works alone" if size == 1 else f"Team of {size:,} people"


def _counted(name: str, *, none: str, one: str, many: str) -> Callable[[Features], str]:
    def describe_count(f: Features) -> str:
        value = f.get(name)
        if value is None:
            return f"{name.replace('_', ' ').capitalize()}: unknown"
        return none if value == 0 else one if value == 1 else many.format(n=value)

    return describe_count


def _choice(name: str, words: Mapping[str, str], unknown: str) -> Callable[[Features], str]:
    return lambda f: words.get(f.get(name) or "", unknown)


def _flag(name: str, yes: str, no: str, unknown: str) -> Callable[[Features], str]:
    return lambda f: unknown if f.get(name) is None else yes if f.get(name) else no


_DESCRIBERS: dict[str, Callable[[Features], str]] = {
    "authority": _choice("authority", _AUTHORITY, "Role in the decision not known"),
    "budget": _budget,
    "timeline": _timeline,
    "email_kind": _choice("email_kind", _EMAIL, "No email address given"),
    "team_size": _team,
    "request": _choice("request", _REQUEST, "Kind of request not known"),
    "channel": _choice("channel", _CHANNEL, "Channel not known"),
    "company": _flag(
        "has_company", "Named their company", "Did not name a company", "Did not name a company"
    ),
    "marketing_consent": _flag(
        "marketing_consent",
        "Agreed to marketing messages",
        "Declined marketing messages",
        "Not asked about marketing messages",
    ),
    "skipped_fields": _counted(
        "skipped_fields",
        none="Answered every question",
        one="Skipped 1 question",
        many="Skipped {n} questions",
    ),
    "messages": _counted(
        "messages", none="Wrote no messages", one="Wrote 1 message", many="Wrote {n} messages"
    ),
    "products_asked": _counted(
        "products_asked",
        none="Asked about no products",
        one="Asked about 1 product",
        many="Asked about {n} products",
    ),
    "suggestions_clicked": _counted(
        "suggestions_clicked",
        none="Clicked no suggested products",
        one="Clicked 1 suggested product",
        many="Clicked {n} suggested products",
    ),
    "returning_visitor": _flag(
        "returning_visitor", "Returning visitor", "First visit", "First or returning: unknown"
    ),
    "orders": _counted("orders", none="No past orders", one="1 past order", many="{n} past orders"),
}
