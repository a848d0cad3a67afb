"""Channel-neutral message types: what the router and the Rasa client speak.

Channels (`bot/channels/`) turn their raw payloads into `InboundMessage` and turn
`OutboundMessage`/`TranscriptEntry` back into their own format, so nothing outside a
channel module knows a channel's wire format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crm_bridge.enums import Channel, MessageDirection, SenderType

TROUBLE_REPLY = "I'm having trouble answering right now, please try again in a moment."


@dataclass(frozen=True, slots=True)
class Button:
    """A quick reply: `title` is shown, `payload` is what Rasa receives (e.g. `/greet`)."""

    title: str
    payload: str

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "payload": self.payload}


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """Something a customer said on a channel.

    `external_id` is the channel's own id for the person; `session_key` is the Rasa sender
    id of the conversation. For a button press `text` is the button title (what the
    customer saw) and `payload` is what goes to Rasa.
    """

    channel: Channel
    external_id: str
    session_key: str
    text: str
    payload: str | None = None
    display_name: str | None = None
    username: str | None = None
    language: str | None = None

    @property
    def text_for_assistant(self) -> str:
        return self.payload or self.text


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """Something the assistant (or the gateway itself, `sender=system`) says."""

    text: str | None = None
    buttons: tuple[Button, ...] = ()
    image: str | None = None
    custom: dict[str, Any] | None = None
    sender: SenderType = SenderType.bot

    @classmethod
    def trouble(cls) -> OutboundMessage:
        """The polite reply sent when the assistant cannot answer."""
        return cls(text=TROUBLE_REPLY, sender=SenderType.system)


@dataclass(frozen=True, slots=True)
class TranscriptEntry:
    """One recorded message of a conversation, for replaying the history to a channel."""

    direction: MessageDirection
    sender: SenderType
    text: str | None
    buttons: tuple[Button, ...] = ()
    image: str | None = None
    custom: dict[str, Any] | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NluResult:
    """Rasa's parse of an inbound message, stored on that message."""

    intent: str | None = None
    confidence: float | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
