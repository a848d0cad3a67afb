"""The in-process event hub behind the console's live updates."""

from __future__ import annotations

import asyncio

from bot.events import ConversationEvent, InProcessEventHub, publish_quietly


async def test_every_subscriber_gets_events_published_after_subscribing() -> None:
    hub = InProcessEventHub()
    await hub.publish(ConversationEvent("message", 1, "bot"))  # nobody listens yet

    async with hub.subscribe() as first, hub.subscribe() as second:
        await hub.publish(ConversationEvent("status", 2, "human"))

        for subscription in (first, second):
            event = await asyncio.wait_for(subscription.next(), 1)
            assert event.as_json() == {"type": "status", "conversation_id": 2, "status": "human"}
    assert hub.subscriber_count == 0


async def test_a_slow_subscriber_keeps_the_newest_events() -> None:
    hub = InProcessEventHub(max_queued=2)
    async with hub.subscribe() as slow:
        for conversation_id in (1, 2, 3):
            await hub.publish(ConversationEvent("message", conversation_id, "bot"))

        received = [(await slow.next()).conversation_id for _ in range(2)]

    assert received == [2, 3]


async def test_publish_quietly_never_raises() -> None:
    class Broken:
        async def publish(self, event: ConversationEvent) -> None:
            raise RuntimeError("redis is down")

    await publish_quietly(Broken(), ConversationEvent("message", 1, "bot"))  # type: ignore[arg-type]
    await publish_quietly(None, ConversationEvent("message", 1, "bot"))
