"""Timelines: "ASAP", "in two weeks", "next quarter", "by March", "just looking".

The answer becomes a date window (`start`..`end`, inclusive) counted from `today`, so
"next quarter" said in November means January to March. "Just looking" and "no rush" have
no window; they are a timeline too, and an honest one that scoring can use.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from actions.lead_parsing.numbers import cap, words_to_digits

_JUST_LOOKING = re.compile(
    r"\b(just (looking|browsing|curious|researching)|no (rush|hurry|timeline|plans?|deadline)|"
    r"not (sure|decided)( yet)?|not (right )?now|maybe later|later|don'?t know( yet)?|"
    r"no idea|someday|some day|eventually|"
    r"at some point|not (any ?time|soon)|not urgent|researching|exploring|undecided|tbd)\b"
)
_ASAP = re.compile(
    r"\b(asap|a\.s\.a\.p|as soon as possible|urgent(ly)?|right away|immediately|"
    r"straight away|now|today|yesterday|tomorrow|this week|ready to (buy|order|start))\b"
)
_IN_PERIOD = re.compile(
    r"\b(?P<kind>in|within|next|over the next|in the next|in about|in around|after)\s+"
    r"(?:(?P<count>\d+(?:\.\d+)?)\s+)?(?P<unit>days?|weeks?|months?|years?)\b"
)
_QUARTER = re.compile(r"\b(?:(?P<which>this|next|coming)\s+quarter|q(?P<number>[1-4])\b"
                      r"(?:\s*(?P<year>20\d\d))?)")  # fmt: skip
_MONTH_NAMES = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES |= {name.lower(): index for index, name in enumerate(calendar.month_abbr) if name}
_MONTH = re.compile(
    r"\b(?P<month>" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\b"
    r"(?:\s*(?P<year>20\d\d))?"
)
_RELATIVE = re.compile(
    r"\b(?P<which>this|next|end of (the|this)|later this|early next|end of next)\s+"
    r"(?P<unit>week|month|year|summer|spring|autumn|fall|winter)\b"
)
_CHRISTMAS = re.compile(r"\b(christmas|xmas|holidays|holiday season)\b")
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}


@dataclass(frozen=True)
class Timeline:
    """When the customer means to buy; `start`/`end` None when there is no window."""

    label: str
    start: date | None = None
    end: date | None = None
    asap: bool = False
    just_looking: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The lead-data form, dates as ISO strings."""
        return {
            "label": self.label,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "asap": self.asap,
            "just_looking": self.just_looking,
        }


def parse_timeline(text: str, *, today: date) -> Timeline | None:
    """The buying timeline in a customer's answer, or None when the text names none."""
    lowered = cap(text)
    digits = words_to_digits(lowered)
    for parse in (_in_period, _quarter, _relative, _christmas, _month):
        timeline = parse(digits, today)
        if timeline is not None:
            return timeline
    if _JUST_LOOKING.search(lowered):
        return Timeline(label="just looking", just_looking=True)
    if _ASAP.search(lowered):
        return Timeline(label="as soon as possible", start=today, end=today + timedelta(14),
                        asap=True)  # fmt: skip
    return None


def _in_period(text: str, today: date) -> Timeline | None:
    match = _IN_PERIOD.search(text)
    if match is None or (match["kind"] == "next" and match["count"] is None):
        return None  # "next month" is a calendar period, handled by _relative.
    count = float(match["count"]) if match["count"] else 1.0
    unit = match["unit"].rstrip("s")
    days = count * {"day": 1, "week": 7, "month": 30, "year": 365}[unit]
    target = today + timedelta(days=round(days))
    label = f"{match['kind']} {match['count'] or 1} {match['unit']}"
    if match["kind"] in {"within", "over the next", "in the next"} or match["kind"] == "next":
        return Timeline(label=label, start=today, end=target, asap=days <= 14)
    slack = timedelta(days=max(3, round(days * 0.25)))
    return Timeline(label=label, start=max(today, target - slack), end=target + slack,
                    asap=days <= 14)  # fmt: skip


def _quarter(text: str, today: date) -> Timeline | None:
    match = _QUARTER.search(text)
    if match is None:
        return None
    current = (today.month - 1) // 3 + 1
    if match["number"]:
        quarter = int(match["number"])
        year = int(match["year"]) if match["year"] else today.year + (quarter < current)
        label = f"Q{quarter} {year}"
    else:
        step = 0 if match["which"] == "this" else 1
        quarter, year = current + step, today.year
        if quarter > 4:
            quarter, year = quarter - 4, year + 1
        label = f"{match['which']} quarter"
    start = date(year, 3 * quarter - 2, 1)
    end = _month_end(year, 3 * quarter)
    return Timeline(label=label, start=max(start, today), end=end) if end >= today else None


def _relative(text: str, today: date) -> Timeline | None:
    match = _RELATIVE.search(text)
    if match is None:
        return None
    which, unit = match["which"], match["unit"]
    label = f"{which} {unit}"
    if unit == "week":
        monday = today - timedelta(days=today.weekday())
        if which.startswith("next") or which == "end of next":
            monday += timedelta(days=7)
        return Timeline(label=label, start=max(today, monday), end=monday + timedelta(days=6),
                        asap=True)  # fmt: skip
    if unit == "month":
        year, month = today.year, today.month
        if "next" in which:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        start = max(today, date(year, month, 1))
        if which.startswith("end of"):
            start = max(today, date(year, month, 20))
        return Timeline(label=label, start=start, end=_month_end(year, month))
    if unit == "year":
        year = today.year + (1 if "next" in which else 0)
        if which == "early next":
            return Timeline(label=label, start=date(year, 1, 1), end=date(year, 4, 30))
        return Timeline(label=label, start=max(today, date(year, 1, 1)), end=date(year, 12, 31))
    first, last = _SEASONS.get(unit, (12, 2))
    year = today.year + (1 if "next" in which or today.month > last >= first else 0)
    end = _month_end(year + (last < first), last)
    return Timeline(label=label, start=max(today, date(year, first, 1)), end=end)


def _christmas(text: str, today: date) -> Timeline | None:
    if not _CHRISTMAS.search(text):
        return None
    christmas = date(today.year, 12, 24)
    if christmas < today:
        christmas = date(today.year + 1, 12, 24)
    return Timeline(label="before Christmas", start=today, end=christmas,
                    asap=(christmas - today).days <= 14)  # fmt: skip


def _month(text: str, today: date) -> Timeline | None:
    match = _MONTH.search(text)
    if match is None or (match["month"] in {"may", "mar"} and not _names_may(text, match)):
        return None
    month = _MONTH_NAMES[match["month"]]
    year = int(match["year"]) if match["year"] else today.year + (month < today.month)
    end = _month_end(year, month)
    if end < today:
        return None
    start = today if re.search(r"\b(by|before|until|till)\s+" + match["month"], text) else None
    start = start or max(today, date(year, month, 1))
    return Timeline(label=f"{calendar.month_name[month]} {year}", start=start, end=end)


def _names_may(text: str, match: re.Match[str]) -> bool:
    """ "may" and "mar" are months only after "in", "by", "before", "until" or before a year."""
    before = text[: match.start()].rstrip()
    return bool(match["year"]) or before.endswith(("in", "by", "before", "until", "till", "of"))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
