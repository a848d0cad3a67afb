"""Conversations and their status machine (bot -> waiting -> human -> closed)."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.column_types import utcnow
from crm_bridge.enums import Channel, ConversationStatus
from crm_bridge.errors import InvalidTransition
from crm_bridge.models import Conversation

_S = ConversationStatus

# A closed conversation can only be reopened by the bot (the customer writes again).
ALLOWED_TRANSITIONS: dict[ConversationStatus, frozenset[ConversationStatus]] = {
    _S.bot: frozenset({_S.waiting, _S.human, _S.closed}),
    _S.waiting: frozenset({_S.bot, _S.human, _S.closed}),
    _S.human: frozenset({_S.bot, _S.closed}),
    _S.closed: frozenset({_S.bot}),
}


def open_conversation(
    session: Session, *, contact_id: int, channel: Channel, session_key: str
) -> Conversation:
    """Start a conversation owned by the bot; ``session_key`` is the Rasa sender id."""
    conversation = Conversation(
        contact_id=contact_id,
        channel=channel,
        session_key=session_key,
        status=ConversationStatus.bot,
        started_at=utcnow(),
    )
    session.add(conversation)
    session.flush()
    return conversation


def get_by_session_key(session: Session, session_key: str) -> Conversation | None:
    """Return the conversation of a Rasa sender id, or None."""
    statement = sa.select(Conversation).where(Conversation.session_key == session_key)
    return session.scalars(statement).first()


def get_conversation(session: Session, conversation_id: int) -> Conversation | None:
    """Return the conversation with this id, or None."""
    return session.get(Conversation, conversation_id)


def set_status(
    session: Session, conversation: Conversation, status: ConversationStatus
) -> Conversation:
    """Move a conversation to a new status, refusing moves the status machine forbids."""
    status = ConversationStatus(status)
    if conversation.status == status:
        return conversation
    if status not in ALLOWED_TRANSITIONS[conversation.status]:
        raise InvalidTransition(
            f"conversation {conversation.id} cannot go from {conversation.status} to {status}"
        )
    conversation.status = status
    conversation.closed_at = utcnow() if status == ConversationStatus.closed else None
    session.flush()
    return conversation


def list_conversations(
    session: Session,
    *,
    status: ConversationStatus | None = None,
    contact_id: int | None = None,
    limit: int | None = None,
) -> list[Conversation]:
    """Return conversations with the most recent activity first, for staff lists."""
    statement = sa.select(Conversation)
    if status is not None:
        statement = statement.where(Conversation.status == status)
    if contact_id is not None:
        statement = statement.where(Conversation.contact_id == contact_id)
    last_activity = sa.func.coalesce(Conversation.last_message_at, Conversation.started_at)
    statement = statement.order_by(last_activity.desc(), Conversation.id.desc()).limit(limit)
    return list(session.scalars(statement))
