"""Settings and webhook calls shared by the Telegram channel tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi.testclient import TestClient
from httpx import Response

from bot.channels.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from bot.settings import TelegramSettings
from tests.bot.channels.telegram_fake import TOKEN, FakeBotApi

SECRET = "telegram-test-secret_0123456789"
PUBLIC_URL = "https://shop.example.test"
T = TypeVar("T")


def telegram_settings(fake: FakeBotApi, *, mode: str = "webhook") -> TelegramSettings:
    return TelegramSettings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_mode=mode,
        telegram_public_url=PUBLIC_URL,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=fake.base_url,
    )


def post_update(client: TestClient, update: Any, *, secret: str | None = SECRET) -> Response:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    if isinstance(update, bytes | str):
        return client.post(WEBHOOK_PATH, content=update, headers=headers)
    return client.post(WEBHOOK_PATH, json=update, headers=headers)


def eventually(check: Callable[[], T], *, timeout: float = 10.0) -> T:
    """Call `check` until it returns something truthy (work done after the webhook's 200)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)
