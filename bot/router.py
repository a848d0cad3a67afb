"""The conversation router: one path for every channel, bot mode or human mode.

For each inbound message it
1. finds or opens the contact and conversation of the channel identity and records the
   message *before* anything else, so the transcript is complete even when Rasa fails
   (a closed conversation is reopened in bot mode: the customer is writing again);
2. stops there when a person has taken the conversation over (status `human`);
3. asks Rasa, falling back to the polite "I'm having trouble" reply (sender `system`)
   when Rasa is down, slow, broken, or has nothing to say;
4. stores Rasa's intent, confidence and entities on the inbound message and records
   every reply, then returns the replies for the channel to deliver.

Replies the gateway gives itself (a channel's `/help`, a polite "I can only read text")
go through `reply_locally`, so they are recorded the same way without asking Rasa. A
channel that must change the contact too (a deep-link source, a withdrawn consent) passes
an `effect`, run in the same transaction as the recording.

Every recorded message is announced on the `events` hub (when given), so the staff
console shows it live; the event after the replies carries the conversation's status as
the actions left it (a hand-over request puts it in `waiting`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from bot.events import ConversationEvent, EventHub, publish_quietly
from bot.messages import Button, InboundMessage, NluResult, OutboundMessage, TranscriptEntry
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.store import SessionFactory, run_in_session
from crm_bridge import contacts, conversations, messages
from crm_bridge.enums import ConversationStatus, MessageDirection, SenderType
from crm_bridge.errors import StoreUnavailable
from crm_bridge.models import Conversation, Message

logger = logging.getLogger(__name__)

OnPending = Callable[[], Awaitable[None]]
# Called with the session and the contact id while the inbound message is recorded.
ContactEffect = Callable[[Session, int], None]


@dataclass(frozen=True, slots=True)
class _Recorded:
    """Ids of what was recorded for an inbound message (plain values cross the thread)."""

    contact_id: int
    conversation_id: int
    message_id: int
    status: ConversationStatus


class ConversationRouter:
    """Channel-agnostic handling of customer messages."""

    def __init__(
        self, session_factory: SessionFactory, rasa: RasaClient, events: EventHub | None = None
    ) -> None:
        self._sessions = session_factory
        self._rasa = rasa
        self._events = events

    async def handle(
        self,
        inbound: InboundMessage,
        *,
        on_pending: OnPending | None = None,
        effect: ContactEffect | None = None,
    ) -> list[OutboundMessage]:
        """Record `inbound`, get the replies (none in human mode), record and return them.

        `on_pending` is awaited just before Rasa is asked, so a channel can show a typing
        indicator only when an answer is actually coming. Raises `StoreUnavailable` when
        the inbound message cannot be recorded; Rasa is then not asked at all.
        """
        recorded = await run_in_session(
            self._sessions, lambda s: _record_inbound(s, inbound, effect), commit=True
        )
        await self._announce(recorded.conversation_id, recorded.status)
        if recorded.status is ConversationStatus.human:
            return []
        if on_pending is not None:
            await on_pending()
        replies, nlu = await self._ask_rasa(inbound, recorded)
        record = partial(_record_replies, recorded=recorded, nlu=nlu, replies=replies)
        try:
            status = await run_in_session(self._sessions, record, commit=True)
        except StoreUnavailable:
            # The answer exists already (Rasa's tracker has moved on); deliver it anyway.
            logger.error("Replies for conversation %s were not recorded", recorded.conversation_id)
        else:
            await self._announce(recorded.conversation_id, status)
        return replies

    async def reply_locally(
        self,
        inbound: InboundMessage,
        replies: list[OutboundMessage],
        *,
        effect: ContactEffect | None = None,
    ) -> list[OutboundMessage]:
        """Record `inbound` and the gateway's own `replies` in one transaction; Rasa is not
        asked. Raises `StoreUnavailable` when nothing could be recorded."""

        def record(session: Session) -> tuple[int, ConversationStatus]:
            recorded = _record_inbound(session, inbound, effect)
            status = _record_replies(session, recorded=recorded, nlu=NluResult(), replies=replies)
            return recorded.conversation_id, status

        conversation_id, status = await run_in_session(self._sessions, record, commit=True)
        await self._announce(conversation_id, status)
        return replies

    async def history(self, session_key: str) -> list[TranscriptEntry] | None:
        """The recorded transcript of a conversation, or None when it does not exist yet."""
        return await run_in_session(self._sessions, lambda s: _transcript(s, session_key))

    async def _announce(self, conversation_id: int, status: ConversationStatus) -> None:
        await publish_quietly(
            self._events, ConversationEvent("message", conversation_id, str(status))
        )

    async def _ask_rasa(
        self, inbound: InboundMessage, recorded: _Recorded
    ) -> tuple[list[OutboundMessage], NluResult]:
        metadata: dict[str, Any] = {
            "channel": str(inbound.channel),
            "contact_id": recorded.contact_id,
            "conversation_id": recorded.conversation_id,
        }
        try:
            reply = await self._rasa.send(inbound.session_key, inbound.text_for_assistant, metadata)
        except RasaUnavailable as error:
            logger.warning("Rasa unavailable for %s: %s", inbound.session_key, error)
            return [OutboundMessage.trouble()], NluResult()
        if not reply.messages:
            logger.warning("Rasa had no reply for %s", inbound.session_key)
            return [OutboundMessage.trouble()], reply.nlu
        return reply.messages, reply.nlu


def _record_inbound(
    session: Session, inbound: InboundMessage, effect: ContactEffect | None = None
) -> _Recorded:
    contact, _identity = contacts.get_or_create_for_identity(
        session,
        channel=inbound.channel,
        external_id=inbound.external_id,
        display_name=inbound.display_name,
        username=inbound.username,
        language=inbound.language,
    )
    conversation = conversations.get_by_session_key(session, inbound.session_key)
    if conversation is None:
        conversation = conversations.open_conversation(
            session,
            contact_id=contact.id,
            channel=inbound.channel,
            session_key=inbound.session_key,
        )
    elif conversation.status is ConversationStatus.closed:
        # The customer wrote again: the bot picks the conversation up.
        conversations.set_status(session, conversation, ConversationStatus.bot)
    message = messages.record_incoming(
        session,
        conversation_id=conversation.id,
        text=inbound.text,
        payload=inbound.payload,
    )
    if effect is not None:
        effect(session, conversation.contact_id)
    return _Recorded(
        contact_id=conversation.contact_id,
        conversation_id=conversation.id,
        message_id=message.id,
        status=ConversationStatus(conversation.status),
    )


def _record_replies(
    session: Session, *, recorded: _Recorded, nlu: NluResult, replies: list[OutboundMessage]
) -> ConversationStatus:
    """Store the parse and the replies; return the conversation's status now."""
    inbound = session.get(Message, recorded.message_id)
    if inbound is not None and nlu.intent is not None:
        messages.set_nlu_result(
            session,
            inbound,
            intent=nlu.intent,
            confidence=nlu.confidence,
            entities=nlu.entities,
        )
    for reply in replies:
        messages.record_outgoing(
            session,
            conversation_id=recorded.conversation_id,
            text=reply.text,
            buttons=[button.as_dict() for button in reply.buttons] or None,
            image_url=reply.image,
            custom=reply.custom,
            sender=reply.sender,
        )
    conversation = session.get(Conversation, recorded.conversation_id)
    return ConversationStatus(conversation.status) if conversation else recorded.status


def _transcript(session: Session, session_key: str) -> list[TranscriptEntry] | None:
    conversation = conversations.get_by_session_key(session, session_key)
    if conversation is None:
        return None
    return [
        TranscriptEntry(
            direction=MessageDirection(row.direction),
            sender=SenderType(row.sender_type),
            text=row.text,
            buttons=tuple(Button(b["title"], b["payload"]) for b in row.buttons or ()),
            image=row.image_url,
            custom=row.custom,
            created_at=row.created_at,
        )
        for row in messages.list_messages(session, conversation.id)
    ]
