"""ConversationRouter without any channel: recording order, modes and fallbacks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from bot.messages import TROUBLE_REPLY, InboundMessage
from bot.rasa_client import RasaClient
from bot.router import ConversationRouter
from crm_bridge import conversations
from crm_bridge.enums import Channel, ConversationStatus, SenderType
from tests.bot.helpers import count_messages, messages_of
from tests.bot.rasa_stand_in import StandInRasa, canned_reply

KEY = "web-" + "a" * 32


def _inbound(text: str = "hi", payload: str | None = None) -> InboundMessage:
    return InboundMessage(
        channel=Channel.web, external_id=KEY, session_key=KEY, text=text, payload=payload
    )


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(trust_env=False) as client:
        yield client


def _router(store: Callable[[], Session], http: httpx.AsyncClient, url: str) -> ConversationRouter:
    return ConversationRouter(store, RasaClient(http, base_url=url, timeout_seconds=0.5))


async def test_router_records_the_inbound_message_before_asking_rasa(
    store: Callable[[], Session], http: httpx.AsyncClient
) -> None:
    seen_when_asked: list[int] = []

    def reply(text: str, metadata: dict[str, Any]) -> dict[str, Any]:
        seen_when_asked.append(count_messages(store))
        return canned_reply(text, metadata)

    rasa = StandInRasa(reply=reply).start()
    try:
        replies = await _router(store, http, rasa.url).handle(_inbound())
    finally:
        rasa.stop()
    assert seen_when_asked == [1]
    assert [r.text for r in replies] == ["You said: hi"]
    metadata = rasa.requests[0]["metadata"]
    assert set(metadata) == {"channel", "contact_id", "conversation_id"}


async def test_router_human_mode_records_but_neither_asks_rasa_nor_signals_typing(
    store: Callable[[], Session], http: httpx.AsyncClient, rasa: StandInRasa
) -> None:
    router = _router(store, http, rasa.url)
    await router.handle(_inbound("first"))
    with store() as session:
        conversation = conversations.get_by_session_key(session, KEY)
        assert conversation is not None
        conversations.set_status(session, conversation, ConversationStatus.human)
        session.commit()
    pending: list[bool] = []

    async def on_pending() -> None:
        pending.append(True)

    assert await router.handle(_inbound("second"), on_pending=on_pending) == []
    assert pending == []
    assert len(rasa.requests) == 1
    assert [m.text for m in messages_of(store, KEY)][-1] == "second"


async def test_router_waiting_conversation_is_still_answered(
    store: Callable[[], Session], http: httpx.AsyncClient, rasa: StandInRasa
) -> None:
    router = _router(store, http, rasa.url)
    await router.handle(_inbound("first"))
    with store() as session:
        conversation = conversations.get_by_session_key(session, KEY)
        assert conversation is not None
        conversations.set_status(session, conversation, ConversationStatus.waiting)
        session.commit()
    assert [r.text for r in await router.handle(_inbound("second"))] == ["You said: second"]


async def test_router_reopens_a_closed_conversation(
    store: Callable[[], Session], http: httpx.AsyncClient, rasa: StandInRasa
) -> None:
    router = _router(store, http, rasa.url)
    await router.handle(_inbound("first"))
    with store() as session:
        conversation = conversations.get_by_session_key(session, KEY)
        assert conversation is not None
        conversations.set_status(session, conversation, ConversationStatus.closed)
        session.commit()
    assert await router.handle(_inbound("back again"))
    with store() as session:
        conversation = conversations.get_by_session_key(session, KEY)
        assert conversation is not None and conversation.status is ConversationStatus.bot


async def test_router_falls_back_to_the_polite_system_reply(
    store: Callable[[], Session], http: httpx.AsyncClient, rasa_down_port: int
) -> None:
    router = _router(store, http, f"http://127.0.0.1:{rasa_down_port}")
    replies = await router.handle(_inbound())
    assert [(r.text, r.sender) for r in replies] == [(TROUBLE_REPLY, SenderType.system)]
    assert [m.sender_type for m in messages_of(store, KEY)] == [
        SenderType.customer,
        SenderType.system,
    ]


async def test_router_history_is_none_for_unknown_conversations(
    store: Callable[[], Session], http: httpx.AsyncClient, rasa: StandInRasa
) -> None:
    router = _router(store, http, rasa.url)
    assert await router.history(KEY) is None
    await router.handle(_inbound("hello", payload="/greet"))
    history = await router.history(KEY)
    assert history is not None
    assert [(e.sender, e.text) for e in history] == [
        (SenderType.customer, "hello"),
        (SenderType.bot, "You picked /greet"),
    ]
