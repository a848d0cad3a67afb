"""Messages from the shop side (staff replies, join/leave notices) to a customer's channel.

Each channel registers how it pushes messages to a conversation outside a customer's own
request: the web chat through the customer's open WebSocket(s), Telegram through its
sender. The console only names the channel and the session key.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.messages import OutboundMessage
from crm_bridge.enums import Channel

logger = logging.getLogger(__name__)

# (session key, messages) -> True when the customer got them now.
Deliver = Callable[[str, Sequence[OutboundMessage]], Awaitable[bool]]


class OutboundChannels:
    """One deliver function per channel."""

    def __init__(self) -> None:
        self._channels: dict[Channel, Deliver] = {}

    def register(self, channel: Channel, deliver: Deliver) -> None:
        self._channels[Channel(channel)] = deliver

    async def deliver(
        self, channel: Channel, session_key: str, messages: Sequence[OutboundMessage]
    ) -> bool:
        """Push `messages` to the conversation; False when nobody could be reached now.

        The messages are recorded before this is called, so a customer who is not
        connected sees them in the history when they come back.
        """
        deliver = self._channels.get(Channel(channel))
        if deliver is None or not messages:
            return False
        try:
            return await deliver(session_key, messages)
        except Exception:  # the message is recorded; a push failure must not lose the reply
            logger.exception("Pushing to %s conversation %s failed", channel, session_key)
            return False
