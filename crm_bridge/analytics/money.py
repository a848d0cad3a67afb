"""Revenue, marketing cost, new customers, and the seeds' CAC and ROI over a range.

Cost rows are entered by staff for whole days (``period_start`` to ``period_end``, both
included). A row that only partly overlaps the range counts pro rata: its amount times the
share of its period's time that lies inside ``[start, end)`` (for ranges of whole days, the
days of the period inside the range over the days of the period). Only the rows that
overlap the range are read, and they are few (a handful a month), so the proration is done
here rather than in dialect-specific SQL date arithmetic; sums over orders stay in the
database. Money figures are in one currency (EUR by default); rows in others are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.analytics.periods import check_range, day_start, within
from crm_bridge.models import MarketingCost, Order
from crm_bridge.orders import NOT_PURCHASED

CENT = Decimal("0.01")


@dataclass(frozen=True)
class CostShare:
    """One cost row and the part of its amount that falls in the range."""

    cost_id: int
    period_start: date
    period_end: date
    channel: str
    amount: Decimal
    counted: Decimal


@dataclass(frozen=True)
class MoneyFigures:
    """Revenue, cost and customers won in the range, with CAC and ROI derived from them.

    CAC = cost / new customers (None without new customers); ROI = (revenue - cost) / cost
    (None without cost). Revenue is every purchase of the range, not only what marketing
    brought in: that is the seeds' definition, generous to marketing by design.
    """

    currency: str
    revenue: Decimal
    orders: int
    cost: Decimal
    new_customers: int
    costs: list[CostShare]

    @property
    def cac(self) -> Decimal | None:
        if not self.new_customers:
            return None
        return (self.cost / self.new_customers).quantize(CENT, ROUND_HALF_UP)

    @property
    def roi(self) -> float | None:
        if not self.cost:
            return None
        return float((self.revenue - self.cost) / self.cost)


def money_figures(
    session: Session, *, start: datetime, end: datetime, currency: str = "EUR"
) -> MoneyFigures:
    """Revenue and orders, prorated cost and new customers of ``[start, end)``."""
    revenue, orders = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(Order.total), 0), sa.func.count()).where(
            within(Order.placed_at, start, end),
            Order.status.not_in(NOT_PURCHASED),
            Order.currency == currency,
        )
    ).one()
    costs = cost_shares(session, start=start, end=end, currency=currency)
    return MoneyFigures(
        currency=currency,
        revenue=Decimal(revenue).quantize(CENT),
        orders=orders,
        cost=sum((share.counted for share in costs), Decimal("0.00")),
        new_customers=new_customers(session, start=start, end=end),
        costs=costs,
    )


def new_customers(session: Session, *, start: datetime, end: datetime) -> int:
    """Contacts whose first purchase (cancelled and returned orders aside) is in the range."""
    first = (
        sa.select(Order.contact_id, sa.func.min(Order.placed_at).label("first_at"))
        .where(Order.status.not_in(NOT_PURCHASED))
        .group_by(Order.contact_id)
        .subquery()
    )
    statement = sa.select(sa.func.count()).where(within(first.c.first_at, start, end))
    return session.scalar(statement) or 0


def cost_shares(
    session: Session, *, start: datetime, end: datetime, currency: str = "EUR"
) -> list[CostShare]:
    """The cost rows overlapping the range, each with its prorated part, earliest first."""
    check_range(start, end)
    first_day = start.astimezone(UTC).date()
    last_day = (end.astimezone(UTC) - timedelta(microseconds=1)).date()
    statement = (
        sa.select(MarketingCost)
        .where(
            MarketingCost.period_start <= last_day,
            MarketingCost.period_end >= first_day,
            MarketingCost.currency == currency,
        )
        .order_by(MarketingCost.period_start, MarketingCost.id)
    )
    shares = []
    for cost in session.scalars(statement):
        counted = prorated(cost.amount, cost.period_start, cost.period_end, start=start, end=end)
        if counted:
            shares.append(
                CostShare(
                    cost_id=cost.id,
                    period_start=cost.period_start,
                    period_end=cost.period_end,
                    channel=cost.channel,
                    amount=cost.amount,
                    counted=counted,
                )
            )
    return shares


def prorated(
    amount: Decimal, period_start: date, period_end: date, *, start: datetime, end: datetime
) -> Decimal:
    """The part of ``amount`` spent over ``period_start..period_end`` that lies in the range."""
    period_from = day_start(period_start)
    period_to = day_start(period_end) + timedelta(days=1)
    overlap = min(period_to, end) - max(period_from, start)
    if overlap <= timedelta(0):
        return Decimal("0.00")
    share = Decimal(overlap.total_seconds()) / Decimal((period_to - period_from).total_seconds())
    return (amount * share).quantize(CENT, ROUND_HALF_UP)
