"""Messages of a transcript; recording one also marks the conversation's last activity."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.column_types import utcnow
from crm_bridge.enums import MessageDirection, SenderType
from crm_bridge.models import Conversation, Message


def record_incoming(
    session: Session, *, conversation_id: int, text: str, payload: str | None = None
) -> Message:
    """Store what the customer sent (``payload`` is the button's intent when one was clicked)."""
    return _record(
        session,
        Message(
            conversation_id=conversation_id,
            direction=MessageDirection.incoming,
            sender_type=SenderType.customer,
            text=text,
            payload=payload,
        ),
    )


def record_outgoing(
    session: Session,
    *,
    conversation_id: int,
    text: str | None,
    buttons: list[dict[str, str]] | None = None,
    image_url: str | None = None,
    custom: dict[str, Any] | None = None,
    sender: SenderType = SenderType.bot,
) -> Message:
    """Store what the bot, an agent or the system sent to the customer."""
    return _record(
        session,
        Message(
            conversation_id=conversation_id,
            direction=MessageDirection.outgoing,
            sender_type=SenderType(sender),
            text=text,
            buttons=buttons,
            image_url=image_url,
            custom=custom,
        ),
    )


def set_nlu_result(
    session: Session,
    message: Message,
    *,
    intent: str | None,
    confidence: float | None,
    entities: list[dict[str, Any]] | None,
) -> Message:
    """Attach Rasa's parse to an incoming message, for transcripts and NLU review."""
    message.intent = intent
    message.confidence = confidence
    message.entities = entities
    session.flush()
    return message


def list_messages(session: Session, conversation_id: int) -> list[Message]:
    """Return a conversation's messages in the order they happened."""
    statement = (
        sa.select(Message)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.created_at, Message.id)
    )
    return list(session.scalars(statement))


def _record(session: Session, message: Message) -> Message:
    conversation = session.get(Conversation, message.conversation_id)
    if conversation is None:
        raise LookupError(f"no conversation with id {message.conversation_id}")
    now = utcnow()
    message.created_at = now
    conversation.last_message_at = now
    session.add(message)
    session.flush()
    return message
