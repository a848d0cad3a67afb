"""Campaigns as staff define them: create, edit, activate, pause, archive, list, inspect.

A campaign only enrols and sends while ``active``. Activating it (from draft or paused)
sets its trigger watermark ``scanned_until`` to now, so a campaign never enrols contacts
for events older than the moment it was switched on. ``archived`` is final.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.campaign_specs import CampaignInvalid, CampaignSpec
from crm_bridge.column_types import utcnow
from crm_bridge.enums import CampaignStatus
from crm_bridge.errors import InvalidTransition
from crm_bridge.models import Campaign, CampaignEnrollment, CampaignSend, Segment, SegmentMembership

_S = CampaignStatus
ALLOWED_TRANSITIONS: dict[CampaignStatus, frozenset[CampaignStatus]] = {
    _S.draft: frozenset({_S.active, _S.archived}),
    _S.active: frozenset({_S.paused, _S.archived}),
    _S.paused: frozenset({_S.active, _S.archived}),
    _S.archived: frozenset(),
}
DEFAULT_LIMIT = 100


def create_campaign(session: Session, *, spec: CampaignSpec, created_by: str) -> Campaign:
    """Store a checked campaign as a draft; a name already taken raises CampaignInvalid."""
    _check_name_free(session, spec.name, campaign_id=None)
    campaign = Campaign(status=CampaignStatus.draft, created_by=created_by, **_fields(spec))
    session.add(campaign)
    session.flush()
    return campaign


def update_campaign(session: Session, campaign: Campaign, *, spec: CampaignSpec) -> Campaign:
    """Replace a campaign's definition (not an archived one's).

    A new trigger on a running campaign starts its watermark afresh, so the new trigger
    does not reach back into history either.
    """
    if campaign.status is CampaignStatus.archived:
        raise InvalidTransition("an archived campaign cannot be edited")
    _check_name_free(session, spec.name, campaign_id=campaign.id)
    trigger_changed = (campaign.trigger, campaign.trigger_params) != (
        spec.trigger,
        spec.trigger_params,
    )
    for key, value in _fields(spec).items():
        setattr(campaign, key, value)
    if trigger_changed and campaign.status is not CampaignStatus.draft:
        campaign.scanned_until = utcnow()
    session.flush()
    return campaign


def set_status(
    session: Session, campaign: Campaign, status: CampaignStatus, *, now: datetime | None = None
) -> Campaign:
    """Move a campaign; InvalidTransition for a move the life cycle does not allow."""
    status = CampaignStatus(status)
    if status not in ALLOWED_TRANSITIONS[campaign.status]:
        raise InvalidTransition(f"a {campaign.status} campaign cannot become {status}")
    if status is CampaignStatus.active:
        campaign.scanned_until = now or utcnow()
    campaign.status = status
    session.flush()
    return campaign


def get_campaign(session: Session, campaign_id: int) -> Campaign | None:
    return session.get(Campaign, campaign_id)


def list_campaigns(
    session: Session, *, status: CampaignStatus | None = None, include_archived: bool = True
) -> list[Campaign]:
    """Campaigns, newest first."""
    statement = sa.select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc())
    if status is not None:
        statement = statement.where(Campaign.status == CampaignStatus(status))
    elif not include_archived:
        statement = statement.where(Campaign.status != CampaignStatus.archived)
    return list(session.scalars(statement))


def list_enrollments(
    session: Session, *, campaign_id: int, limit: int = DEFAULT_LIMIT
) -> list[CampaignEnrollment]:
    """A campaign's enrolments, latest first, at most `limit`."""
    statement = (
        sa.select(CampaignEnrollment)
        .where(CampaignEnrollment.campaign_id == campaign_id)
        .order_by(CampaignEnrollment.created_at.desc(), CampaignEnrollment.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def list_sends(
    session: Session, *, campaign_id: int, limit: int = DEFAULT_LIMIT
) -> list[CampaignSend]:
    """A campaign's action outcomes (sent, skipped, failed...), latest first, at most `limit`."""
    statement = (
        sa.select(CampaignSend)
        .where(CampaignSend.campaign_id == campaign_id)
        .order_by(CampaignSend.updated_at.desc(), CampaignSend.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def segment_choices(session: Session) -> list[tuple[str, str]]:
    """(key, label) of segments a campaign can trigger on: open memberships' keys and
    saved segments (``rule:<id>``), sorted by key."""
    keys = set(
        session.scalars(
            sa.select(SegmentMembership.segment_key)
            .where(SegmentMembership.left_at.is_(None))
            .distinct()
        )
    )
    choices = {key: key for key in keys}
    for segment in session.scalars(sa.select(Segment).order_by(Segment.name)):
        choices[f"rule:{segment.id}"] = f"rule:{segment.id} ({segment.name})"
    return sorted(choices.items())


def saved_segments(session: Session) -> list[Segment]:
    """Saved rule segments, by name (the conditions a campaign can require)."""
    return list(session.scalars(sa.select(Segment).order_by(Segment.name)))


def _fields(spec: CampaignSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "trigger": spec.trigger,
        "trigger_params": dict(spec.trigger_params),
        "wait_seconds": spec.wait_seconds,
        "conditions": dict(spec.conditions),
        "actions": [dict(action) for action in spec.actions],
        "conversion_window_days": spec.conversion_window_days,
    }


def _check_name_free(session: Session, name: str, *, campaign_id: int | None) -> None:
    statement = sa.select(Campaign.id).where(sa.func.lower(Campaign.name) == name.lower())
    if campaign_id is not None:
        statement = statement.where(Campaign.id != campaign_id)
    if session.scalar(statement) is not None:
        raise CampaignInvalid(f"a campaign called {name!r} exists already")
