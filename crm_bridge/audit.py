"""The audit log of staff actions: who did what, to which conversation or account, when."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.column_types import utcnow
from crm_bridge.enums import AuditAction
from crm_bridge.models import AuditEvent


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a staff account id (None for a failed sign-in) and the email to show."""

    staff_id: int | None
    email: str
    client_address: str | None = None


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of the log, newest first, and how many events match in all."""

    events: list[AuditEvent]
    total: int


def record(
    session: Session,
    *,
    actor: Actor,
    action: AuditAction,
    conversation_id: int | None = None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event (the log is never edited)."""
    event = AuditEvent(
        staff_id=actor.staff_id,
        actor=actor.email[:254],
        action=AuditAction(action),
        conversation_id=conversation_id,
        target=target[:200] if target else None,
        detail=dict(detail or {}),
        client_address=(actor.client_address or None) and actor.client_address[:64],
        created_at=utcnow(),
    )
    session.add(event)
    session.flush()
    return event


def record_view(
    session: Session, *, actor: Actor, conversation_id: int, within: timedelta
) -> AuditEvent | None:
    """Log a transcript view, once per staff member and conversation within `within`.

    Live refreshes of an open transcript re-read it every few seconds; one entry per
    viewing keeps the log readable while every first look is still recorded.
    """
    statement = sa.select(sa.func.count()).where(
        AuditEvent.action == AuditAction.view_transcript,
        AuditEvent.staff_id == actor.staff_id,
        AuditEvent.conversation_id == conversation_id,
        AuditEvent.created_at >= utcnow() - within,
    )
    if session.scalar(statement):
        return None
    return record(
        session, actor=actor, action=AuditAction.view_transcript, conversation_id=conversation_id
    )


def list_events(
    session: Session,
    *,
    action: AuditAction | None = None,
    actor: str | None = None,
    conversation_id: int | None = None,
    since: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> AuditPage:
    """Events newest first, narrowed by action, actor email, conversation or time."""
    conditions = []
    if action is not None:
        conditions.append(AuditEvent.action == AuditAction(action))
    if actor:
        conditions.append(AuditEvent.actor == actor.strip().lower())
    if conversation_id is not None:
        conditions.append(AuditEvent.conversation_id == conversation_id)
    if since is not None:
        conditions.append(AuditEvent.created_at >= since)
    total = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(*conditions))
    statement = (
        sa.select(AuditEvent)
        .where(*conditions)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return AuditPage(events=list(session.scalars(statement)), total=total or 0)
