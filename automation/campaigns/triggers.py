"""Turning CRM events into enrolments, once per event however often a campaign is scanned.

Each scan looks at events after the campaign's watermark ``scanned_until`` (set when the
campaign was activated, so history older than that never enrols) up to now, inserts one
enrolment per event under a unique ``trigger_key`` and moves the watermark, all in one
transaction: a scan that dies enrols nothing and the next one covers the same window.

Event times per trigger:
- lead_qualified: ``Lead.qualified_at`` (key ``lead:<lead id>``);
- lead_abandoned: ``Lead.updated_at`` of a lead now ``abandoned`` (``abandoned:<lead id>``);
- suggestion_not_bought: a ``clicked`` suggestion turning ``days`` old with nothing bought
  (``click:<event id>``);
- entered_segment: ``SegmentMembership.entered_at`` (``segment:<key>:<membership id>``);
- inactive: the last customer message or order turning ``days`` old
  (``inactive:<contact id>:<date of that activity>``, so once per inactivity spell).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from automation.campaigns.conditions import bought_since
from crm_bridge import campaign_runs
from crm_bridge.enums import (
    CampaignStatus,
    CampaignTrigger,
    LeadStatus,
    MessageDirection,
    SuggestionEventKind,
)
from crm_bridge.models import (
    Campaign,
    CampaignEnrollment,
    Conversation,
    Lead,
    Message,
    Order,
    SegmentMembership,
    SuggestionEvent,
)
from crm_bridge.orders import NOT_PURCHASED


@dataclass(frozen=True, slots=True)
class TriggerEvent:
    """One event that enrols a contact."""

    contact_id: int
    key: str
    at: datetime


Finder = Callable[[Session, Campaign, datetime, datetime], list[TriggerEvent]]


def scan_campaign(
    session: Session, campaign: Campaign, *, now: datetime
) -> list[CampaignEnrollment]:
    """Enrol the contacts of every event in (watermark, now]; the new enrolments."""
    if campaign.status != CampaignStatus.active:
        return []
    since = campaign.scanned_until or campaign.created_at
    if since >= now:
        return []
    enrolled = []
    for event in FINDERS[campaign.trigger](session, campaign, since, now):
        enrollment = campaign_runs.enroll(
            session,
            campaign_id=campaign.id,
            contact_id=event.contact_id,
            trigger_key=event.key,
            triggered_at=event.at,
            due_at=event.at + timedelta(seconds=campaign.wait_seconds),
        )
        if enrollment is not None:
            enrolled.append(enrollment)
    campaign.scanned_until = now
    session.flush()
    return enrolled


def active_campaign_ids(session: Session) -> list[int]:
    statement = sa.select(Campaign.id).where(Campaign.status == CampaignStatus.active)
    return list(session.scalars(statement.order_by(Campaign.id)))


def needs_rule_segments(session: Session) -> bool:
    """True when an active campaign triggers on entering a saved (``rule:``) segment."""
    statement = sa.select(Campaign.trigger_params).where(
        Campaign.status == CampaignStatus.active,
        Campaign.trigger == CampaignTrigger.entered_segment,
    )
    return any(
        str((params or {}).get("segment", "")).startswith("rule:")
        for params in session.scalars(statement)
    )


def _leads_qualified(
    session: Session, campaign: Campaign, since: datetime, now: datetime
) -> list[TriggerEvent]:
    rows = session.execute(
        sa.select(Lead.id, Lead.contact_id, Lead.qualified_at).where(
            Lead.qualified_at > since, Lead.qualified_at <= now
        )
    )
    return [TriggerEvent(contact, f"lead:{lead}", at) for lead, contact, at in rows]


def _leads_abandoned(
    session: Session, campaign: Campaign, since: datetime, now: datetime
) -> list[TriggerEvent]:
    rows = session.execute(
        sa.select(Lead.id, Lead.contact_id, Lead.updated_at).where(
            Lead.status == LeadStatus.abandoned, Lead.updated_at > since, Lead.updated_at <= now
        )
    )
    return [TriggerEvent(contact, f"abandoned:{lead}", at) for lead, contact, at in rows]


def _suggestions_not_bought(
    session: Session, campaign: Campaign, since: datetime, now: datetime
) -> list[TriggerEvent]:
    age = timedelta(days=int(campaign.trigger_params["days"]))
    clicks = session.scalars(
        sa.select(SuggestionEvent).where(
            SuggestionEvent.kind == SuggestionEventKind.clicked,
            SuggestionEvent.contact_id.is_not(None),
            SuggestionEvent.created_at > since - age,
            SuggestionEvent.created_at <= now - age,
        )
    )
    return [
        TriggerEvent(click.contact_id, f"click:{click.id}", click.created_at + age)
        for click in clicks
        if click.contact_id is not None and not bought_since(session, click)
    ]


def _entered_segment(
    session: Session, campaign: Campaign, since: datetime, now: datetime
) -> list[TriggerEvent]:
    key = str(campaign.trigger_params["segment"])
    rows = session.execute(
        sa.select(
            SegmentMembership.id, SegmentMembership.contact_id, SegmentMembership.entered_at
        ).where(
            SegmentMembership.segment_key == key,
            SegmentMembership.entered_at > since,
            SegmentMembership.entered_at <= now,
        )
    )
    return [TriggerEvent(contact, f"segment:{key}:{row}", at) for row, contact, at in rows]


def _inactive(
    session: Session, campaign: Campaign, since: datetime, now: datetime
) -> list[TriggerEvent]:
    age = timedelta(days=int(campaign.trigger_params["days"]))
    said = (
        sa.select(Conversation.contact_id.label("contact_id"), Message.created_at.label("at"))
        .join(Message, Message.conversation_id == Conversation.id)
        .where(Message.direction == MessageDirection.incoming)
    )
    ordered = sa.select(Order.contact_id.label("contact_id"), Order.placed_at.label("at")).where(
        Order.status.not_in(NOT_PURCHASED)
    )
    activity = sa.union_all(said, ordered).subquery()
    last = sa.func.max(activity.c.at)
    rows = session.execute(
        sa.select(activity.c.contact_id, last)
        .group_by(activity.c.contact_id)
        .having(last > since - age, last <= now - age)
    )
    return [
        TriggerEvent(contact, f"inactive:{contact}:{at.date().isoformat()}", at + age)
        for contact, at in rows
    ]


FINDERS: dict[CampaignTrigger, Finder] = {
    CampaignTrigger.lead_qualified: _leads_qualified,
    CampaignTrigger.lead_abandoned: _leads_abandoned,
    CampaignTrigger.suggestion_not_bought: _suggestions_not_bought,
    CampaignTrigger.entered_segment: _entered_segment,
    CampaignTrigger.inactive: _inactive,
}
