"""Date ranges and day buckets that give the same answer on SQLite and PostgreSQL, in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

# A literal, not a bound parameter: PostgreSQL binds each parameter separately, and the
# same expression with two parameters in SELECT and GROUP BY would count as two expressions.
_UTC = sa.literal_column("'UTC'")


def check_range(start: datetime, end: datetime) -> None:
    """Refuse naive datetimes and ranges that end before they start."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("analytics ranges need aware UTC datetimes")
    if end < start:
        raise ValueError(f"the range ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")


def within(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    """``start <= column < end``: a moment at ``end`` belongs to the next range."""
    check_range(start, end)
    return sa.and_(column >= start, column < end)


def day_of(session: Session, column: Any) -> ColumnElement[Any]:
    """The UTC calendar day of a timestamp column, as SQL (read it back with ``as_date``)."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.func.date(sa.func.timezone(_UTC, column))
    # SQLite stores naive UTC text ("2026-11-23 10:00:00.000000"): date() reads it as is.
    return sa.func.date(column)


def as_date(value: date | str) -> date:
    """A day as the backend returns it (a date on PostgreSQL, ISO text on SQLite)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def days_between(start: datetime, end: datetime) -> list[date]:
    """Every UTC day that ``[start, end)`` touches, in order."""
    check_range(start, end)
    first = start.astimezone(UTC).date()
    last = (end.astimezone(UTC) - timedelta(microseconds=1)).date()
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def ratio(part: int | float, whole: int | float) -> float | None:
    """``part / whole``, or None when there is nothing to divide by."""
    return part / whole if whole else None
