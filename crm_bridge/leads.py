"""Sales leads qualified by the assistant, for staff to follow up."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.column_types import utcnow
from crm_bridge.enums import Channel, LeadStatus
from crm_bridge.models import Lead


def create_lead(
    session: Session,
    *,
    contact_id: int,
    conversation_id: int | None,
    channel: Channel,
    data: dict[str, Any],
    score: float | None = None,
    grade: str | None = None,
) -> Lead:
    """Record a new lead with what the customer told us (``data``) and its score, if any."""
    lead = Lead(
        contact_id=contact_id,
        conversation_id=conversation_id,
        channel=channel,
        status=LeadStatus.new,
        data=dict(data),
        score=score,
        grade=grade,
    )
    session.add(lead)
    session.flush()
    return lead


def get_lead(session: Session, lead_id: int) -> Lead | None:
    """Return the lead with this id, or None."""
    return session.get(Lead, lead_id)


def list_leads(
    session: Session,
    *,
    status: LeadStatus | None = None,
    contact_id: int | None = None,
    grade: str | None = None,
    limit: int | None = None,
) -> list[Lead]:
    """Return leads, newest first, optionally narrowed to one status, contact or grade."""
    statement = sa.select(Lead)
    if status is not None:
        statement = statement.where(Lead.status == status)
    if contact_id is not None:
        statement = statement.where(Lead.contact_id == contact_id)
    if grade is not None:
        statement = statement.where(Lead.grade == grade)
    statement = statement.order_by(Lead.created_at.desc(), Lead.id.desc()).limit(limit)
    return list(session.scalars(statement))


def set_lead_status(session: Session, lead: Lead, status: LeadStatus) -> Lead:
    """Move a lead along the follow-up pipeline; an outcome (converted, lost) is dated."""
    lead.status = LeadStatus(status)
    if lead.status in (LeadStatus.converted, LeadStatus.lost):
        lead.closed_at = lead.closed_at or utcnow()
    session.flush()
    return lead


RESUMABLE = (LeadStatus.draft, LeadStatus.abandoned)


def find_resumable(session: Session, *, contact_id: int) -> Lead | None:
    """The contact's newest unfinished lead form (in progress or stopped), if any."""
    statement = (
        sa.select(Lead)
        .where(Lead.contact_id == contact_id, Lead.status.in_(RESUMABLE))
        .order_by(Lead.updated_at.desc(), Lead.id.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


def latest_finished(session: Session, *, contact_id: int) -> Lead | None:
    """The contact's newest lead that went past the form, for details already known."""
    statement = (
        sa.select(Lead)
        .where(Lead.contact_id == contact_id, Lead.status.not_in(RESUMABLE))
        .order_by(Lead.created_at.desc(), Lead.id.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


def save_draft(
    session: Session,
    *,
    lead_id: int | None,
    contact_id: int,
    conversation_id: int | None,
    channel: Channel,
    data: dict[str, Any],
    raw_answers: dict[str, Any],
) -> Lead:
    """Keep the answers given so far, on the draft `lead_id` or a new one.

    A lead that is no longer a draft (qualified in the meantime, or deleted) is left
    alone and a new draft is started, so a finished lead is never overwritten.
    """
    lead = session.get(Lead, lead_id) if lead_id is not None else None
    if lead is None or lead.status not in RESUMABLE or lead.contact_id != contact_id:
        lead = Lead(contact_id=contact_id, channel=channel, data={}, raw_answers={})
        session.add(lead)
    lead.status = LeadStatus.draft
    lead.conversation_id = conversation_id
    lead.channel = channel
    lead.data = dict(data)
    lead.raw_answers = dict(raw_answers)
    session.flush()
    return lead


def mark_abandoned(session: Session, lead: Lead) -> Lead:
    """The customer stopped the form: keep the answers, for them to resume later."""
    if lead.status in RESUMABLE:
        lead.status = LeadStatus.abandoned
        session.flush()
    return lead


def qualify(
    session: Session,
    lead: Lead,
    *,
    data: dict[str, Any],
    raw_answers: dict[str, Any],
    score: float,
    grade: str,
    reasons: list[str],
    scored_by: str,
) -> Lead:
    """Finish a lead: every field, the raw answers, the score and why, and the time."""
    lead.status = LeadStatus.qualified
    lead.data = dict(data)
    lead.raw_answers = dict(raw_answers)
    lead.score = score
    lead.grade = grade
    lead.score_reasons = list(reasons)
    lead.scored_by = scored_by
    lead.qualified_at = utcnow()
    session.flush()
    return lead
