"""Conversation volume per day and channel, and containment (closed without a human)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.analytics.periods import as_date, day_of, days_between, ratio, within
from crm_bridge.enums import ConversationStatus, HandoverStatus, SenderType
from crm_bridge.models import Conversation, Handover, Message

# A hand-over in one of these states means a person had the conversation.
_HANDLED = (HandoverStatus.accepted, HandoverStatus.resolved)


@dataclass(frozen=True)
class DailyConversations:
    """Conversations started on one UTC day in one channel."""

    day: date
    channel: str
    conversations: int


@dataclass(frozen=True)
class DailySeries:
    """Per-day counts for a chart: one list per channel, aligned with ``days`` (zeros filled)."""

    days: list[date]
    by_channel: dict[str, list[int]]


@dataclass(frozen=True)
class Containment:
    """Conversations with a customer message, and how many of them no person ever joined."""

    with_customer_message: int
    contained: int

    @property
    def rate(self) -> float | None:
        return ratio(self.contained, self.with_customer_message)


def conversations_per_day(
    session: Session, *, start: datetime, end: datetime
) -> list[DailyConversations]:
    """Conversations started in the range per UTC day and channel (days without any left out)."""
    day = day_of(session, Conversation.started_at)
    statement = (
        sa.select(day, Conversation.channel, sa.func.count())
        .where(within(Conversation.started_at, start, end))
        .group_by(day, Conversation.channel)
        .order_by(day, Conversation.channel)
    )
    return [
        DailyConversations(day=as_date(value), channel=str(channel), conversations=count)
        for value, channel, count in session.execute(statement).tuples()
    ]


def daily_series(rows: list[DailyConversations], *, start: datetime, end: datetime) -> DailySeries:
    """Spread ``conversations_per_day`` over every day of the range, with 0 where none started."""
    days = days_between(start, end)
    position = {day: index for index, day in enumerate(days)}
    by_channel: dict[str, list[int]] = {}
    for row in rows:
        series = by_channel.setdefault(row.channel, [0] * len(days))
        series[position[row.day]] += row.conversations
    return DailySeries(days=days, by_channel=dict(sorted(by_channel.items())))


def containment(session: Session, *, start: datetime, end: datetime) -> Containment:
    """Containment of the conversations started in the range.

    The base is the conversations with at least one customer message. One is contained
    when no person ever took part: no hand-over that was accepted or resolved, no agent
    message, and not in ``human`` status now. A hand-over that was only
    requested, or cancelled, leaves the conversation contained: the bot kept answering.
    """
    has_customer_message = (
        sa.select(Message.id)
        .where(
            Message.conversation_id == Conversation.id,
            Message.sender_type == SenderType.customer,
        )
        .exists()
    )
    had_handover = (
        sa.select(Handover.id)
        .where(
            Handover.conversation_id == Conversation.id,
            sa.or_(Handover.accepted_at.is_not(None), Handover.status.in_(_HANDLED)),
        )
        .exists()
    )
    had_agent = (
        sa.select(Message.id)
        .where(Message.conversation_id == Conversation.id, Message.sender_type == SenderType.agent)
        .exists()
    )
    human = sa.or_(had_handover, had_agent, Conversation.status == ConversationStatus.human)
    statement = sa.select(
        sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((human, 0), else_=1)), 0)
    ).where(within(Conversation.started_at, start, end), has_customer_message)
    total, contained = session.execute(statement).one()
    return Containment(with_customer_message=total, contained=int(contained))
