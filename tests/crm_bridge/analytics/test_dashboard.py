"""The whole dashboard on an empty store, and range checks."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from crm_bridge.analytics.dashboard import build_dashboard
from crm_bridge.analytics.periods import days_between, within
from crm_bridge.models import Conversation
from tests.crm_bridge.analytics.data import END, START


def test_dashboard_of_an_empty_store_has_zeros_and_no_rates(store_session: Session) -> None:
    dashboard = build_dashboard(store_session, start=START, end=END)

    assert dashboard.per_day == []
    assert len(dashboard.series.days) == 7 and dashboard.series.by_channel == {}
    assert dashboard.containment.rate is None
    assert dashboard.fallbacks.rate is None
    assert dashboard.intents == [] and dashboard.low_confidence == []
    assert dashboard.funnel.conversations == 0
    assert dashboard.money.cac is None and dashboard.money.roi is None
    assert dashboard.campaigns == [] and dashboard.clv == []


def test_ranges_must_be_aware_and_in_order() -> None:
    with pytest.raises(ValueError, match="aware"):
        within(Conversation.started_at, datetime(2026, 11, 1), END)
    with pytest.raises(ValueError, match="before it starts"):
        days_between(END, START)


def test_days_between_lists_every_utc_day_touched() -> None:
    late = datetime(2026, 11, 3, 23, tzinfo=UTC)

    assert days_between(START, late) == [date(2026, 11, day) for day in (1, 2, 3)]
    assert days_between(START, START) == []
