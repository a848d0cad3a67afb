"""Long polling: for running on a laptop with no public address.

`getUpdates` waits up to `POLL_TIMEOUT_SECONDS` for new updates; each one is deduped and
handed on, and the offset moves past it so Telegram forgets it. A 429 is already waited
out by the bot's rate limiter (`client.py`). Network trouble and
Telegram errors are logged and retried with a growing pause (1 s up to 30 s), so a
laptop going offline for a while does not stop the channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, Update
from telegram.error import TelegramError

from bot.channels.telegram.client import ALLOWED_UPDATES, POLL_TIMEOUT_SECONDS

logger = logging.getLogger(__name__)

_FIRST_PAUSE, _LONGEST_PAUSE = 1.0, 30.0

OnUpdate = Callable[[Update], Awaitable[None]]


class Poller:
    """Runs until cancelled; `on_update` is awaited for each update, oldest first."""

    def __init__(
        self, bot: Bot, on_update: OnUpdate, *, timeout: int = POLL_TIMEOUT_SECONDS
    ) -> None:
        self._bot = bot
        self._on_update = on_update
        self._timeout = timeout
        self._offset: int | None = None

    async def run(self) -> None:
        pause = _FIRST_PAUSE
        while True:
            try:
                updates = await self._bot.get_updates(
                    offset=self._offset,
                    timeout=self._timeout,
                    allowed_updates=list(ALLOWED_UPDATES),
                    read_timeout=self._timeout + 10,
                )
            except TelegramError as error:
                logger.warning("Telegram polling failed (%s); retrying in %.0f s", error, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, _LONGEST_PAUSE)
                continue
            pause = _FIRST_PAUSE
            for update in updates:
                self._offset = update.update_id + 1
                await self._on_update(update)
