"""Helpers for gateway tests: read the CRM store, drive the web chat protocol."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import WebSocketTestSession

from automation.settings import AutomationSettings
from bot.sessions import SessionSigner
from crm_bridge import products
from crm_bridge.models import Conversation, Message

TEST_SECRET = "gateway-tests-secret-0123456789"
TEST_MAIL_SECRET = "gateway-tests-mail-secret-0123456789"


def session_key_of(token: str) -> str:
    """The conversation key inside a session token issued by the test app."""
    return SessionSigner(TEST_SECRET).unsign(token)


def hello(ws: WebSocketTestSession, token: str | None = None) -> str:
    """Say hello and return the session token the server issued."""
    ws.send_json({"type": "hello", "session": token})
    frame = ws.receive_json()
    assert frame["type"] == "session", frame
    return str(frame["session"])


def until_reply(ws: WebSocketTestSession) -> list[dict[str, Any]]:
    """Frames up to and including the first `bot` or `error` frame."""
    frames = []
    while True:
        frame = ws.receive_json()
        frames.append(frame)
        if frame["type"] in ("bot", "error"):
            return frames


def say(ws: WebSocketTestSession, text: str) -> dict[str, Any]:
    """Send a message and return the first reply frame (after any `typing`)."""
    ws.send_json({"type": "message", "text": text})
    return until_reply(ws)[-1]


def count_messages(factory: Callable[[], Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Message)) or 0


def messages_of(factory: Callable[[], Session], session_key: str) -> list[Message]:
    """Every recorded message of the conversation with this session key, oldest first."""
    with factory() as session:
        statement = (
            select(Message)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Conversation.session_key == session_key)
            .order_by(Message.id)
        )
        return list(session.scalars(statement))


def seed_products(factory: Callable[[], Session]) -> None:
    with factory() as session:
        for sku, name, category, price, stock in [
            ("TEA-001", "Sencha Green Tea", "Tea", "8.90", 25),
            ("TEA-002", "Earl Grey Classic", "Tea", "7.50", 0),
            ("MUG-001", "Stoneware Mug", "Kitchen", "14.00", 12),
        ]:
            products.upsert_product(
                session, sku=sku, name=name, category=category, price=Decimal(price), stock=stock
            )
        session.commit()


# The campaign scheduler is tested on its own (tests/automation/); gateway tests run without it.
NO_CAMPAIGNS = AutomationSettings(_env_file=None, campaigns_enabled=False)
