"""Factories that make valid store objects with unique defaults, so tests state only what matters.

Each takes the session first and flushes (never commits), like the repositories it uses.
"""

import itertools
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from crm_bridge import (
    contacts,
    conversations,
    experiments,
    handovers,
    leads,
    messages,
    orders,
    products,
)
from crm_bridge.column_types import utcnow
from crm_bridge.enums import Channel, ConversationStatus
from crm_bridge.models import (
    Campaign,
    Contact,
    Conversation,
    CustomerValue,
    Experiment,
    Handover,
    Lead,
    Message,
    Order,
    Product,
    ValueRun,
)

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


def make_experiment(
    session: Session,
    *,
    key: str = "greeting",
    texts: tuple[str, ...] = ("Hello! Variant A here.", "Hi there! Variant B here."),
    goal: str = "suggestion_click",
    name: str | None = None,
) -> Experiment:
    """A running experiment with variants `a`, `b`, ... carrying `texts`."""
    return experiments.create_experiment(
        session,
        key=key,
        name=name or unique(f"{key} test "),
        goal=goal,
        variants=[(chr(ord("a") + i), text) for i, text in enumerate(texts)],
        created_by="marketing@shop.test",
    )


def make_customer_value(
    session: Session,
    *,
    contact: Contact | None = None,
    rfm_segment: str = "need_attention",
    clv: Decimal | str | None = "100.00",
) -> CustomerValue:
    """A contact's stored value row (with a value run of its own), as a value run leaves it."""
    contact = contact or make_contact(session)
    run = ValueRun(status="ok", finished_at=utcnow())
    session.add(run)
    session.flush()
    now = utcnow()
    value = CustomerValue(
        contact_id=contact.id,
        run_id=run.id,
        first_order_at=now,
        last_order_at=now,
        order_count=3,
        total_spent=Decimal("150.00"),
        recency_days=10,
        r_score=3,
        f_score=3,
        m_score=3,
        rfm_segment=rfm_segment,
        cluster="steady",
        clv=Decimal(clv) if clv is not None else None,
        computed_at=now,
    )
    session.add(value)
    session.flush()
    return value


def make_campaign(session: Session, **fields: Any) -> Campaign:
    """An active campaign (watermark an hour ago) that sends one Telegram message on
    ``lead_qualified``; override any definition field or ``status``."""
    from datetime import timedelta

    from crm_bridge import campaign_specs, campaigns
    from crm_bridge.enums import CampaignStatus

    status = fields.pop("status", CampaignStatus.active)
    scanned_until = fields.pop("scanned_until", utcnow() - timedelta(hours=1))
    spec = campaign_specs.check_spec(
        name=fields.pop("name", unique("Campaign ")),
        trigger=fields.pop("trigger", "lead_qualified"),
        trigger_params=fields.pop("trigger_params", {}),
        wait_seconds=fields.pop("wait_seconds", 0),
        conditions=fields.pop("conditions", {}),
        actions=fields.pop(
            "actions", [{"kind": "telegram_message", "text": "Hi {{ first_name }}"}]
        ),
        conversion_window_days=fields.pop("conversion_window_days", 7),
        webhooks_enabled=fields.pop("webhooks_enabled", True),
    )
    assert not fields, f"unknown campaign fields {sorted(fields)}"
    campaign = campaigns.create_campaign(session, spec=spec, created_by="test@shop.test")
    campaign.status = CampaignStatus(status)
    campaign.scanned_until = scanned_until if status != CampaignStatus.draft else None
    session.flush()
    return campaign


def make_telegram_contact(
    session: Session, *, consent: bool | None = True, name: str = "Mia Jensen"
) -> Contact:
    """A contact who wrote to the Telegram bot, with a ``proactive_messages`` consent row
    (granted True, withdrawn False, never asked None)."""
    from crm_bridge import consents
    from crm_bridge.enums import ConsentKind

    external_id = str(7_000_000 + next(_numbers))
    contact, _ = contacts.get_or_create_for_identity(
        session, channel=Channel.telegram, external_id=external_id, display_name=name
    )
    contact.name = name
    conversation = conversations.open_conversation(
        session,
        contact_id=contact.id,
        channel=Channel.telegram,
        session_key=f"telegram-{external_id}",
    )
    messages.record_incoming(session, conversation_id=conversation.id, text="hello")
    if consent is not None:
        consents.record_consent(
            session,
            contact_id=contact.id,
            kind=ConsentKind.proactive_messages,
            granted=consent,
            wording="May we send you offers here?",
            channel=Channel.telegram,
        )
    session.flush()
    return contact
