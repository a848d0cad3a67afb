"""The inbox's query string -> an `InboxFilter`, sort and page; bad values are reported, not fatal.

A value the console does not understand (an unknown channel, a date that is not
YYYY-MM-DD) is left out of the filter and named in `problems`, so the page still shows
a list and says what was ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from crm_bridge.enums import Channel, ConversationStatus
from crm_bridge.inbox import SORT_KEYS, InboxFilter, SortKey

PAGE_SIZE = 25
MAX_TEXT = 200
_YES_NO = {"yes": True, "no": False}
# Query keys of the form, in the order they appear in links.
KEYS = (
    "channel",
    "status",
    "from",
    "to",
    "lead",
    "grade",
    "intent",
    "low_confidence",
    "fallback",
    "reviewed",
    "tag",
    "q",
    "sort",
    "order",
)


@dataclass(frozen=True, slots=True)
class InboxQuery:
    """The parsed query: the filter, sort and page, the raw values for the form, problems."""

    criteria: InboxFilter
    sort: SortKey = "activity"
    descending: bool = True
    page: int = 1
    values: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def link(self, **changes: str | int | None) -> str:
        """The query string of this view with some values changed (None removes one)."""
        values: dict[str, str | int] = dict(self.values)
        for key, value in changes.items():
            if value is None or value == "":
                values.pop(key, None)
            else:
                values[key] = value
        return urlencode(values)


def parse(params: Mapping[str, str]) -> InboxQuery:
    """Read the inbox query; never raises for user input."""
    values = {key: params[key].strip() for key in KEYS if params.get(key, "").strip()}
    problems: list[str] = []

    def choice(key: str, options: Mapping[str, object]) -> object | None:
        raw = values.get(key)
        if raw is None:
            return None
        if raw not in options:
            problems.append(f"Ignored {key} {raw!r}: not one of {', '.join(options)}.")
            values.pop(key)
            return None
        return options[raw]

    channel = choice("channel", {str(c): c for c in Channel})
    status = choice("status", {str(s): s for s in ConversationStatus})
    has_lead = choice("lead", _YES_NO)
    reviewed = choice("reviewed", _YES_NO)
    sort = choice("sort", {key: key for key in SORT_KEYS}) or "activity"
    order = choice("order", {"desc": True, "asc": False})
    active_from = _day(values, "from", problems)
    until_day = _day(values, "to", problems)
    text = values.get("q")
    if text is not None and len(text) > MAX_TEXT:
        problems.append(f"The search text was cut to {MAX_TEXT} characters.")
        text = values["q"] = text[:MAX_TEXT]
    criteria = InboxFilter(
        channel=channel,  # type: ignore[arg-type]
        status=status,  # type: ignore[arg-type]
        active_from=active_from,
        active_until=until_day + timedelta(days=1) if until_day else None,
        has_lead=has_lead,  # type: ignore[arg-type]
        lead_grade=values.get("grade"),
        intent=values.get("intent"),
        low_confidence=values.get("low_confidence") == "1",
        had_fallback=values.get("fallback") == "1",
        reviewed=reviewed,  # type: ignore[arg-type]
        tag=values.get("tag"),
        text=text,
    )
    return InboxQuery(
        criteria=criteria,
        sort=sort,  # type: ignore[arg-type]
        descending=order is not False,
        page=_page(params.get("page")),
        values=values,
        problems=problems,
    )


def _day(values: dict[str, str], key: str, problems: list[str]) -> datetime | None:
    raw = values.get(key)
    if raw is None:
        return None
    try:
        return datetime.combine(date.fromisoformat(raw), time(), tzinfo=UTC)
    except ValueError:
        problems.append(f"Ignored {key} {raw!r}: dates are written YYYY-MM-DD.")
        values.pop(key)
        return None


def _page(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 100_000))
    except ValueError:
        return 1
