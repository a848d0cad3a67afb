"""Hand-overs of a conversation from the bot to a person."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import conversations
from crm_bridge.column_types import utcnow
from crm_bridge.enums import ConversationStatus, HandoverStatus
from crm_bridge.errors import InvalidTransition
from crm_bridge.models import Conversation, Handover

OPEN_STATUSES = (HandoverStatus.requested, HandoverStatus.accepted)


def request_handover(
    session: Session, *, conversation_id: int, reason: str | None = None
) -> Handover:
    """Ask for a person; asking again while one is open returns the open request unchanged.

    The conversation moves to ``waiting`` (the bot keeps answering until someone accepts),
    unless a person already has it.
    """
    conversation = _conversation(session, conversation_id)
    handover = get_open(session, conversation_id=conversation_id)
    if handover is None:
        handover = Handover(
            conversation_id=conversation_id,
            reason=reason,
            status=HandoverStatus.requested,
            requested_at=utcnow(),
        )
        session.add(handover)
    if conversation.status != ConversationStatus.human:
        if conversation.status == ConversationStatus.closed:
            conversations.set_status(session, conversation, ConversationStatus.bot)
        conversations.set_status(session, conversation, ConversationStatus.waiting)
    session.flush()
    return handover


def accept_handover(session: Session, handover: Handover, *, assignee: str) -> Handover:
    """A person takes the conversation over; from now on nothing goes to the bot."""
    if handover.status != HandoverStatus.requested:
        raise InvalidTransition(f"hand-over {handover.id} is {handover.status}, not requested")
    handover.status = HandoverStatus.accepted
    handover.assignee = assignee
    handover.accepted_at = utcnow()
    conversation = _conversation(session, handover.conversation_id)
    conversations.set_status(session, conversation, ConversationStatus.human)
    session.flush()
    return handover


def resolve_handover(
    session: Session, handover: Handover, *, status: HandoverStatus = HandoverStatus.resolved
) -> Handover:
    """Close an open hand-over (resolved or cancelled) and give the conversation back to the bot."""
    if status not in (HandoverStatus.resolved, HandoverStatus.cancelled):
        raise ValueError(f"a hand-over ends as resolved or cancelled, not {status}")
    if handover.status not in OPEN_STATUSES:
        raise InvalidTransition(f"hand-over {handover.id} is already {handover.status}")
    handover.status = status
    handover.resolved_at = utcnow()
    conversation = _conversation(session, handover.conversation_id)
    if conversation.status in (ConversationStatus.waiting, ConversationStatus.human):
        conversations.set_status(session, conversation, ConversationStatus.bot)
    session.flush()
    return handover


def get_open(session: Session, *, conversation_id: int) -> Handover | None:
    """Return the conversation's requested or accepted hand-over, or None."""
    statement = (
        sa.select(Handover)
        .where(Handover.conversation_id == conversation_id, Handover.status.in_(OPEN_STATUSES))
        .order_by(Handover.id.desc())
    )
    return session.scalars(statement).first()


def list_open(session: Session) -> list[Handover]:
    """Return every requested or accepted hand-over, oldest request first, for the staff queue."""
    statement = (
        sa.select(Handover)
        .where(Handover.status.in_(OPEN_STATUSES))
        .order_by(Handover.requested_at, Handover.id)
    )
    return list(session.scalars(statement))


def _conversation(session: Session, conversation_id: int) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise LookupError(f"no conversation with id {conversation_id}")
    return conversation
