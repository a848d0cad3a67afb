"""A plausible chat history for the demo, so the analytics dashboard has something to show.

Over the ``days`` before ``now``: a few web and Telegram conversations a day by the demo
shop's customers, each following one of a handful of scripts (a FAQ answered, products
suggested and clicked, a message the assistant did not understand, a hand-over a person
answered). Customer messages carry intents of domain.yml with confidences like the real
model's, and ``nlu_fallback`` where it would give up. The demo leads created in the window
get the conversation they came from (a lead-form chat), so the funnel reaches "won".
Deterministic for a given ``now`` and seed; conversations are keyed ``demo-...`` and leads
already linked are left alone, so seeding again adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.enums import (
    Channel,
    ConversationStatus,
    HandoverStatus,
    MessageDirection,
    SenderType,
    SuggestionEventKind,
)
from crm_bridge.models import (
    Contact,
    Conversation,
    Handover,
    Lead,
    Message,
    Product,
    SuggestionEvent,
)

MODEL_VERSION = "demo"
# (customer text, intent, typical confidence); None text = press the previous button.
Step = tuple[str, str, float]
SCRIPTS: dict[str, list[Step]] = {
    "faq": [
        ("hi there", "greet", 0.97),
        ("how much is shipping to Germany?", "faq/shipping", 0.93),
        ("thanks!", "thank", 0.95),
    ],
    "returns": [("can I send something back?", "faq/returns", 0.88)],
    "browse": [
        ("I need a gift for my sister, under 40 euros", "ask_recommendation", 0.86),
        ("More like this", "more_like_this", 1.0),
        ("is it in stock?", "ask_stock", 0.79),
    ],
    "price": [("how much is the ceramic lantern", "ask_price", 0.74)],
    "unclear": [
        ("do u do the thing with the boxes", "nlu_fallback", 0.4),
        ("gift wrapping?", "faq/shipping", 0.55),
    ],
    "handover": [
        ("my order never arrived", "nlu_fallback", 0.4),
        ("I want to talk to a person", "request_human", 0.94),
    ],
    "lead": [
        ("we need corporate gifts for 40 people", "request_quote", 0.91),
        ("about 2000 euros", "tell_need", 0.68),
        ("yes", "affirm", 0.96),
    ],
}
WEIGHTS = {"faq": 5, "returns": 2, "browse": 4, "price": 3, "unclear": 2, "handover": 1}


def seed_demo_conversations(
    session: Session, *, now: datetime, days: int = 60, seed: int = 42
) -> int:
    """Add the demo conversations of ``[now - days, now)`` that are missing; returns how many."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware UTC datetime")
    contacts = list(session.scalars(sa.select(Contact.id).order_by(Contact.id)))
    if not contacts:
        return 0
    products = list(
        session.scalars(sa.select(Product.id).where(Product.active).order_by(Product.id))
    )
    existing = set(
        session.scalars(
            sa.select(Conversation.session_key).where(Conversation.session_key.like("demo-%"))
        )
    )
    rng = random.Random(seed)
    start = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    added = 0
    for day in range(days + 1):
        for number in range(rng.randint(3, 11)):
            began = start + timedelta(days=day, minutes=rng.randint(7 * 60, 22 * 60))
            script = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
            channel = Channel.telegram if rng.random() < 0.35 else Channel.web
            contact_id = rng.choice(contacts)
            key = f"demo-{seed}-{day}-{number}"
            if began >= now or key in existing:
                continue
            # Each conversation has its own stream, so one already there changes no other.
            chat_rng = random.Random(f"{key}-{seed}")
            _converse(session, chat_rng, key, contact_id, channel, began, script, products)
            added += 1
    added += _lead_conversations(session, seed=seed, start=start, now=now, existing=existing)
    session.flush()
    return added


def _lead_conversations(
    session: Session, *, seed: int, start: datetime, now: datetime, existing: set[str]
) -> int:
    """Give each demo lead of the window without a conversation the chat it came from."""
    leads = session.scalars(
        sa.select(Lead)
        .where(Lead.conversation_id.is_(None), Lead.created_at >= start, Lead.created_at < now)
        .order_by(Lead.id)
    )
    added = 0
    for lead in leads:
        key = f"demo-lead-{lead.id}"
        if key in existing:
            continue
        rng = random.Random(f"{key}-{seed}")
        began = lead.created_at - timedelta(minutes=rng.randint(3, 15))
        conversation = _converse(
            session, rng, key, lead.contact_id, Channel(lead.channel), began, "lead", []
        )
        lead.conversation_id = conversation.id
        added += 1
    return added


def _converse(
    session: Session,
    rng: random.Random,
    key: str,
    contact_id: int,
    channel: Channel,
    began: datetime,
    script: str,
    products: list[int],
) -> Conversation:
    conversation = Conversation(
        contact_id=contact_id,
        channel=channel,
        session_key=key,
        status=ConversationStatus.closed,
        started_at=began,
    )
    session.add(conversation)
    session.flush()
    moment = began
    shown: list[int] = []
    for text, intent, typical in SCRIPTS[script]:
        moment += timedelta(seconds=rng.randint(15, 120))
        pressed = intent == "more_like_this"
        if pressed and not shown:
            continue
        confidence = typical if typical in (0.4, 1.0) else _jitter(rng, typical)
        payload = f'/more_like_this{{"product_id": {shown[0]}}}' if pressed else None
        _message(
            session, conversation, moment, SenderType.customer, text, intent, confidence, payload
        )
        if pressed:
            _suggestion(session, conversation, shown[0], SuggestionEventKind.clicked, moment)
        moment += timedelta(seconds=rng.randint(1, 4))
        _message(session, conversation, moment, SenderType.bot, _reply(intent))
        if intent == "ask_recommendation" and products:
            shown = rng.sample(products, k=min(3, len(products)))
            for rank, product_id in enumerate(shown, start=1):
                _suggestion(
                    session, conversation, product_id, SuggestionEventKind.shown, moment, rank
                )
            if rng.random() < 0.5:
                shown = []  # not clicked: the customer moves on
    if script == "handover":
        moment += timedelta(minutes=rng.randint(1, 20))
        session.add(
            Handover(
                conversation_id=conversation.id,
                reason="customer asked for a person",
                status=HandoverStatus.resolved,
                requested_at=moment,
                accepted_at=moment,
                resolved_at=moment + timedelta(minutes=10),
                assignee="demo agent",
            )
        )
        _message(session, conversation, moment, SenderType.agent, "Hello, I'm Lena. Let me check.")
    conversation.last_message_at = moment
    conversation.closed_at = moment + timedelta(minutes=30)
    return conversation


def _jitter(rng: random.Random, typical: float) -> float:
    return round(min(0.99, max(0.3, rng.gauss(typical, 0.12))), 3)


def _reply(intent: str) -> str:
    if intent == "nlu_fallback":
        return "Sorry, I didn't get that. Did you want to ask about shipping?"
    if intent == "request_human":
        return "I've asked a colleague to join; they will answer here."
    return "Here is what I found."


def _message(
    session: Session,
    conversation: Conversation,
    at: datetime,
    sender: SenderType,
    text: str,
    intent: str | None = None,
    confidence: float | None = None,
    payload: str | None = None,
) -> None:
    customer = sender == SenderType.customer
    session.add(
        Message(
            conversation_id=conversation.id,
            direction=MessageDirection.incoming if customer else MessageDirection.outgoing,
            sender_type=sender,
            text=text,
            payload=payload,
            intent=intent,
            confidence=confidence,
            entities=[] if customer else None,
            created_at=at,
        )
    )


def _suggestion(
    session: Session,
    conversation: Conversation,
    product_id: int,
    kind: SuggestionEventKind,
    at: datetime,
    rank: int = 1,
) -> None:
    session.add(
        SuggestionEvent(
            contact_id=conversation.contact_id,
            conversation_id=conversation.id,
            product_id=product_id,
            kind=kind,
            rank=rank,
            model_version=MODEL_VERSION,
            created_at=at,
        )
    )
