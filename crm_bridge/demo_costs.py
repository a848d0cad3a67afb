"""Monthly marketing costs over the demo shop's order history, so CAC and ROI show figures.

Two channels a month, amounts drawn from a seeded generator around a plausible budget
(a few per cent of a month's demo revenue): deterministic and clock-independent like the
demo shop itself. Rows are recognised by ``entered_by`` = ``demo`` and their month and
channel, so seeding again adds only what is missing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.demo_shop import HISTORY_DAYS, HISTORY_END
from crm_bridge.models import MarketingCost

DEMO_AUTHOR = "demo"
# Channel -> (lowest, highest) monthly spend in EUR.
CHANNELS = {"search ads": (450, 900), "newsletter": (80, 160)}


def demo_months() -> list[tuple[date, date]]:
    """First and last day of every month of the demo shop's history, oldest first."""
    first = (HISTORY_END - timedelta(days=HISTORY_DAYS)).date().replace(day=1)
    last_day = (HISTORY_END - timedelta(days=1)).date()
    months = []
    while first <= last_day:
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        months.append((first, following - timedelta(days=1)))
        first = following
    return months


def seed_demo_costs(session: Session, *, seed: int = 42) -> int:
    """Add the demo's monthly cost rows that are not there yet; returns how many were added."""
    existing = set(
        session.execute(
            sa.select(MarketingCost.period_start, MarketingCost.channel).where(
                MarketingCost.entered_by == DEMO_AUTHOR
            )
        ).tuples()
    )
    rng = random.Random(seed)
    added = 0
    for first, last in demo_months():
        for channel, (low, high) in CHANNELS.items():
            amount = Decimal(rng.randint(low * 100, high * 100)) / 100
            if (first, channel) in existing:
                continue
            session.add(
                MarketingCost(
                    period_start=first,
                    period_end=last,
                    channel=channel,
                    amount=amount,
                    currency="EUR",
                    note="demo data",
                    entered_by=DEMO_AUTHOR,
                )
            )
            added += 1
    session.flush()
    return added
