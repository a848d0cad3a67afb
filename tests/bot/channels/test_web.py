"""The web chat channel over a real WebSocket of the real app (stand-in Rasa)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bot.channels.web import FrameError, Hello, Said, parse_frame
from bot.messages import TROUBLE_REPLY
from crm_bridge import conversations
from crm_bridge.enums import ConversationStatus, MessageDirection, SenderType
from tests.bot.helpers import (
    count_messages,
    hello,
    messages_of,
    say,
    session_key_of,
    until_reply,
)
from tests.bot.rasa_stand_in import StandInRasa

LIMIT = 4000


def test_parse_frame_reads_hello_message_and_button() -> None:
    assert parse_frame('{"type": "hello", "session": null}', max_length=LIMIT) == Hello(None)
    assert parse_frame('{"type": "message", "text": " hi "}', max_length=LIMIT) == Said("hi")
    button = '{"type": "button", "title": "Offers", "payload": "/show_offers"}'
    assert parse_frame(button, max_length=LIMIT) == Said("Offers", "/show_offers")


def test_parse_frame_accepts_exactly_the_limit() -> None:
    frame = json.dumps({"type": "message", "text": "a" * LIMIT})
    assert parse_frame(frame, max_length=LIMIT) == Said("a" * LIMIT)


def test_web_hello_issues_session_without_history_for_new_visitor(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        assert session_key_of(token).startswith("web-")
        # The next frame answers the next client frame: no history frame came in between.
        ws.send_json({"type": "nope"})
        assert ws.receive_json()["code"] == "unknown_type"


def test_web_message_gets_typing_then_reply_and_both_are_recorded(
    client: TestClient, store: Callable[[], Session], rasa: StandInRasa
) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        ws.send_json({"type": "message", "text": "hello there"})
        frames = until_reply(ws)
    assert [f["type"] for f in frames] == ["typing", "bot"]
    reply = frames[-1]
    assert reply["text"] == "You said: hello there"
    assert reply["buttons"][0] == {"title": "Show offers", "payload": "/show_offers"}
    assert reply["sender"] == "bot"
    key = session_key_of(token)
    assert rasa.requests[0]["sender"] == key
    assert rasa.requests[0]["metadata"]["channel"] == "web"
    recorded = messages_of(store, key)
    assert [(m.direction, m.sender_type, m.text) for m in recorded] == [
        (MessageDirection.incoming, SenderType.customer, "hello there"),
        (MessageDirection.outgoing, SenderType.bot, "You said: hello there"),
    ]
    assert recorded[1].buttons == reply["buttons"]


def test_web_history_is_replayed_after_reconnect(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        say(ws, "first question")
    with client.websocket_connect("/ws/chat") as ws:
        assert hello(ws, token) == token
        history = ws.receive_json()
        assert history["type"] == "history"
        assert [(m["direction"], m["sender"], m["text"]) for m in history["messages"]] == [
            ("incoming", "customer", "first question"),
            ("outgoing", "bot", "You said: first question"),
        ]
        assert history["messages"][1]["buttons"][0]["payload"] == "/show_offers"
        assert say(ws, "second question")["text"] == "You said: second question"


def test_web_button_sends_payload_to_rasa_and_records_title(
    client: TestClient, store: Callable[[], Session], rasa: StandInRasa
) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        ws.send_json({"type": "button", "title": "Show offers", "payload": "/show_offers"})
        reply = until_reply(ws)[-1]
    assert reply["text"] == "You picked /show_offers"
    assert rasa.requests[-1]["message"] == "/show_offers"
    incoming = messages_of(store, session_key_of(token))[0]
    assert (incoming.text, incoming.payload) == ("Show offers", "/show_offers")


def test_web_stores_intent_confidence_and_entities_on_customer_message(
    client: TestClient, store: Callable[[], Session]
) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        say(ws, "hi")
    incoming, outgoing = messages_of(store, session_key_of(token))
    assert (incoming.intent, incoming.confidence) == ("greet", pytest.approx(0.93))
    assert incoming.entities == [{"entity": "colour"}]
    assert outgoing.intent is None


BAD_FRAMES = [
    ("not json at all", "invalid_json"),
    ("[1, 2, 3]", "invalid_json"),
    ('{"type": "shout", "text": "hi"}', "unknown_type"),
    ('{"text": "no type"}', "unknown_type"),
    ('{"type": "message", "text": "   "}', "empty_text"),
    ('{"type": "message"}', "empty_text"),
    ('{"type": "message", "text": 42}', "empty_text"),
    ('{"type": "button", "title": "Offers", "payload": ""}', "empty_text"),
    (json.dumps({"type": "message", "text": "x" * (LIMIT + 1)}), "text_too_long"),
]


@pytest.mark.parametrize(("raw", "code"), BAD_FRAMES)
def test_web_bad_frame_gets_one_error_records_nothing_and_socket_stays_usable(
    client: TestClient, store: Callable[[], Session], rasa: StandInRasa, raw: str, code: str
) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        hello(ws)
        ws.send_text(raw)
        error = ws.receive_json()
        assert error["type"] == "error"
        assert error["code"] == code
        assert error["detail"]
        assert count_messages(store) == 0
        assert rasa.requests == []
        assert say(ws, "still there?")["text"] == "You said: still there?"
    assert count_messages(store) == 2


def test_web_binary_frame_is_invalid_json(client: TestClient, store: Callable[[], Session]) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        hello(ws)
        ws.send_bytes(b"\xff\xfe")
        assert ws.receive_json()["code"] == "invalid_json"
        assert say(ws, "ok")["type"] == "bot"


def test_web_message_before_hello_is_not_ready(
    client: TestClient, store: Callable[[], Session], rasa: StandInRasa
) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.send_json({"type": "message", "text": "hi"})
        assert ws.receive_json() == {
            "type": "error",
            "code": "not_ready",
            "detail": "send hello before any message",
        }
        assert count_messages(store) == 0
        hello(ws)
        assert say(ws, "hi")["type"] == "bot"
    assert rasa.requests and count_messages(store) == 2


def test_web_tampered_session_gets_bad_session_and_a_fresh_session(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        say(ws, "my private question")
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    with client.websocket_connect("/ws/chat") as ws:
        ws.send_json({"type": "hello", "session": tampered})
        assert ws.receive_json()["code"] == "bad_session"
        fresh = ws.receive_json()
        assert fresh["type"] == "session"
        assert session_key_of(fresh["session"]) != session_key_of(token)
        # No history of the other conversation, and the new session works.
        assert say(ws, "hello again")["text"] == "You said: hello again"


def test_web_human_mode_conversation_is_not_sent_to_rasa(
    client: TestClient, store: Callable[[], Session], rasa: StandInRasa
) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        say(ws, "I want a person")
        with store() as session:
            conversation = conversations.get_by_session_key(session, session_key_of(token))
            assert conversation is not None
            conversations.set_status(session, conversation, ConversationStatus.human)
            session.commit()
        ws.send_json({"type": "message", "text": "are you there?"})
        # The next frame answers the next (bad) frame: nothing was sent for the message.
        ws.send_json({"type": "ping"})
        assert ws.receive_json()["code"] == "unknown_type"
    assert len(rasa.requests) == 1
    recorded = messages_of(store, session_key_of(token))
    assert recorded[-1].text == "are you there?"
    assert recorded[-1].direction == MessageDirection.incoming


def _assert_trouble_reply(reply: dict[str, object], started: float) -> None:
    assert time.monotonic() - started < 10
    assert reply["type"] == "bot"
    assert reply["text"] == TROUBLE_REPLY
    assert reply["sender"] == "system"


def _assert_both_recorded(store: Callable[[], Session], token: str, text: str) -> None:
    incoming, outgoing = messages_of(store, session_key_of(token))[-2:]
    assert (incoming.direction, incoming.text) == (MessageDirection.incoming, text)
    assert (outgoing.sender_type, outgoing.text) == (SenderType.system, TROUBLE_REPLY)


def test_web_rasa_down_gets_polite_reply_then_recovers(
    make_client: Callable[..., TestClient], store: Callable[[], Session], rasa_down_port: int
) -> None:
    client = make_client(f"http://127.0.0.1:{rasa_down_port}")
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        started = time.monotonic()
        _assert_trouble_reply(say(ws, "anyone home?"), started)
        _assert_both_recorded(store, token, "anyone home?")
        rasa = StandInRasa(port=rasa_down_port).start()
        try:
            assert say(ws, "and now?")["text"] == "You said: and now?"
        finally:
            rasa.stop()
    assert count_messages(store) == 4


def test_web_rasa_slow_gets_polite_reply_then_recovers(
    make_client: Callable[..., TestClient], store: Callable[[], Session], rasa: StandInRasa
) -> None:
    client = make_client(rasa.url, timeout=0.5)
    rasa.mode = "slow"
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        started = time.monotonic()
        _assert_trouble_reply(say(ws, "slow one"), started)
        _assert_both_recorded(store, token, "slow one")
        rasa.mode = "reply"
        assert say(ws, "fast one")["text"] == "You said: fast one"


def test_web_rasa_slow_at_default_timeout_still_answers_within_ten_seconds(
    make_client: Callable[..., TestClient], store: Callable[[], Session], rasa: StandInRasa
) -> None:
    client = make_client(rasa.url, timeout=8.0)  # the default RASA_TIMEOUT_SECONDS
    rasa.mode, rasa.delay_seconds = "slow", 30.0
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        started = time.monotonic()
        _assert_trouble_reply(say(ws, "still waiting"), started)
        _assert_both_recorded(store, token, "still waiting")


@pytest.mark.parametrize("mode", ["empty", "http_error", "garbage"])
def test_web_rasa_without_usable_answer_gets_polite_reply_then_recovers(
    client: TestClient, store: Callable[[], Session], rasa: StandInRasa, mode: str
) -> None:
    rasa.mode = mode
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        _assert_trouble_reply(say(ws, "hello?"), time.monotonic())
        _assert_both_recorded(store, token, "hello?")
        rasa.mode = "reply"
        assert say(ws, "hello!")["text"] == "You said: hello!"


def test_web_empty_rasa_answer_still_stores_the_parse(
    client: TestClient, store: Callable[[], Session], rasa: StandInRasa
) -> None:
    rasa.mode = "empty"
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        say(ws, "hi")
    assert messages_of(store, session_key_of(token))[0].intent == "greet"


def test_web_database_down_gets_unavailable_and_socket_stays_open(
    make_client: Callable[..., TestClient], rasa: StandInRasa
) -> None:
    client = make_client(rasa.url, database_url="postgresql://nobody:pw@127.0.0.1:1/crm")
    with client.websocket_connect("/ws/chat") as ws:
        token = hello(ws)
        assert ws.receive_json()["code"] == "unavailable"  # the history lookup
        ws.send_json({"type": "message", "text": "hi"})
        assert ws.receive_json()["code"] == "unavailable"
        ws.send_json({"type": "message", "text": "hi again"})
        assert ws.receive_json()["code"] == "unavailable"
        ws.send_json({"type": "ping"})
        assert ws.receive_json()["code"] == "unknown_type"
    assert token and rasa.requests == []


@pytest.mark.parametrize("raw", ['{"type": "hello", "session": 7}'])
def test_parse_frame_refuses_non_string_session(raw: str) -> None:
    with pytest.raises(FrameError) as caught:
        parse_frame(raw, max_length=LIMIT)
    assert caught.value.code == "bad_session"
