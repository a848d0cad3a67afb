"""Marketing spend entered by staff (for CAC and ROI): add, list and delete cost rows."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.models import Campaign, MarketingCost

MAX_CHANNEL = 60
MAX_NOTE = 2_000
# Numeric(12, 2): ten digits before the point.
MAX_AMOUNT = Decimal("9999999999.99")
CENT = Decimal("0.01")
_CURRENCY = re.compile(r"[A-Z]{3}")


class InvalidCost(ValueError):
    """A cost row staff entered that cannot be stored; the message says why, in words."""


def add_cost(
    session: Session,
    *,
    period_start: date,
    period_end: date,
    amount: Decimal,
    entered_by: str,
    currency: str = "EUR",
    channel: str = "",
    campaign_id: int | None = None,
    note: str = "",
) -> MarketingCost:
    """Store one cost row after checking it; raises `InvalidCost` with the reason."""
    if period_end < period_start:
        raise InvalidCost("the period ends before it starts")
    if not amount.is_finite() or amount <= 0:
        raise InvalidCost("the amount must be more than 0")
    if amount > MAX_AMOUNT:
        raise InvalidCost(f"the amount must be at most {MAX_AMOUNT}")
    if amount != amount.quantize(CENT):
        raise InvalidCost("the amount has at most two decimals (cents)")
    currency = currency.strip().upper()
    if not _CURRENCY.fullmatch(currency):
        raise InvalidCost("the currency is a three-letter code such as EUR")
    channel = channel.strip()
    if len(channel) > MAX_CHANNEL:
        raise InvalidCost(f"the channel has at most {MAX_CHANNEL} characters")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidCost(f"the note has at most {MAX_NOTE} characters")
    if campaign_id is not None and session.get(Campaign, campaign_id) is None:
        raise InvalidCost(f"there is no campaign {campaign_id}")
    cost = MarketingCost(
        period_start=period_start,
        period_end=period_end,
        amount=amount.quantize(CENT),
        currency=currency,
        channel=channel,
        campaign_id=campaign_id,
        note=note,
        entered_by=entered_by,
    )
    session.add(cost)
    session.flush()
    return cost


def list_costs(
    session: Session,
    *,
    overlapping: tuple[date, date] | None = None,
    limit: int | None = None,
) -> list[MarketingCost]:
    """Cost rows, latest period first; only those overlapping ``(first, last)`` day if given."""
    statement = sa.select(MarketingCost).order_by(
        MarketingCost.period_start.desc(), MarketingCost.id.desc()
    )
    if overlapping is not None:
        first, last = overlapping
        statement = statement.where(
            MarketingCost.period_start <= last, MarketingCost.period_end >= first
        )
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement))


def get_cost(session: Session, cost_id: int) -> MarketingCost | None:
    """One cost row, or None."""
    return session.get(MarketingCost, cost_id)


def delete_cost(session: Session, cost_id: int) -> MarketingCost:
    """Delete a cost row and return it (for the audit log); `LookupError` if there is none."""
    cost = session.get(MarketingCost, cost_id)
    if cost is None:
        raise LookupError(f"There is no cost {cost_id}")
    session.delete(cost)
    session.flush()
    return cost
