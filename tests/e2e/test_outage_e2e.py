"""Rasa or the action server down: a polite reply in time, nothing lost, then recovery."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_bridge import products
from crm_bridge.enums import SenderType
from crm_bridge.models import Message
from tests.e2e.chat import Customer
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e

TROUBLE = "having trouble"


def _recorded(crm: Session, text: str) -> list[Message]:
    crm.rollback()  # end the read snapshot so the gateway's writes are visible
    return list(crm.scalars(select(Message).where(Message.text == text)))


async def test_rasa_outage_gets_a_polite_reply_and_recovers(stack: Stack, crm: Session) -> None:
    async with Customer(stack.chat_url) as customer:
        await customer.say("hello")
        await asyncio.to_thread(stack.stop, "rasa")
        try:
            started = time.monotonic()
            turn = await customer.say("are you still there?", timeout=15)
            elapsed = time.monotonic() - started
        finally:
            await asyncio.to_thread(stack.start, "rasa")
        after = await customer.say("how do returns work?")

    assert TROUBLE in turn.text.lower(), turn.frames
    assert elapsed < 10
    [kept] = _recorded(crm, "are you still there?")
    assert kept.intent is None
    apology = crm.scalars(
        select(Message).where(Message.conversation_id == kept.conversation_id, Message.id > kept.id)
    ).first()
    assert apology is not None and apology.sender_type == SenderType.system
    assert "return" in after.text.lower(), after.frames


async def test_action_server_outage_gets_a_polite_reply_and_recovers(
    stack: Stack, crm: Session
) -> None:
    product = next(p for p in products.list_products(crm) if p.stock > 0)
    question = f"what does the {product.name} cost?"
    async with Customer(stack.chat_url) as customer:
        await asyncio.to_thread(stack.stop, "actions")
        try:
            started = time.monotonic()
            turn = await customer.say(question, timeout=15)
            elapsed = time.monotonic() - started
        finally:
            await asyncio.to_thread(stack.start, "actions")
        after = await customer.say(question)

    assert TROUBLE in turn.text.lower(), turn.frames
    assert elapsed < 10
    assert len(_recorded(crm, question)) == 2
    assert f"{product.price:.2f}" in after.text, after.frames
