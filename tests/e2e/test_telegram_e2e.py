"""Telegram end to end: the real Rasa, action server and gateway, the fake Bot API server.

One stack (its gateway in webhook mode, pointed at the fake) serves every test here; a
second gateway process in polling mode shares its Rasa and CRM store for the polling test.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.channels.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from crm_bridge import db
from crm_bridge.enums import Channel, MessageDirection
from crm_bridge.models import Conversation, Message
from launcher.processes import ManagedProcess
from tests.bot.channels.telegram_fake import (
    TOKEN,
    FakeBotApi,
    callback_update,
    new_chat_id,
    text_update,
)
from tests.e2e.stack import STARTUP_TIMEOUT, Stack, free_port, start_stack

pytestmark = pytest.mark.e2e

SECRET = "e2e-telegram-secret-0123456789"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeBotApi]:
    server = FakeBotApi().start()
    yield server
    server.stop()


def _telegram_env(fake: FakeBotApi, mode: str) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_MODE": mode,
        "TELEGRAM_PUBLIC_URL": "https://shop.example.test",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": fake.base_url,
    }


@pytest.fixture(scope="module")
def telegram_stack(tmp_path_factory: pytest.TempPathFactory, fake: FakeBotApi) -> Iterator[Stack]:
    running = start_stack(
        tmp_path_factory.mktemp("telegram_stack"), extra_env=_telegram_env(fake, "webhook")
    )
    yield running
    running.stop_all()


def _post(stack: Stack, update: Any, *, secret: str = SECRET) -> httpx.Response:
    return httpx.post(
        stack.gateway_url + WEBHOOK_PATH,
        json=update,
        headers={SECRET_HEADER: secret},
        timeout=10,
        trust_env=False,
    )


def _transcript(stack: Stack, chat_id: int) -> list[Message]:
    engine = db.make_engine(stack.database_url)
    try:
        with db.make_session_factory(engine)() as session:
            conversation = session.scalars(
                select(Conversation).where(Conversation.session_key == f"telegram-{chat_id}")
            ).one()
            assert conversation.channel == Channel.telegram
            statement = (
                select(Message)
                .where(Message.conversation_id == conversation.id)
                .order_by(Message.id)
            )
            return list(session.scalars(statement))
    finally:
        engine.dispose()


def _for(chat_id: int) -> Any:
    return lambda params: params.get("chat_id") == str(chat_id)


def test_telegram_message_is_answered_by_the_assistant_and_recorded(
    telegram_stack: Stack, fake: FakeBotApi
) -> None:
    assert fake.calls_of("setWebhook")[0]["secret_token"] == SECRET
    health = httpx.get(telegram_stack.gateway_url + "/healthz", trust_env=False).json()
    assert health["channels"]["telegram"].startswith("on (webhook")
    chat = new_chat_id()
    assert _post(telegram_stack, text_update(chat, "hi there")).status_code == 200
    fake.wait_for("sendMessage", where=_for(chat), timeout=30)
    assert fake.calls_of("sendChatAction")
    transcript = _transcript(telegram_stack, chat)
    incoming = [m for m in transcript if m.direction == MessageDirection.incoming]
    outgoing = [m for m in transcript if m.direction == MessageDirection.outgoing]
    assert [(m.text, m.intent) for m in incoming] == [("hi there", "greet")]
    assert [m.text for m in outgoing] == fake.sent_texts(chat)


def test_telegram_button_press_round_trips(telegram_stack: Stack, fake: FakeBotApi) -> None:
    chat = new_chat_id()
    keyboard = [[{"text": "Hello!", "callback_data": "/greet"}]]
    _post(telegram_stack, callback_update(chat, "/greet", keyboard=keyboard))
    fake.wait_for("sendMessage", where=_for(chat), timeout=30)
    assert fake.calls_of("answerCallbackQuery")
    first = _transcript(telegram_stack, chat)[0]
    assert (first.text, first.payload, first.intent) == ("Hello!", "/greet", "greet")


def test_telegram_429_is_retried(telegram_stack: Stack, fake: FakeBotApi) -> None:
    chat = new_chat_id()
    fake.fail_next("sendMessage", retry_after=1)
    _post(telegram_stack, text_update(chat, "hello"))
    attempts = fake.wait_for("sendMessage", 2, where=_for(chat), timeout=30)
    assert attempts[0]["text"] == attempts[1]["text"]


def test_telegram_long_reply_is_split_at_paragraphs(
    telegram_stack: Stack, fake: FakeBotApi
) -> None:
    chat = new_chat_id()
    _post(telegram_stack, text_update(chat, "please send me your full terms and conditions"))
    parts = fake.wait_for("sendMessage", 2, where=_for(chat), timeout=30)
    texts = [part["text"] for part in parts]
    assert all(len(text) <= 4096 for text in texts)
    assert texts[0].startswith("Here are our full terms and conditions")
    assert texts[-1].rstrip().endswith("a member of our team will explain.")
    # Split between paragraphs: no part starts or ends in the middle of a sentence.
    assert all(text.rstrip().endswith(".") for text in texts)
    outgoing = _transcript(telegram_stack, chat)
    [recorded] = [m for m in outgoing if m.direction == MessageDirection.outgoing]
    assert "\n\n".join(texts) == recorded.text  # recorded once, whole, as Rasa said it


def test_telegram_wrong_secret_is_refused(telegram_stack: Stack, fake: FakeBotApi) -> None:
    chat = new_chat_id()
    response = _post(telegram_stack, text_update(chat, "hi"), secret="not-the-secret-123456")
    assert response.status_code == 403
    assert fake.sent_texts(chat) == []


def test_telegram_polling_gateway_answers_from_the_same_fake(
    telegram_stack: Stack, fake: FakeBotApi
) -> None:
    spec = telegram_stack.processes["gateway"].spec
    port, old_port = free_port(), str(telegram_stack.settings.gateway_port)
    polling = ManagedProcess(
        dataclasses.replace(
            spec,
            name="gateway-polling",
            argv=[port_arg if port_arg != old_port else str(port) for port_arg in spec.argv],
            health_url=spec.health_url.replace(f":{old_port}/", f":{port}/"),
            log_path=spec.log_path.with_name("gateway-polling.log"),
            env=spec.env | {"TELEGRAM_MODE": "polling"},
        )
    )
    polling.start()
    try:
        polling.wait_healthy(STARTUP_TIMEOUT, keep_waiting=lambda: True)
        chat = new_chat_id()
        fake.push_update(text_update(chat, "hello from polling"))
        fake.wait_for("sendMessage", where=_for(chat), timeout=30)
        assert _transcript(telegram_stack, chat)[0].text == "hello from polling"
    finally:
        polling.stop()
