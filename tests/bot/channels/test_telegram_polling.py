"""The Telegram channel in long-polling mode, and switched off, against the fake Bot API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.orm import Session

from bot.settings import TelegramSettings
from tests.bot.channels.telegram_fake import FakeBotApi, new_chat_id, text_update
from tests.bot.channels.telegram_helpers import telegram_settings
from tests.bot.helpers import messages_of
from tests.bot.rasa_stand_in import StandInRasa


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    server = FakeBotApi().start()
    yield server
    server.stop()


def test_polling_answers_updates_once_and_deletes_the_webhook(
    make_client: Callable[..., TestClient],
    rasa: StandInRasa,
    fake: FakeBotApi,
    store: Callable[[], Session],
) -> None:
    client = make_client(rasa.url, telegram=telegram_settings(fake, mode="polling"))
    assert fake.calls_of("deleteWebhook") and not fake.calls_of("setWebhook")
    chat = new_chat_id()
    update = text_update(chat, "hello by polling")
    fake.push_update(update)
    fake.push_update(update)  # Telegram re-sends after a crash: answered once
    fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == str(chat))
    later = fake.wait_for("getUpdates", 3)
    assert int(later[-1]["offset"]) == update["update_id"] + 1
    assert fake.sent_texts(chat) == ["You said: hello by polling"]
    assert messages_of(store, f"telegram-{chat}")[0].text == "hello by polling"
    assert client.get("/healthz").json()["channels"]["telegram"].startswith("on (long polling")


def test_polling_keeps_going_after_a_429(
    make_client: Callable[..., TestClient], rasa: StandInRasa, fake: FakeBotApi
) -> None:
    make_client(rasa.url, telegram=telegram_settings(fake, mode="polling"))
    chat = new_chat_id()
    fake.fail_next("sendMessage", retry_after=1)
    fake.push_update(text_update(chat, "busy?"))
    sent = fake.wait_for("sendMessage", 2, where=lambda p: p["chat_id"] == str(chat))
    assert [s["text"] for s in sent] == ["You said: busy?"] * 2


def test_telegram_start_failure_is_reported_and_web_keeps_running(
    make_client: Callable[..., TestClient], rasa: StandInRasa, fake: FakeBotApi
) -> None:
    wrong_token = SecretStr("1:wrong")
    settings = telegram_settings(fake).model_copy(update={"telegram_bot_token": wrong_token})
    client = make_client(rasa.url, telegram=settings)
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["channels"]["telegram"].startswith("failed to start")


def test_webhook_secret_is_generated_once_into_the_data_dir(tmp_path: Path) -> None:
    settings = TelegramSettings(_env_file=None, telegram_bot_token="1:x", telegram_mode="webhook")
    first = settings.resolve_webhook_secret(tmp_path)
    assert first == settings.resolve_webhook_secret(tmp_path)
    assert (tmp_path / "telegram_webhook_secret").read_text().strip() == first


def test_telegram_settings_default_to_off_and_polling() -> None:
    settings = TelegramSettings(_env_file=None, telegram_bot_token="")
    assert not settings.enabled and settings.telegram_mode == "polling"
    assert settings.file_base_url == "https://api.telegram.org/file/bot"
