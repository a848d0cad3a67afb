"""Staff taking a conversation over from the bot, handing it back, closing it.

Claiming is one conditional UPDATE of the conversation row (`... WHERE status IN
('waiting', 'bot')`): whoever's UPDATE changes the row has it, so of two agents claiming
at once exactly one wins. On PostgreSQL the second UPDATE waits for the first to commit
and then no longer matches; on SQLite the second writer's stale snapshot fails with
"database is locked" and `crm_bridge.transactions.run_transaction` reruns it, when it
no longer matches either.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import handovers
from crm_bridge.column_types import utcnow
from crm_bridge.enums import ConversationStatus, HandoverStatus
from crm_bridge.errors import InvalidTransition
from crm_bridge.models import Conversation, Handover

_S = ConversationStatus
CLAIMABLE = (_S.waiting, _S.bot)


class ClaimRefused(InvalidTransition):
    """Someone else has the conversation already, or it is closed."""


def claim(session: Session, *, conversation_id: int, assignee: str) -> tuple[Handover, bool]:
    """Give the conversation to `assignee` (waiting or bot -> human) and accept its hand-over.

    Returns the hand-over and whether this call took the conversation: claiming again by
    the same assignee returns their hand-over and False (a double click is no error).
    Raises `ClaimRefused` when another person has it or it is closed, and `LookupError`
    for an unknown conversation.
    """
    won = _move(session, conversation_id, from_statuses=CLAIMABLE, to=_S.human)
    if not won:
        conversation = _conversation(session, conversation_id)
        handover = handovers.get_open(session, conversation_id=conversation_id)
        if (
            conversation.status == _S.human
            and handover is not None
            and handover.assignee == assignee
        ):
            return handover, False
        holder = handover.assignee if handover is not None else None
        raise ClaimRefused(
            f"conversation {conversation_id} is {conversation.status}"
            + (f", taken over by {holder}" if holder else "")
        )
    now = utcnow()
    handover = handovers.get_open(session, conversation_id=conversation_id)
    if handover is None:
        # Taken over without the customer asking: the hand-over is recorded all the same.
        handover = Handover(conversation_id=conversation_id, requested_at=now, reason=None)
        session.add(handover)
    handover.status = HandoverStatus.accepted
    handover.assignee = assignee
    handover.accepted_at = now
    session.flush()
    return handover, True


def release(session: Session, *, conversation_id: int) -> Handover | None:
    """Give a conversation a person has back to the bot; its hand-over is resolved."""
    if not _move(session, conversation_id, from_statuses=(_S.human,), to=_S.bot):
        conversation = _conversation(session, conversation_id)
        raise InvalidTransition(
            f"conversation {conversation_id} is {conversation.status}, not with a person"
        )
    return _resolve_open(session, conversation_id)


def close(session: Session, *, conversation_id: int) -> Handover | None:
    """Close a conversation that is not closed yet; an open hand-over is resolved."""
    open_statuses = (_S.bot, _S.waiting, _S.human)
    if not _move(session, conversation_id, from_statuses=open_statuses, to=_S.closed):
        _conversation(session, conversation_id)
        raise InvalidTransition(f"conversation {conversation_id} is closed already")
    return _resolve_open(session, conversation_id)


def _move(
    session: Session,
    conversation_id: int,
    *,
    from_statuses: tuple[ConversationStatus, ...],
    to: ConversationStatus,
) -> bool:
    """The atomic step: True when this transaction moved the row."""
    statement = (
        sa.update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.status.in_(from_statuses))
        .values(status=to, closed_at=utcnow() if to == _S.closed else None)
        .execution_options(synchronize_session=False)
    )
    moved = bool(getattr(session.execute(statement), "rowcount", 0))
    # The identity map may hold the row as it was before the UPDATE.
    conversation = session.get(Conversation, conversation_id)
    if conversation is not None:
        session.refresh(conversation)
    return moved


def _resolve_open(session: Session, conversation_id: int) -> Handover | None:
    handover = handovers.get_open(session, conversation_id=conversation_id)
    if handover is not None:
        handover.status = HandoverStatus.resolved
        handover.resolved_at = utcnow()
        session.flush()
    return handover


def _conversation(session: Session, conversation_id: int) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise LookupError(f"no conversation with id {conversation_id}")
    return conversation
