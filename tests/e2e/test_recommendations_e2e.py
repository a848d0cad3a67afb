"""Suggestions over the real WebSocket: cards within budget, a click, both in the CRM store."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_bridge import recommendations
from crm_bridge.enums import SuggestionEventKind
from crm_bridge.models import Message
from tests.e2e.chat import Customer
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e

ASK = "I'm looking for a gift under 30 euros"


async def test_budget_request_gets_cards_and_a_click_is_recorded(
    stack: Stack, crm: Session
) -> None:
    async with Customer(stack.chat_url) as customer:
        asked = await customer.say(ASK)
        cards = [r["custom"] for r in asked.replies if r.get("custom")]
        assert cards, asked.frames
        pressed = cards[1] if len(cards) > 1 else cards[0]
        more = next(b for b in pressed["buttons"] if b["title"] == "More like this")
        similar = await customer.press(more["title"], more["payload"])

    assert "under €30" in asked.text
    assert len(cards) == 3
    assert all(card["type"] == "product_card" for card in cards)
    assert all(float(card["price"].lstrip("€")) <= 30 for card in cards), cards
    similar_cards = [r["custom"] for r in similar.replies if r.get("custom")]
    assert similar_cards and pressed["name"] in similar.text, similar.frames

    crm.rollback()  # a fresh snapshot: the action server wrote while we chatted
    said = crm.scalars(select(Message).where(Message.text == ASK)).one()
    events = recommendations.list_events(crm, conversation_id=said.conversation_id)
    shown = [e for e in events if e.kind == SuggestionEventKind.shown]
    clicked = [e for e in events if e.kind == SuggestionEventKind.clicked]
    assert [(e.product_id, e.rank) for e in shown[:3]] == [
        (card["product_id"], card["rank"]) for card in cards
    ]
    assert len(shown) == 3 + len(similar_cards)
    assert [(e.product_id, e.rank) for e in clicked] == [(pressed["product_id"], pressed["rank"])]
    assert {e.model_version for e in events} == {"v000001"}
    assert all(e.contact_id is not None for e in events)
