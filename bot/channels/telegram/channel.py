"""The Telegram channel's life: built in `create_app`, started and stopped in the lifespan.

Start: `getMe` (checks the token), then in webhook mode `setWebhook` with the secret token
when TELEGRAM_PUBLIC_URL is set, or in polling mode `deleteWebhook` (Telegram refuses
`getUpdates` while a webhook is set) and the polling task. A failed start is reported in
`status` and the log; the gateway (web chat) keeps running.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from pathlib import Path

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.channels.telegram.client import ALLOWED_UPDATES, build_bot
from bot.channels.telegram.dispatcher import UpdateDispatcher
from bot.channels.telegram.polling import Poller
from bot.channels.telegram.rendering import Send
from bot.channels.telegram.sender import TelegramSender
from bot.channels.telegram.updates import chat_id_for
from bot.channels.telegram.webhook import WEBHOOK_PATH
from bot.messages import OutboundMessage
from bot.router import ConversationRouter
from bot.settings import TelegramSettings
from bot.store import SessionFactory
from crm_bridge.errors import StoreUnavailable

logger = logging.getLogger(__name__)

_STOP_GRACE_SECONDS = 10.0


class TelegramChannel:
    """One bot, in webhook or polling mode; `status` is what `/healthz` shows."""

    def __init__(self, settings: TelegramSettings, *, data_dir: Path) -> None:
        self.settings = settings
        self.status = "off (no TELEGRAM_BOT_TOKEN)"
        self.webhook_secret = ""
        if settings.enabled and settings.telegram_mode == "webhook":
            # Resolved now, like the session secret, so a bad value fails the start loudly.
            self.webhook_secret = settings.resolve_webhook_secret(data_dir)
        self._bot: ExtBot[None] | None = None
        self._dispatcher: UpdateDispatcher | None = None
        self._poller: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._running = False

    @property
    def bot(self) -> ExtBot[None]:
        assert self._bot is not None, "the Telegram channel is not started"
        return self._bot

    @property
    def dispatcher(self) -> UpdateDispatcher:
        assert self._dispatcher is not None, "the Telegram channel is not started"
        return self._dispatcher

    @property
    def accepts_webhooks(self) -> bool:
        return self._running and self.settings.telegram_mode == "webhook"

    async def start(self, *, router: ConversationRouter, session_factory: SessionFactory) -> None:
        if not self.settings.enabled:
            logger.info("Telegram is off: TELEGRAM_BOT_TOKEN is not set")
            return
        bot = build_bot(self.settings)
        dispatcher = UpdateDispatcher(
            router=router,
            sender=TelegramSender(bot, on_failure=self._record_send_failure),
            session_factory=session_factory,
            public_url=self.settings.telegram_public_url,
        )
        self._bot, self._dispatcher = bot, dispatcher
        try:
            await bot.initialize()
            if self.settings.telegram_mode == "webhook":
                self.status = await self._register_webhook(bot)
            else:
                await bot.delete_webhook()
                self._poller = asyncio.create_task(Poller(bot, self._polled).run())
                self.status = f"on (long polling as @{bot.username})"
        except TelegramError as error:
            self.status = f"failed to start: {error.__class__.__name__}: {error.message}"
            logger.error("Telegram channel %s", self.status)
            return
        self._running = True
        logger.info("Telegram channel %s", self.status)

    async def deliver(self, session_key: str, messages: Sequence[OutboundMessage]) -> bool:
        """Send messages from staff to the chat of `session_key`, in order, within limits.

        False when Telegram is not running; a send that fails is recorded in
        `delivery_failures` by the sender, like any reply.
        """
        chat_id = chat_id_for(session_key)
        if chat_id is None or not self._running or self._dispatcher is None:
            return False
        await self._dispatcher.send(chat_id, list(messages))
        return True

    def schedule(self, update: Update) -> None:
        """Answer `update` in the background; `stop` waits for it."""
        task = asyncio.create_task(self.dispatcher.handle(update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        self._running = False
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=_STOP_GRACE_SECONDS)
        if self._bot is not None:
            with contextlib.suppress(TelegramError):
                await self._bot.shutdown()

    async def _register_webhook(self, bot: ExtBot[None]) -> str:
        public_url = self.settings.telegram_public_url
        if public_url is None:
            return f"on (webhook at {WEBHOOK_PATH}; set TELEGRAM_PUBLIC_URL to register it)"
        url = public_url + WEBHOOK_PATH
        await bot.set_webhook(
            url, secret_token=self.webhook_secret, allowed_updates=list(ALLOWED_UPDATES)
        )
        return f"on (webhook {url} as @{bot.username})"

    async def _polled(self, update: Update) -> None:
        try:
            first_time = await self.dispatcher.accept(update.update_id)
        except StoreUnavailable:
            # Polling cannot ask Telegram to re-send, so answer rather than lose it.
            first_time = True
        if first_time:
            self.schedule(update)
        else:
            logger.info("Ignored re-delivered Telegram update %s", update.update_id)

    async def _record_send_failure(self, chat_id: int, send: Send, error: str) -> None:
        await self.dispatcher.record_send_failure(chat_id, send, error)
