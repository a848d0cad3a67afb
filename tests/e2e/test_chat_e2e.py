"""A customer chats with the real assistant; the CRM store holds the whole transcript."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_bridge import conversations, messages, products
from crm_bridge.enums import ConversationStatus, MessageDirection, SenderType
from crm_bridge.models import Handover, Message
from tests.e2e.chat import Customer
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e


async def test_conversation_is_answered_and_recorded_with_intents(
    stack: Stack, crm: Session
) -> None:
    product = next(p for p in products.list_products(crm) if p.stock > 0)

    async with Customer(stack.chat_url) as customer:
        greeting = await customer.say("hi there")
        shipping = await customer.say("what do you charge for shipping to France?")
        price = await customer.say(f"how much is the {product.name}?")
        human = await customer.say("I want to talk to a real person")
        session_token = customer.session

    assert greeting.replies, greeting.frames
    assert "ship" in shipping.text.lower() or "deliver" in shipping.text.lower()
    assert f"{product.price:.2f}" in price.text, price.text
    assert human.replies, human.frames

    crm.rollback()  # end the read snapshot so the gateway's writes are visible
    last = crm.scalars(
        select(Message).where(Message.text == "I want to talk to a real person")
    ).one()
    conversation = conversations.get_conversation(crm, last.conversation_id)
    assert conversation is not None and session_token
    transcript = messages.list_messages(crm, conversation.id)
    incoming = [m for m in transcript if m.direction == MessageDirection.incoming]
    outgoing = [m for m in transcript if m.direction == MessageDirection.outgoing]

    assert [m.text for m in incoming] == [
        "hi there",
        "what do you charge for shipping to France?",
        f"how much is the {product.name}?",
        "I want to talk to a real person",
    ]
    assert [m.intent for m in incoming] == ["greet", "faq/shipping", "ask_price", "request_human"]
    assert all(m.confidence is not None and 0 < m.confidence <= 1 for m in incoming)
    assert len(outgoing) >= 4
    assert all(m.sender_type == SenderType.bot for m in outgoing)
    assert any(f"{product.price:.2f}" in (m.text or "") for m in outgoing)

    handover = crm.scalars(
        select(Handover).where(Handover.conversation_id == conversation.id)
    ).one()
    assert handover.status == "requested"
    assert conversation.status == ConversationStatus.waiting


async def test_conversation_survives_a_reconnect_with_the_signed_session(stack: Stack) -> None:
    async with Customer(stack.chat_url) as customer:
        await customer.say("hello")
        first_session = customer.session
        await customer.close()
        await customer.connect()

        assert customer.session == first_session
        texts = [m.get("text") for m in customer.history]
        assert "hello" in texts
        assert len(customer.history) >= 2


async def test_reply_buttons_send_their_payload(stack: Stack) -> None:
    async with Customer(stack.chat_url) as customer:
        turn = await customer.say("how much is the zebra striped umbrella?")
        assert "did not find" in turn.text.lower(), turn.frames
        assert turn.buttons, f"expected suggestion buttons, got {turn.frames}"
        button = turn.buttons[0]
        pressed = await customer.press(button["title"], button["payload"])

    assert pressed.replies, pressed.frames
    assert "did not find" not in pressed.text.lower(), pressed.frames
