"""Sales leads qualified by the assistant, for staff to follow up."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

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
    """Move a lead along the follow-up pipeline."""
    lead.status = LeadStatus(status)
    session.flush()
    return lead
