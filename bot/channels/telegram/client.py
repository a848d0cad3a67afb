"""Build python-telegram-bot's `ExtBot` from the settings.

The Bot API base URL comes from TELEGRAM_API_BASE_URL so tests (and users of a local Bot
API server) can point the client elsewhere. Sending goes through PTB's `AIORateLimiter`:
about 30 requests per second overall, and a 429 `RetryAfter` is waited out and retried
(`MAX_RETRIES` times) instead of failing the reply.
"""

from __future__ import annotations

from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from bot.settings import TelegramSettings

MAX_RETRIES = 3
# Long polling holds a request open for up to this many seconds.
POLL_TIMEOUT_SECONDS = 20
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")


def build_bot(settings: TelegramSettings) -> ExtBot[None]:
    """An uninitialised bot; call `initialize()` (which asks `getMe`) before using it."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    return ExtBot(
        token=settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.file_base_url,
        request=HTTPXRequest(connection_pool_size=64, connect_timeout=5.0, read_timeout=10.0),
        get_updates_request=HTTPXRequest(
            connection_pool_size=2, read_timeout=POLL_TIMEOUT_SECONDS + 10.0
        ),
        rate_limiter=AIORateLimiter(max_retries=MAX_RETRIES),
    )
