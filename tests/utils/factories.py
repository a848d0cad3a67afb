"""Factories that make valid store objects with unique defaults, so tests state only what matters.

Each takes the session first and flushes (never commits), like the repositories it uses.
"""

import itertools
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from crm_bridge import contacts, conversations, handovers, leads, messages, orders, products
from crm_bridge.column_types import utcnow
from crm_bridge.enums import Channel, ConversationStatus
from crm_bridge.models import Contact, Conversation, Handover, Lead, Message, Order, Product

_numbers = itertools.count(1)


def unique(prefix: str) -> str:
    """Return ``prefix`` with a number no other call in this test run got."""
    return f"{prefix}{next(_numbers)}"


def make_contact(session: Session, **fields: Any) -> Contact:
    """A contact with a unique name and email."""
    number = next(_numbers)
    fields.setdefault("name", f"Test Person {number}")
    fields.setdefault("email", f"person{number}@example.test")
    return contacts.create_contact(session, **fields)


def make_conversation(
    session: Session,
    *,
    contact: Contact | None = None,
    channel: Channel = Channel.web,
    session_key: str | None = None,
    status: ConversationStatus = ConversationStatus.bot,
) -> Conversation:
    """A conversation (for a new contact unless one is given) in the given status."""
    contact = contact or make_contact(session)
    conversation = conversations.open_conversation(
        session,
        contact_id=contact.id,
        channel=channel,
        session_key=session_key or f"web-{next(_numbers):032x}",
    )
    if status != ConversationStatus.bot:
        conversation.status = status
        session.flush()
    return conversation


def make_message(
    session: Session, *, conversation: Conversation | None = None, text: str = "hello"
) -> Message:
    """An incoming customer message."""
    conversation = conversation or make_conversation(session)
    return messages.record_incoming(session, conversation_id=conversation.id, text=text)


def make_product(session: Session, **fields: Any) -> Product:
    """An active, in-stock product with a unique SKU."""
    number = next(_numbers)
    fields.setdefault("sku", f"TEST-{number:05d}")
    fields.setdefault("name", f"Test Lantern {number}")
    fields.setdefault("category", "lighting")
    fields.setdefault("price", Decimal("19.99"))
    fields.setdefault("stock", 10)
    return products.upsert_product(session, **fields)


def make_order(
    session: Session,
    *,
    contact: Contact | None = None,
    items: list[tuple[Product, int]] | None = None,
    placed_at: datetime | None = None,
    **fields: Any,
) -> Order:
    """An order of (product, quantity) pairs at list price; one new product by default."""
    contact = contact or make_contact(session)
    items = items or [(make_product(session), 1)]
    lines = [orders.OrderLine(product.id, quantity, product.price) for product, quantity in items]
    return orders.create_order(
        session, contact_id=contact.id, placed_at=placed_at or utcnow(), items=lines, **fields
    )


def make_lead(session: Session, *, conversation: Conversation | None = None, **fields: Any) -> Lead:
    """A new lead from a web conversation."""
    conversation = conversation or make_conversation(session)
    fields.setdefault("data", {"interest": "lanterns"})
    fields.setdefault("channel", conversation.channel)
    return leads.create_lead(
        session, contact_id=conversation.contact_id, conversation_id=conversation.id, **fields
    )


def make_handover(session: Session, *, conversation: Conversation | None = None) -> Handover:
    """A requested hand-over (which puts its conversation in ``waiting``)."""
    conversation = conversation or make_conversation(session)
    return handovers.request_handover(session, conversation_id=conversation.id, reason="test")


def lead_data(**fields: Any) -> dict[str, Any]:
    """A finished lead form's data in the lead contract (an average lead); override any field."""
    data: dict[str, Any] = {
        "request": "quote",
        "need": "Thank-you gifts for clients",
        "company": "Copperleaf Studio",
        "team_size": 12,
        "role": "Office manager",
        "authority": "influencer",
        "budget": {
            "min": 1000.0,
            "max": 1000.0,
            "currency": "EUR",
            "period": "month",
            "no_budget": False,
        },
        "timeline": {
            "label": "next month",
            "start": "2026-12-01",
            "end": "2026-12-31",
            "asap": False,
            "just_looking": False,
        },
        "name": "Test Person",
        "email": "test.person@copperleaf.example",
        "email_kind": "business",
        "marketing_consent": True,
        "skipped": [],
        "engagement": {
            "messages": 6,
            "products_asked": 1,
            "suggestions_clicked": 0,
            "returning_visitor": False,
            "channel": "web",
            "orders": 0,
        },
    }
    data.update(fields)
    return data


def make_closed_lead(
    session: Session,
    *,
    converted: bool,
    data: dict[str, Any] | None = None,
    qualified_at: datetime | None = None,
    contact: Contact | None = None,
) -> Lead:
    """A lead that was qualified and then converted or lost (what lead scoring learns from)."""
    from crm_bridge.enums import LeadStatus

    contact = contact or make_contact(session)
    qualified_at = qualified_at or utcnow()
    lead = leads.create_lead(
        session,
        contact_id=contact.id,
        conversation_id=None,
        channel=Channel.web,
        data=data if data is not None else lead_data(),
    )
    lead.status = LeadStatus.converted if converted else LeadStatus.lost
    lead.qualified_at = qualified_at
    lead.closed_at = qualified_at
    session.flush()
    return lead
