"""Conversations per day and channel, and containment, on both backends."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.analytics.conversations import (
    DailyConversations,
    containment,
    conversations_per_day,
    daily_series,
)
from crm_bridge.enums import Channel, ConversationStatus, HandoverStatus, SenderType
from tests.crm_bridge.analytics.data import END, START, at, conversation, handover, say


def test_conversations_per_day_counts_each_utc_day_and_channel(store_session: Session) -> None:
    conversation(store_session, at(1, 10))
    conversation(store_session, at(1, 23, 59), channel=Channel.telegram)
    conversation(store_session, at(3, 0, 0))
    conversation(store_session, at(3, 9), channel=Channel.telegram)
    conversation(store_session, at(3, 21))
    conversation(store_session, END)  # the end belongs to the next range
    conversation(store_session, START - timedelta(microseconds=1))

    rows = conversations_per_day(store_session, start=START, end=END)

    assert rows == [
        DailyConversations(date(2026, 11, 1), "telegram", 1),
        DailyConversations(date(2026, 11, 1), "web", 1),
        DailyConversations(date(2026, 11, 3), "telegram", 1),
        DailyConversations(date(2026, 11, 3), "web", 2),
    ]
    series = daily_series(rows, start=START, end=END)
    assert series.days == [date(2026, 11, day) for day in range(1, 8)]
    assert series.by_channel == {"telegram": [1, 0, 1, 0, 0, 0, 0], "web": [1, 0, 2, 0, 0, 0, 0]}


def test_days_are_utc_whatever_the_database_session_time_zone(store_session: Session) -> None:
    if store_session.get_bind().dialect.name == "postgresql":
        store_session.execute(sa.text("SET LOCAL TIME ZONE 'Asia/Tokyo'"))
    conversation(store_session, at(2, 22, 30))  # 3 November in Tokyo

    rows = conversations_per_day(store_session, start=START, end=END)

    assert rows == [DailyConversations(date(2026, 11, 2), "web", 1)]


def test_containment_leaves_out_conversations_a_person_joined(store_session: Session) -> None:
    only_bot = conversation(store_session, at(1))
    say(store_session, only_bot)
    say(store_session, only_bot, sender=SenderType.bot)
    agent_replied = conversation(store_session, at(1))
    say(store_session, agent_replied)
    say(store_session, agent_replied, sender=SenderType.agent)
    cancelled = conversation(store_session, at(2))
    say(store_session, cancelled)
    handover(store_session, cancelled, HandoverStatus.cancelled)
    requested = conversation(store_session, at(2))
    say(store_session, requested)
    handover(store_session, requested, HandoverStatus.requested)
    accepted = conversation(store_session, at(3))
    say(store_session, accepted)
    handover(store_session, accepted, HandoverStatus.resolved)
    claimed = conversation(store_session, at(3))
    say(store_session, claimed)
    claimed.status = ConversationStatus.human
    no_customer = conversation(store_session, at(4))
    say(store_session, no_customer, sender=SenderType.bot)
    later = conversation(store_session, END)
    say(store_session, later)
    store_session.flush()

    figures = containment(store_session, start=START, end=END)

    assert figures.with_customer_message == 6
    assert figures.contained == 3  # only_bot, cancelled, requested
    assert figures.rate == pytest.approx(0.5)


def test_containment_of_an_empty_range_has_no_rate(store_session: Session) -> None:
    figures = containment(store_session, start=START, end=END)

    assert (figures.with_customer_message, figures.contained, figures.rate) == (0, 0, None)
