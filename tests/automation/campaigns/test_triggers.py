"""Each trigger enrols once per event however often it is scanned, never on old history."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from automation.campaigns.triggers import scan_campaign
from crm_bridge import leads, messages
from crm_bridge.column_types import utcnow
from crm_bridge.enums import CampaignStatus, Channel, LeadStatus, SuggestionEventKind
from crm_bridge.models import Campaign, CampaignEnrollment, SegmentMembership, SuggestionEvent
from tests.utils.factories import (
    make_campaign,
    make_contact,
    make_conversation,
    make_lead,
    make_order,
    make_product,
)

DAY = timedelta(days=1)


def _keys(session: Session, campaign: Campaign) -> list[str]:
    statement = sa.select(CampaignEnrollment.trigger_key).where(
        CampaignEnrollment.campaign_id == campaign.id
    )
    return sorted(session.scalars(statement))


def _scan_three_times(session: Session, campaign: Campaign) -> list[str]:
    """Scan the same window three times (a retried scan, a second gateway), then the keys."""
    start, now = campaign.scanned_until, utcnow()
    for minutes in (0, 1, 2):
        campaign.scanned_until = start
        scan_campaign(session, campaign, now=now + timedelta(minutes=minutes))
    return _keys(session, campaign)


def test_lead_qualified_enrols_once_with_the_wait(store_session: Session) -> None:
    campaign = make_campaign(store_session, wait_seconds=7200)
    old = make_lead(store_session)
    old.qualified_at = utcnow() - 2 * DAY  # before the campaign was switched on
    lead = make_lead(store_session)
    lead.status = LeadStatus.qualified
    lead.qualified_at = utcnow() - timedelta(minutes=5)
    store_session.flush()

    assert _scan_three_times(store_session, campaign) == [f"lead:{lead.id}"]
    enrollment = store_session.scalars(sa.select(CampaignEnrollment)).one()
    assert enrollment.due_at == lead.qualified_at + timedelta(hours=2)
    assert enrollment.contact_id == lead.contact_id


def test_lead_abandoned_enrols_once(store_session: Session) -> None:
    campaign = make_campaign(store_session, trigger="lead_abandoned")
    contact = make_contact(store_session)
    draft = leads.save_draft(
        store_session,
        lead_id=None,
        contact_id=contact.id,
        conversation_id=None,
        channel=Channel.web,
        data={},
        raw_answers={},
    )
    leads.mark_abandoned(store_session, draft)
    make_lead(store_session)  # a finished lead is no abandoned form

    assert _scan_three_times(store_session, campaign) == [f"abandoned:{draft.id}"]


def test_suggestion_clicked_not_bought_enrols_once_after_the_days(store_session: Session) -> None:
    campaign = make_campaign(
        store_session, trigger="suggestion_not_bought", trigger_params={"days": 3}
    )
    contact = make_contact(store_session)
    kept, bought, fresh = (make_product(store_session) for _ in range(3))
    clicks = {}
    for product, age in ((kept, 3 * DAY), (bought, 3 * DAY), (fresh, DAY)):
        click = SuggestionEvent(
            contact_id=contact.id,
            product_id=product.id,
            kind=SuggestionEventKind.clicked,
            rank=1,
            model_version="v1",
            created_at=utcnow() - age - timedelta(minutes=10),
        )
        store_session.add(click)
        clicks[product.id] = click
    make_order(store_session, contact=contact, items=[(bought, 1)])
    store_session.flush()

    assert _scan_three_times(store_session, campaign) == [f"click:{clicks[kept.id].id}"]


def test_entered_segment_enrols_once_per_membership(store_session: Session) -> None:
    campaign = make_campaign(
        store_session, trigger="entered_segment", trigger_params={"segment": "rfm:at_risk"}
    )
    contact = make_contact(store_session)
    wanted = SegmentMembership(segment_key="rfm:at_risk", contact_id=contact.id)
    other = SegmentMembership(segment_key="rfm:champions", contact_id=contact.id)
    store_session.add_all([wanted, other])
    store_session.flush()

    assert _scan_three_times(store_session, campaign) == [f"segment:rfm:at_risk:{wanted.id}"]


def test_inactive_enrols_once_per_spell(store_session: Session) -> None:
    campaign = make_campaign(store_session, trigger="inactive", trigger_params={"days": 90})
    quiet = make_contact(store_session)
    last_order = make_order(store_session, contact=quiet, placed_at=utcnow() - 90 * DAY)
    chatty = make_contact(store_session)
    make_order(store_session, contact=chatty, placed_at=utcnow() - 90 * DAY)
    conversation = make_conversation(store_session, contact=chatty)
    said = messages.record_incoming(store_session, conversation_id=conversation.id, text="hi")
    said.created_at = utcnow() - 10 * DAY
    long_gone = make_contact(store_session)
    make_order(store_session, contact=long_gone, placed_at=utcnow() - 200 * DAY)
    store_session.flush()

    day = last_order.placed_at.date().isoformat()
    assert _scan_three_times(store_session, campaign) == [f"inactive:{quiet.id}:{day}"]


def test_a_scan_moves_the_watermark_and_a_paused_campaign_does_not_scan(
    store_session: Session,
) -> None:
    campaign = make_campaign(store_session, status="paused")
    lead = make_lead(store_session)
    lead.qualified_at = utcnow() - timedelta(minutes=5)
    before = campaign.scanned_until

    assert scan_campaign(store_session, campaign, now=utcnow()) == []
    assert campaign.scanned_until == before

    campaign.status = CampaignStatus.active
    now = utcnow()
    assert len(scan_campaign(store_session, campaign, now=now)) == 1
    assert campaign.scanned_until == now
