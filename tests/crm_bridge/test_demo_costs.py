"""Demo marketing costs: whole months over the demo history, seeded once."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.demo_costs import CHANNELS, demo_months, seed_demo_costs
from crm_bridge.models import MarketingCost


def test_demo_months_cover_the_history_in_whole_months() -> None:
    months = demo_months()

    assert months[0] == (date(2024, 11, 1), date(2024, 11, 30))
    assert months[-1] == (date(2026, 10, 1), date(2026, 10, 31))
    assert len(months) == 24
    assert (date(2026, 2, 1), date(2026, 2, 28)) in months


def test_seed_demo_costs_is_idempotent_and_deterministic(db_session: Session) -> None:
    added = seed_demo_costs(db_session)
    amounts = db_session.execute(
        sa.select(MarketingCost.period_start, MarketingCost.channel, MarketingCost.amount)
    ).all()

    assert added == 24 * len(CHANNELS) == len(amounts)
    assert seed_demo_costs(db_session) == 0
    db_session.execute(
        sa.delete(MarketingCost).where(MarketingCost.period_start == date(2025, 3, 1))
    )
    assert seed_demo_costs(db_session) == len(CHANNELS)
    again = db_session.execute(
        sa.select(MarketingCost.period_start, MarketingCost.channel, MarketingCost.amount)
    ).all()
    assert sorted(again) == sorted(amounts)
    for _, channel, amount in amounts:
        low, high = CHANNELS[channel]
        assert low <= amount <= high
