"""The demo chat history: plausible figures for the dashboard, seeded once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from crm_bridge.analytics.dashboard import build_dashboard
from crm_bridge.demo_conversations import seed_demo_conversations
from crm_bridge.demo_shop import seed_demo_shop
from crm_bridge.models import Conversation, Lead, Message

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
DOMAIN = yaml.safe_load(open("domain.yml", encoding="utf-8"))  # noqa: SIM115


@pytest.fixture
def seeded(db_session: Session) -> int:
    seed_demo_shop(db_session)
    return seed_demo_conversations(db_session, now=NOW)


def test_demo_conversations_fill_the_dashboard(db_session: Session, seeded: int) -> None:
    dashboard = build_dashboard(db_session, start=NOW - timedelta(days=60), end=NOW)

    assert seeded > 200
    assert {row.channel for row in dashboard.per_day} == {"web", "telegram"}
    assert 0.5 < (dashboard.containment.rate or 0) < 1
    assert 0 < (dashboard.fallbacks.rate or 0) < 0.3
    assert dashboard.low_confidence
    assert dashboard.funnel.engaged > dashboard.funnel.leads > dashboard.funnel.won > 0
    assert 0 < (dashboard.suggestions.click_through_rate or 0) < 1
    known = set(DOMAIN["intents"]) | {"nlu_fallback"}
    for row in dashboard.intents:
        assert row.intent.split("/")[0] in known, row.intent


def test_demo_conversations_stay_in_the_window_and_are_seeded_once(
    db_session: Session, seeded: int
) -> None:
    first, _last = db_session.execute(
        sa.select(sa.func.min(Message.created_at), sa.func.max(Message.created_at))
    ).one()
    linked = db_session.scalar(sa.select(sa.func.count()).where(Lead.conversation_id.is_not(None)))

    assert first >= NOW - timedelta(days=61)
    assert db_session.scalar(sa.select(sa.func.max(Conversation.started_at))) < NOW
    assert linked and linked < seeded
    assert seed_demo_conversations(db_session, now=NOW) == 0
    assert db_session.scalar(sa.select(sa.func.count(Conversation.id))) == seeded
