"""Human hand-over through the real gateway: the customer's widget socket, a stand-in Rasa,
the console's routes and its live socket."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.testclient import WebSocketTestSession

from bot.console.takeover import JOINED_TEXT, LEFT_TEXT
from crm_bridge import conversations, handovers
from crm_bridge.enums import AuditAction, ConversationStatus, SenderType
from crm_bridge.models import AuditEvent
from tests.bot.channels.telegram_fake import FakeBotApi, new_chat_id, text_update
from tests.bot.channels.telegram_helpers import eventually, post_update, telegram_settings
from tests.bot.console.conftest import AGENT
from tests.bot.console.helpers import login
from tests.bot.helpers import hello, messages_of, say, session_key_of
from tests.bot.rasa_stand_in import StandInRasa

JSON = {"Accept": "application/json"}


def _waiting(store: Callable[[], Session], session_key: str) -> int:
    """Put the customer's conversation in the queue, as the hand-over action does."""
    with store() as session:
        conversation = conversations.get_by_session_key(session, session_key)
        assert conversation is not None
        handovers.request_handover(session, conversation_id=conversation.id, reason="a person")
        session.commit()
        return conversation.id


def _status(store: Callable[[], Session], conversation_id: int) -> ConversationStatus:
    with store() as session:
        conversation = conversations.get_conversation(session, conversation_id)
        assert conversation is not None
        return ConversationStatus(conversation.status)


@pytest.fixture
def customer(app_client: TestClient) -> Iterator[tuple[WebSocketTestSession, str]]:
    """A customer with an open widget socket who has said one thing."""
    with app_client.websocket_connect("/ws/chat") as socket:
        token = hello(socket)
        assert say(socket, "hello")["text"] == "You said: hello"
        yield socket, session_key_of(token)


def test_agent_takes_over_replies_live_and_hands_back(
    app_client: TestClient,
    customer: tuple[WebSocketTestSession, str],
    agent_id: int,
    store: Callable[[], Session],
    rasa: StandInRasa,
) -> None:
    socket, key = customer
    conversation_id = _waiting(store, key)
    csrf = login(app_client, AGENT)
    path = f"/console/conversations/{conversation_id}"
    headers = {**JSON, "X-CSRF-Token": csrf}

    with app_client.websocket_connect("/console/live") as live:
        taken = app_client.post(f"{path}/take-over", headers=headers)
        assert taken.json() == {"ok": True, "status": "human", "delivered": True}
        joined = socket.receive_json()
        assert joined == {
            "type": "bot",
            "text": JOINED_TEXT.format(name="Anna"),
            "buttons": [],
            "image": None,
            "custom": None,
            "sender": "system",
        }
        assert live.receive_json() == {
            "type": "status",
            "conversation_id": conversation_id,
            "status": "human",
        }

        sent = app_client.post(f"{path}/reply", headers=headers, data={"text": "Hi, Anna here."})
        assert sent.json()["delivered"] is True
        reply = socket.receive_json()
        assert (reply["type"], reply["sender"], reply["text"]) == ("bot", "agent", "Hi, Anna here.")
        assert live.receive_json()["type"] == "status"

        asked_before = len(rasa.requests)
        socket.send_json({"type": "message", "text": "My order is late"})
        assert live.receive_json() == {
            "type": "message",
            "conversation_id": conversation_id,
            "status": "human",
        }
        assert len(rasa.requests) == asked_before  # the assistant was not asked
        page = app_client.get(path)
        assert "My order is late" in page.text and "Hi, Anna here." in page.text

        returned = app_client.post(f"{path}/return", headers=headers)
        assert returned.json()["status"] == "bot"
        left = socket.receive_json()
        assert (left["sender"], left["text"]) == ("system", LEFT_TEXT.format(name="Anna"))

    assert say(socket, "thanks")["text"] == "You said: thanks"  # the assistant again
    transcript = [(m.sender_type, m.text) for m in messages_of(store, key)]
    assert transcript[2:] == [
        (SenderType.system, JOINED_TEXT.format(name="Anna")),
        (SenderType.agent, "Hi, Anna here."),
        (SenderType.customer, "My order is late"),
        (SenderType.system, LEFT_TEXT.format(name="Anna")),
        (SenderType.customer, "thanks"),
        (SenderType.bot, "You said: thanks"),
    ]
    with store() as session:
        actions = list(session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
        still_open = handovers.list_open(session)
    assert AuditAction.take_over in actions and AuditAction.return_to_bot in actions
    assert still_open == []  # resolved when handed back


def test_reply_is_refused_until_someone_takes_over_and_keeps_the_text(
    app_client: TestClient,
    customer: tuple[WebSocketTestSession, str],
    agent_id: int,
    store: Callable[[], Session],
) -> None:
    _socket, key = customer
    conversation_id = _waiting(store, key)
    csrf = login(app_client, AGENT)
    path = f"/console/conversations/{conversation_id}"

    as_json = app_client.post(
        f"{path}/reply", headers={**JSON, "X-CSRF-Token": csrf}, data={"text": "Too early"}
    )
    as_form = app_client.post(f"{path}/reply", data={"csrf_token": csrf, "text": "Too early"})

    assert as_json.status_code == 400
    assert as_json.json() == {"ok": False, "error": "Take the conversation over before replying."}
    assert as_form.status_code == 400
    assert "Take the conversation over before replying." in as_form.text
    assert ">Too early</textarea>" in as_form.text
    assert [m.text for m in messages_of(store, key)] == ["hello", "You said: hello"]


def test_empty_and_too_long_replies_are_refused(
    app_client: TestClient,
    customer: tuple[WebSocketTestSession, str],
    agent_id: int,
    store: Callable[[], Session],
) -> None:
    _socket, key = customer
    conversation_id = _waiting(store, key)
    csrf = login(app_client, AGENT)
    path = f"/console/conversations/{conversation_id}"
    headers = {**JSON, "X-CSRF-Token": csrf}
    app_client.post(f"{path}/take-over", headers=headers)

    empty = app_client.post(f"{path}/reply", headers=headers, data={"text": "   "})
    long = app_client.post(f"{path}/reply", headers=headers, data={"text": "x" * 4001})

    assert empty.status_code == 400 and empty.json()["error"] == "Type a reply first."
    assert long.status_code == 400 and "at most 4000 characters" in long.json()["error"]


def test_taking_over_a_closed_conversation_is_refused(
    app_client: TestClient,
    customer: tuple[WebSocketTestSession, str],
    agent_id: int,
    store: Callable[[], Session],
) -> None:
    _socket, key = customer
    conversation_id = _waiting(store, key)
    csrf = login(app_client, AGENT)
    path = f"/console/conversations/{conversation_id}"
    closed = app_client.post(f"{path}/close", data={"csrf_token": csrf}, follow_redirects=False)
    assert closed.status_code == 303

    refused = app_client.post(f"{path}/take-over", data={"csrf_token": csrf})

    assert refused.status_code == 409
    assert "You cannot take this conversation over" in refused.text
    assert _status(store, conversation_id) == ConversationStatus.closed


@pytest.fixture
def fake_telegram() -> Iterator[FakeBotApi]:
    server = FakeBotApi().start()
    yield server
    server.stop()


def test_agent_reply_reaches_a_telegram_customer(
    make_console: Callable[..., TestClient],
    fake_telegram: FakeBotApi,
    agent_id: int,
    store: Callable[[], Session],
) -> None:
    client = make_console(telegram=telegram_settings(fake_telegram))
    chat_id = new_chat_id()
    assert post_update(client, text_update(chat_id, "hello")).status_code == 200
    eventually(lambda: fake_telegram.calls_of("sendMessage"))
    conversation_id = _waiting(store, f"telegram-{chat_id}")
    csrf = login(client, AGENT)
    headers = {**JSON, "X-CSRF-Token": csrf}
    path = f"/console/conversations/{conversation_id}"

    assert client.post(f"{path}/take-over", headers=headers).json()["delivered"] is True
    assert client.post(f"{path}/reply", headers=headers, data={"text": "Anna here"}).json()["ok"]

    def sent_texts() -> list[Any]:
        return [call["text"] for call in fake_telegram.calls_of("sendMessage")]

    texts = eventually(lambda: (t := sent_texts()) and "Anna here" in t and t)
    assert texts[-2:] == [JOINED_TEXT.format(name="Anna"), "Anna here"]
    assert {str(call["chat_id"]) for call in fake_telegram.calls_of("sendMessage")} == {
        str(chat_id)
    }
