"""How well the assistant understood customers: fallback rate, top intents, unsure parses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.analytics.periods import ratio, within
from crm_bridge.enums import SenderType
from crm_bridge.models import Message

# What Rasa's FallbackClassifier (config.yml: threshold 0.4, ambiguity 0.1) calls a
# message it is unsure about; the gateway stores it as the message's intent.
FALLBACK_INTENT = "nlu_fallback"
LOW_CONFIDENCE = 0.5
TOP_INTENTS = 10
LOW_CONFIDENCE_ROWS = 50


@dataclass(frozen=True)
class FallbackRate:
    """Customer messages in the range, those the assistant parsed, and its fallbacks."""

    customer_messages: int
    parsed: int
    fallbacks: int

    @property
    def rate(self) -> float | None:
        return ratio(self.fallbacks, self.parsed)


@dataclass(frozen=True)
class IntentCount:
    """One intent: how many customer messages had it, their share, their mean confidence."""

    intent: str
    messages: int
    share: float
    average_confidence: float | None


@dataclass(frozen=True)
class LowConfidenceMessage:
    """A customer message the assistant was unsure about, with its conversation for a link."""

    message_id: int
    conversation_id: int
    created_at: datetime
    text: str | None
    intent: str | None
    confidence: float


def _customer_messages(start: datetime, end: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        Message.sender_type == SenderType.customer, within(Message.created_at, start, end)
    )


def fallback_rate(session: Session, *, start: datetime, end: datetime) -> FallbackRate:
    """Share of the parsed customer messages of the range that ended in the fallback.

    A fallback is a customer message whose stored intent is ``nlu_fallback``: the top
    intent's confidence was below the FallbackClassifier's threshold, or the two best were
    too close, and the assistant answered with the two-stage fallback (actions/fallback.py)
    instead of an answer. The base is the customer messages with a stored parse: messages
    without one never reached the assistant (a person had the conversation, or Rasa was
    down), so it had no chance to understand them; ``customer_messages`` counts them all.
    """
    parsed = Message.intent.is_not(None)
    is_fallback = Message.intent == FALLBACK_INTENT
    statement = sa.select(
        sa.func.count(),
        sa.func.coalesce(sa.func.sum(sa.case((parsed, 1), else_=0)), 0),
        sa.func.coalesce(sa.func.sum(sa.case((is_fallback, 1), else_=0)), 0),
    ).where(_customer_messages(start, end))
    total, parsed_count, fallbacks = session.execute(statement).one()
    return FallbackRate(customer_messages=total, parsed=int(parsed_count), fallbacks=int(fallbacks))


def top_intents(
    session: Session, *, start: datetime, end: datetime, limit: int = TOP_INTENTS
) -> list[IntentCount]:
    """The most frequent intents of customer messages (fallbacks included), most first.

    ``share`` is of all parsed customer messages in the range, not only of those listed.
    """
    where = sa.and_(_customer_messages(start, end), Message.intent.is_not(None))
    parsed = session.scalar(sa.select(sa.func.count()).where(where)) or 0
    count = sa.func.count().label("messages")
    statement = (
        sa.select(Message.intent, count, sa.func.avg(Message.confidence))
        .where(where)
        .group_by(Message.intent)
        .order_by(count.desc(), Message.intent)
        .limit(limit)
    )
    return [
        IntentCount(
            intent=intent,
            messages=messages,
            share=messages / parsed,
            average_confidence=None if average is None else float(average),
        )
        for intent, messages, average in session.execute(statement).tuples()
    ]


def low_confidence_messages(
    session: Session,
    *,
    start: datetime,
    end: datetime,
    threshold: float = LOW_CONFIDENCE,
    limit: int = LOW_CONFIDENCE_ROWS,
) -> list[LowConfidenceMessage]:
    """Customer messages parsed below ``threshold`` confidence, latest first, at most ``limit``."""
    statement = (
        sa.select(
            Message.id,
            Message.conversation_id,
            Message.created_at,
            Message.text,
            Message.intent,
            Message.confidence,
        )
        .where(_customer_messages(start, end), Message.confidence < threshold)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return [
        LowConfidenceMessage(
            message_id=message_id,
            conversation_id=conversation_id,
            created_at=created_at,
            text=text,
            intent=intent,
            confidence=float(confidence),
        )
        for message_id, conversation_id, created_at, text, intent, confidence in session.execute(
            statement
        ).tuples()
    ]
