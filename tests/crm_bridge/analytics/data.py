"""Small hand-built histories for the analytics tests, with times chosen by the test."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from crm_bridge.enums import (
    Channel,
    HandoverStatus,
    LeadStatus,
    MessageDirection,
    OrderStatus,
    SenderType,
)
from crm_bridge.models import Contact, Conversation, Handover, Lead, Message, Order
from tests.utils.factories import make_conversation, make_order, make_product

START = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 11, 8, tzinfo=UTC)


def at(day: int, hour: int = 12, minute: int = 0, month: int = 11) -> datetime:
    """A moment of November 2026 (or another month of 2026), UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def conversation(
    session: Session, started_at: datetime, *, channel: Channel = Channel.web
) -> Conversation:
    """A conversation that started at ``started_at``."""
    row = make_conversation(session, channel=channel)
    row.started_at = started_at
    session.flush()
    return row


def say(
    session: Session,
    row: Conversation,
    *,
    at_time: datetime | None = None,
    intent: str | None = None,
    confidence: float | None = None,
    payload: str | None = None,
    sender: SenderType = SenderType.customer,
    text: str = "hello",
) -> Message:
    """A message in the conversation: the customer's by default, with an optional parse."""
    incoming = sender == SenderType.customer
    message = Message(
        conversation_id=row.id,
        direction=MessageDirection.incoming if incoming else MessageDirection.outgoing,
        sender_type=sender,
        text=text,
        payload=payload,
        intent=intent,
        confidence=confidence,
        created_at=at_time or row.started_at,
    )
    session.add(message)
    session.flush()
    return message


def handover(session: Session, row: Conversation, status: HandoverStatus) -> Handover:
    """A hand-over of the conversation in ``status`` (accepted ones have ``accepted_at``)."""
    accepted = status in (HandoverStatus.accepted, HandoverStatus.resolved)
    item = Handover(
        conversation_id=row.id,
        status=status,
        requested_at=row.started_at,
        accepted_at=row.started_at if accepted else None,
    )
    session.add(item)
    session.flush()
    return item


def lead(
    session: Session, row: Conversation, *, status: LeadStatus = LeadStatus.new, qualified: bool
) -> Lead:
    """A lead of the conversation's contact, qualified (``qualified_at`` set) or not."""
    item = Lead(
        contact_id=row.contact_id,
        conversation_id=row.id,
        channel=row.channel,
        status=status,
        data={},
        qualified_at=row.started_at if qualified else None,
    )
    session.add(item)
    session.flush()
    return item


def order(
    session: Session,
    contact: Contact,
    placed_at: datetime,
    total: str,
    *,
    status: OrderStatus = OrderStatus.delivered,
    currency: str = "EUR",
) -> Order:
    """An order of ``contact`` worth ``total`` (one line), placed at ``placed_at``."""
    product = make_product(session, price=Decimal(total))
    return make_order(
        session,
        contact=contact,
        items=[(product, 1)],
        placed_at=placed_at,
        status=status,
        currency=currency,
    )
