"""The outbound side: sends to one chat go out in order, within Telegram's limits.

Limits: the bot's `AIORateLimiter` (see `client.py`) keeps the whole bot under about
30 messages per second and waits out a 429 `RetryAfter` before retrying. Per chat,
Telegram asks for about one message per second but tolerates short bursts, so each chat
gets a leaky bucket of `CHAT_BURST` messages draining at one per second: a reply split
in three goes out at once, a fourth waits. Sends to a chat are serialised by a lock so
the parts of a reply never overtake each other.

A send that still fails (retries used up, the user blocked the bot, a bad request) is
logged and handed to `on_failure`, which records it; the next part is still tried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiolimiter import AsyncLimiter
from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.channels.telegram.rendering import PhotoOut, Send, TextOut, keyboard

logger = logging.getLogger(__name__)

CHAT_BURST = 3
_MAX_IDLE_CHATS = 1024

OnFailure = Callable[[int, Send, str], Awaitable[None]]


class TelegramSender:
    """Delivers rendered sends to chats; one instance per bot."""

    def __init__(self, bot: Bot, *, on_failure: OnFailure) -> None:
        self._bot = bot
        self._on_failure = on_failure
        self._locks: dict[int, asyncio.Lock] = {}
        self._limiters: dict[int, AsyncLimiter] = {}

    async def deliver(self, chat_id: int, sends: list[Send]) -> int:
        """Send each item in order; returns how many were delivered."""
        delivered = 0
        async with self._lock(chat_id):
            for send in sends:
                async with self._limiter(chat_id):
                    error = await self._send(chat_id, send)
                if error is None:
                    delivered += 1
                    continue
                logger.error("Telegram send to chat %s failed: %s", chat_id, error)
                await self._on_failure(chat_id, send, error)
        return delivered

    async def typing(self, chat_id: int) -> None:
        """Show "typing..." (Telegram clears it after 5 s or at the next message)."""
        try:
            await self._bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as error:
            logger.info("Typing indicator for chat %s failed: %s", chat_id, error)

    async def answer_callback(self, callback_query_id: str) -> None:
        """Stop the spinner on the pressed button."""
        try:
            await self._bot.answer_callback_query(callback_query_id)
        except TelegramError as error:
            logger.info("Answering callback %s failed: %s", callback_query_id, error)

    async def _send(self, chat_id: int, send: Send) -> str | None:
        try:
            if isinstance(send, PhotoOut):
                await self._bot.send_photo(
                    chat_id, send.photo, caption=send.caption, reply_markup=keyboard(send.buttons)
                )
            elif isinstance(send, TextOut):
                await self._bot.send_message(
                    chat_id, send.text, reply_markup=keyboard(send.buttons)
                )
        except TelegramError as error:
            return f"{error.__class__.__name__}: {error.message}"
        return None

    def _lock(self, chat_id: int) -> asyncio.Lock:
        return self._locks.setdefault(chat_id, asyncio.Lock())

    def _limiter(self, chat_id: int) -> AsyncLimiter:
        if len(self._limiters) > _MAX_IDLE_CHATS:
            for key, limiter in list(self._limiters.items()):
                if limiter.has_capacity(CHAT_BURST) and not self._lock(key).locked():
                    del self._limiters[key]
                    self._locks.pop(key, None)
        return self._limiters.setdefault(chat_id, AsyncLimiter(CHAT_BURST, CHAT_BURST))
