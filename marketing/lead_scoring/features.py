"""A lead's form answers and engagement snapshot as the flat features the scorer reads.

Input is `Lead.data` as the lead form writes it (see docs/architecture.md); anything
missing, of the wrong type or outside the contract's values becomes None (unknown) rather
than an error, so a half-filled or hand-edited lead still scores. ``as_of`` is the day the
lead was qualified: days until the timeline starts are counted from it, so a lead scored
today and the same lead in the training data a year later get the same features.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from marketing.lead_scoring.currency import monthly_eur
from marketing.tabular import Column, categorical, numeric

REQUESTS = ("quote", "demo", "callback")
AUTHORITIES = ("decision_maker", "influencer", "user")
EMAIL_KINDS = ("business", "free_mail", "disposable")
CHANNELS = ("web", "telegram")
MAX_DAYS_AHEAD = 730
MAX_COUNT = 10_000
MAX_TEAM_SIZE = 1_000_000

LEAD_COLUMNS: tuple[Column, ...] = (
    categorical("request"),
    categorical("authority"),
    categorical("email_kind"),
    categorical("channel"),
    numeric("team_size"),
    numeric("has_company", group="company"),
    numeric("budget_monthly_eur", group="budget"),
    numeric("no_budget", group="budget"),
    numeric("days_to_start", group="timeline"),
    numeric("asap", group="timeline"),
    numeric("just_looking", group="timeline"),
    numeric("marketing_consent"),
    numeric("skipped_fields"),
    numeric("messages"),
    numeric("products_asked"),
    numeric("suggestions_clicked"),
    numeric("returning_visitor"),
    numeric("orders"),
)


def lead_features(data: Mapping[str, Any], *, as_of: date) -> dict[str, Any]:
    """The features of one lead, keyed by the names in `LEAD_COLUMNS` (None = unknown)."""
    if not isinstance(data, Mapping):
        data = {}
    budget = _mapping(data.get("budget"))
    timeline = _mapping(data.get("timeline"))
    engagement = _mapping(data.get("engagement"))
    just_looking = timeline.get("just_looking") is True
    asap = timeline.get("asap") is True and not just_looking
    skipped = data.get("skipped")
    return {
        "request": _choice(data.get("request"), REQUESTS),
        "authority": _choice(data.get("authority"), AUTHORITIES),
        "email_kind": _choice(data.get("email_kind"), EMAIL_KINDS),
        "channel": _choice(engagement.get("channel"), CHANNELS),
        "team_size": _count(data.get("team_size"), low=1, high=MAX_TEAM_SIZE),
        "has_company": int(isinstance(data.get("company"), str) and bool(data["company"].strip())),
        "budget_monthly_eur": monthly_eur(budget) if budget else None,
        "no_budget": int(budget.get("no_budget") is True),
        "days_to_start": _days_to_start(timeline, as_of, asap=asap, just_looking=just_looking),
        "asap": int(asap),
        "just_looking": int(just_looking),
        "marketing_consent": _flag(data.get("marketing_consent")),
        "skipped_fields": (
            len({f for f in skipped if isinstance(f, str)}) if isinstance(skipped, list) else 0
        ),
        "messages": _count(engagement.get("messages")),
        "products_asked": _count(engagement.get("products_asked")),
        "suggestions_clicked": _count(engagement.get("suggestions_clicked")),
        "returning_visitor": _flag(engagement.get("returning_visitor")),
        "orders": _count(engagement.get("orders")),
    }


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _choice(value: Any, allowed: tuple[str, ...]) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = value.strip().lower()
    return cleaned if cleaned in allowed else None


def _flag(value: Any) -> int | None:
    return int(value) if isinstance(value, bool) else None


def _count(value: Any, *, low: int = 0, high: int = MAX_COUNT) -> int | None:
    """A whole number within [low, high]; numbers in text ("12") are read, junk is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int | float) or not math.isfinite(value) or value < low:
        return None
    return int(min(round(value), high))


def _days_to_start(
    timeline: Mapping[str, Any], as_of: date, *, asap: bool, just_looking: bool
) -> int | None:
    """Days from ``as_of`` to the start of the window (its end when only that is known)."""
    if just_looking:
        return None
    if asap:
        return 0
    start = _date(timeline.get("start")) or _date(timeline.get("end"))
    if start is None:
        return None
    return max(0, min((start - as_of).days, MAX_DAYS_AHEAD))


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
