"""Live conversation events for the staff console: something changed in conversation N.

The router publishes when a customer message or a reply is recorded, the console when
staff take over, reply, hand back or close. Subscribers (the console's WebSocket) get the
events and re-read what they show. `EventHub` is the whole interface, so a Redis pub/sub
hub can replace `InProcessEventHub` when several gateway processes serve one store; the
in-process hub only reaches subscribers of its own process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal, Protocol

logger = logging.getLogger(__name__)

EventKind = Literal["message", "status"]


@dataclass(frozen=True, slots=True)
class ConversationEvent:
    """A conversation got a message (`message`) or changed owner (`status`)."""

    kind: EventKind
    conversation_id: int
    status: str

    def as_json(self) -> dict[str, Any]:
        return {"type": self.kind, "conversation_id": self.conversation_id, "status": self.status}


class Subscription(Protocol):
    """Events published after subscribing, in order."""

    async def next(self) -> ConversationEvent: ...


class EventHub(Protocol):
    """Publish to every current subscriber; never blocks the publisher."""

    async def publish(self, event: ConversationEvent) -> None: ...

    def subscribe(self) -> AbstractAsyncContextManager[Subscription]: ...


class _QueueSubscription:
    def __init__(self, queue: asyncio.Queue[ConversationEvent]) -> None:
        self._queue = queue

    async def next(self) -> ConversationEvent:
        return await self._queue.get()


class InProcessEventHub:
    """Fan-out to asyncio queues of this process; a slow subscriber loses its oldest events
    (the console re-reads the whole view on any event, so only the latest matter)."""

    def __init__(self, max_queued: int = 256) -> None:
        self._max_queued = max_queued
        self._queues: set[asyncio.Queue[ConversationEvent]] = set()

    @property
    def subscriber_count(self) -> int:
        return len(self._queues)

    async def publish(self, event: ConversationEvent) -> None:
        for queue in list(self._queues):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

    @asynccontextmanager
    async def _subscribe(self) -> AsyncIterator[Subscription]:
        queue: asyncio.Queue[ConversationEvent] = asyncio.Queue(self._max_queued)
        self._queues.add(queue)
        try:
            yield _QueueSubscription(queue)
        finally:
            self._queues.discard(queue)

    def subscribe(self) -> AbstractAsyncContextManager[Subscription]:
        return self._subscribe()


async def publish_quietly(hub: EventHub | None, event: ConversationEvent) -> None:
    """Publish, logging instead of raising: a live view must never break a conversation."""
    if hub is None:
        return
    try:
        await hub.publish(event)
    except Exception:
        logger.exception("Publishing %s failed", event)
