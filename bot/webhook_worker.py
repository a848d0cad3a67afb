"""Runs the webhook outbox in the gateway: every few seconds, sends what is due.

The posting itself is `crm_bridge.webhook_delivery.deliver_due` (blocking httpx), run in
a thread so the chat keeps answering while a slow receiver times out. A store outage is
logged and the loop carries on; the rows wait in the outbox meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crm_bridge.errors import StoreUnavailable
from crm_bridge.settings import WebhookSettings
from crm_bridge.webhook_delivery import deliver_due

logger = logging.getLogger(__name__)

POLL_SECONDS = 5.0


class WebhookWorker:
    """Polls the webhook outbox inside the gateway's lifespan."""

    def __init__(
        self,
        session_factory: Callable[[], Session],
        settings: WebhookSettings,
        *,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self._session_factory = session_factory
        self._settings = settings
        self._poll_seconds = poll_seconds
        self._task: asyncio.Task[None] | None = None
        # trust_env=False: never send leads through a proxy taken from the environment.
        self._client = httpx.Client(timeout=settings.webhook_timeout_seconds, trust_env=False)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="webhook-worker")
        logger.info("Lead webhook on: posting to %s.", self._settings.lead_webhook_url)

    async def stop(self) -> None:
        """Cancel the loop (a post in flight keeps its lease and is retried later)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._client.close()

    async def _run(self) -> None:
        while True:
            try:
                report = await asyncio.to_thread(
                    deliver_due, self._session_factory, self._settings, self._client
                )
                if report.delivered or report.failed or report.retrying:
                    logger.info("Webhooks: %s", report)
            except (SQLAlchemyError, StoreUnavailable):
                logger.exception("Webhook outbox unreachable; trying again shortly.")
            await asyncio.sleep(self._poll_seconds)
