"""Leads as plain data for scoring: a contact's engagement snapshot and closed leads for training.

`engagement_for` is called when a lead is qualified and its result is stored in the lead's
``data["engagement"]``, so a model trained later sees each lead as it was then, never
what happened after. `training_rows` gives the closed leads (converted = 1, lost = 0);
open leads have no outcome yet and are left out. No ORM object leaves this module.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.enums import LeadStatus, MessageDirection, SenderType, SuggestionEventKind
from crm_bridge.models import Conversation, Lead, Message, Order, SuggestionEvent
from crm_bridge.orders import NOT_PURCHASED

PRODUCT_INTENTS = ("ask_price", "ask_stock", "product_details")
OUTCOMES = {LeadStatus.converted: 1, LeadStatus.lost: 0}


@dataclass(frozen=True)
class TrainingRow:
    """One closed lead: what the form collected, the day it was qualified, and the outcome."""

    data: dict[str, Any]
    created: date
    label: int


def engagement_for(
    session: Session, *, contact_id: int, conversation_id: int | None
) -> dict[str, Any]:
    """What the contact did before this lead: the snapshot stored in ``data["engagement"]``.

    Keys: ``messages`` (customer messages in this conversation), ``products_asked``
    (distinct products asked about or clicked in suggestions, plus product questions in
    this conversation; a question naming no product id counts once per distinct wording),
    ``suggestions_clicked``, ``returning_visitor`` (an earlier conversation exists),
    ``channel`` (of this conversation, else the contact's latest; None without any) and
    ``orders`` (past orders, cancelled and returned ones left out).
    """
    conversation = session.get(Conversation, conversation_id) if conversation_id else None
    customer_messages = _customer_messages(session, conversation_id) if conversation else []
    events = session.execute(
        sa.select(SuggestionEvent.kind, SuggestionEvent.product_id).where(
            SuggestionEvent.contact_id == contact_id,
            SuggestionEvent.kind.in_([SuggestionEventKind.asked, SuggestionEventKind.clicked]),
        )
    ).all()
    products: set[tuple[str, Any]] = {("id", product_id) for _, product_id in events}
    products |= {_product_key(m) for m in customer_messages if m.intent in PRODUCT_INTENTS}
    return {
        "messages": len(customer_messages),
        "products_asked": len(products),
        "suggestions_clicked": sum(kind == SuggestionEventKind.clicked for kind, _ in events),
        "returning_visitor": _has_earlier_conversation(session, contact_id, conversation),
        "channel": _channel(session, contact_id, conversation),
        "orders": session.scalar(
            sa.select(sa.func.count(Order.id)).where(
                Order.contact_id == contact_id, Order.status.not_in(NOT_PURCHASED)
            )
        ),
    }


def training_rows(session: Session) -> list[TrainingRow]:
    """Closed leads, oldest first, as plain data (label 1 converted, 0 lost)."""
    statement = (
        sa.select(Lead.data, Lead.qualified_at, Lead.created_at, Lead.status)
        .where(Lead.status.in_(list(OUTCOMES)))
        .order_by(Lead.created_at, Lead.id)
    )
    return [
        TrainingRow(copy.deepcopy(data or {}), (qualified or created).date(), OUTCOMES[status])
        for data, qualified, created, status in session.execute(statement).tuples()
    ]


def _customer_messages(session: Session, conversation_id: int | None) -> list[Message]:
    statement = sa.select(Message).where(
        Message.conversation_id == conversation_id,
        Message.direction == MessageDirection.incoming,
        Message.sender_type == SenderType.customer,
    )
    return list(session.scalars(statement))


def _product_key(message: Message) -> tuple[str, Any]:
    """The product a question is about: its id entity when there is one, else its wording."""
    for entity in message.entities or []:
        if isinstance(entity, dict) and entity.get("entity") == "product_id":
            try:
                return ("id", int(entity.get("value")))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                break
    return ("text", " ".join((message.text or "").lower().split()))


def _has_earlier_conversation(
    session: Session, contact_id: int, conversation: Conversation | None
) -> bool:
    statement = sa.select(Conversation.id).where(Conversation.contact_id == contact_id)
    if conversation is not None:
        statement = statement.where(
            Conversation.id != conversation.id, Conversation.started_at <= conversation.started_at
        )
    return session.scalars(statement.limit(1)).first() is not None


def _channel(session: Session, contact_id: int, conversation: Conversation | None) -> str | None:
    if conversation is not None:
        return conversation.channel.value
    latest = session.scalars(
        sa.select(Conversation.channel)
        .where(Conversation.contact_id == contact_id)
        .order_by(Conversation.started_at.desc(), Conversation.id.desc())
        .limit(1)
    ).first()
    return latest.value if latest is not None else None
