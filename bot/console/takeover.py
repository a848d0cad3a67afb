"""Staff in a conversation: take over, reply, hand back to the assistant, close.

Each step records its messages (the customer is told when a person joins and leaves, as
`system` messages; replies are sender `agent`) and its audit entry in one transaction,
then pushes the messages to the customer's channel and announces the change to open
consoles. The push comes after the commit, so what the customer sees is always recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.console.auth import Staff
from bot.console.services import ConsoleServices
from bot.events import ConversationEvent, publish_quietly
from bot.messages import OutboundMessage
from bot.settings import GatewaySettings
from bot.store import run_in_session
from crm_bridge import audit, messages, takeovers
from crm_bridge.enums import AuditAction, Channel, ConversationStatus, SenderType
from crm_bridge.models import Conversation

JOINED_TEXT = "{name} from our team has joined the chat."
LEFT_TEXT = "{name} has left the chat. The assistant will answer you again from here."
CLOSED_TEXT = "{name} has closed this chat. Write again any time and the assistant will help."


class ReplyRefused(ValueError):
    """A reply that cannot be sent (empty, too long, or no person has the conversation)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened: the conversation's status now and whether the customer got it live."""

    conversation_id: int
    status: ConversationStatus
    delivered: bool


@dataclass(frozen=True, slots=True)
class _Recorded:
    channel: Channel
    session_key: str
    status: ConversationStatus
    outbound: tuple[OutboundMessage, ...]


async def take_over(console: ConsoleServices, staff: Staff, conversation_id: int) -> Outcome:
    """Claim the conversation (one agent wins); raises `ClaimRefused` or `LookupError`."""

    def work(session: Session) -> _Recorded:
        _handover, is_new = takeovers.claim(
            session, conversation_id=conversation_id, assignee=staff.email
        )
        if not is_new:
            return _state(session, conversation_id, ())
        audit.record(
            session,
            actor=staff.actor,
            action=AuditAction.take_over,
            conversation_id=conversation_id,
        )
        return _state(
            session, conversation_id, (_system(session, conversation_id, JOINED_TEXT, staff),)
        )

    return await _run(console, conversation_id, work)


async def reply(console: ConsoleServices, staff: Staff, conversation_id: int, text: str) -> Outcome:
    """Send the agent's reply; raises `ReplyRefused` or `LookupError`."""
    text = text.strip()
    if not text:
        raise ReplyRefused("Type a reply first.")
    if len(text) > GatewaySettings.MAX_MESSAGE_LENGTH:
        raise ReplyRefused(
            f"A reply is at most {GatewaySettings.MAX_MESSAGE_LENGTH} characters "
            f"(this one has {len(text)})."
        )

    def work(session: Session) -> _Recorded:
        conversation = _conversation(session, conversation_id)
        if conversation.status != ConversationStatus.human:
            raise ReplyRefused("Take the conversation over before replying.")
        messages.record_outgoing(
            session, conversation_id=conversation_id, text=text, sender=SenderType.agent
        )
        return _state(
            session, conversation_id, (OutboundMessage(text=text, sender=SenderType.agent),)
        )

    return await _run(console, conversation_id, work)


async def hand_back(console: ConsoleServices, staff: Staff, conversation_id: int) -> Outcome:
    """Return the conversation to the assistant; raises `InvalidTransition` or `LookupError`."""

    def work(session: Session) -> _Recorded:
        takeovers.release(session, conversation_id=conversation_id)
        audit.record(
            session,
            actor=staff.actor,
            action=AuditAction.return_to_bot,
            conversation_id=conversation_id,
        )
        return _state(
            session, conversation_id, (_system(session, conversation_id, LEFT_TEXT, staff),)
        )

    return await _run(console, conversation_id, work)


async def close(console: ConsoleServices, staff: Staff, conversation_id: int) -> Outcome:
    """Close the conversation; the customer is told when a person had it."""

    def work(session: Session) -> _Recorded:
        had_person = _conversation(session, conversation_id).status == ConversationStatus.human
        takeovers.close(session, conversation_id=conversation_id)
        audit.record(
            session, actor=staff.actor, action=AuditAction.close, conversation_id=conversation_id
        )
        notice = (_system(session, conversation_id, CLOSED_TEXT, staff),) if had_person else ()
        return _state(session, conversation_id, notice)

    return await _run(console, conversation_id, work)


async def _run(
    console: ConsoleServices, conversation_id: int, work: Callable[[Session], _Recorded]
) -> Outcome:
    recorded: _Recorded = await run_in_session(console.session_factory, work, commit=True)
    delivered = False
    if recorded.outbound:
        delivered = await console.outbound.deliver(
            recorded.channel, recorded.session_key, recorded.outbound
        )
    await publish_quietly(
        console.events, ConversationEvent("status", conversation_id, str(recorded.status))
    )
    return Outcome(conversation_id, recorded.status, delivered)


def _system(session: Session, conversation_id: int, template: str, staff: Staff) -> OutboundMessage:
    text = template.format(name=staff.name)
    messages.record_outgoing(
        session, conversation_id=conversation_id, text=text, sender=SenderType.system
    )
    return OutboundMessage(text=text, sender=SenderType.system)


def _state(
    session: Session, conversation_id: int, outbound: tuple[OutboundMessage, ...]
) -> _Recorded:
    conversation = _conversation(session, conversation_id)
    return _Recorded(
        channel=Channel(conversation.channel),
        session_key=conversation.session_key,
        status=ConversationStatus(conversation.status),
        outbound=outbound,
    )


def _conversation(session: Session, conversation_id: int) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise LookupError(f"no conversation with id {conversation_id}")
    return conversation
