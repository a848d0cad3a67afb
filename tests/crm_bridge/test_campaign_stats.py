"""Campaign results: sends by status and reason, clicks, conversions and revenue."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from crm_bridge import campaign_runs
from crm_bridge.campaign_stats import campaign_results
from crm_bridge.column_types import utcnow
from crm_bridge.enums import (
    CampaignActionKind,
    CampaignSendStatus,
    CampaignSkipReason,
    LeadStatus,
    OrderStatus,
)
from crm_bridge.models import Campaign, Contact
from tests.utils.factories import make_campaign, make_contact, make_lead, make_order, make_product

DAY = timedelta(days=1)


def _send(
    session: Session,
    campaign: Campaign,
    contact: Contact,
    status: CampaignSendStatus,
    *,
    reason: CampaignSkipReason | None = None,
    clicked: bool = False,
) -> None:
    now = utcnow()
    enrollment = campaign_runs.enroll(
        session,
        campaign_id=campaign.id,
        contact_id=contact.id,
        trigger_key=f"lead:{contact.id}",
        triggered_at=now - 3 * DAY,
        due_at=now - 3 * DAY,
    )
    assert enrollment is not None
    send = campaign_runs.write_send(
        session,
        enrollment,
        action_index=0,
        kind=CampaignActionKind.telegram_message,
        status=status,
        skip_reason=reason,
        sent_at=now - 3 * DAY if status is CampaignSendStatus.sent else None,
    )
    send.clicked_at = now if clicked else None
    session.flush()


def test_results_count_sends_clicks_conversions_and_revenue(store_session: Session) -> None:
    campaign = make_campaign(store_session, conversion_window_days=7)
    other = make_campaign(store_session)
    buyer, lead_won, late_buyer, refused, opted_out = (
        make_contact(store_session) for _ in range(5)
    )
    _send(store_session, campaign, buyer, CampaignSendStatus.sent, clicked=True)
    _send(store_session, campaign, lead_won, CampaignSendStatus.sent)
    _send(store_session, campaign, late_buyer, CampaignSendStatus.sent)
    _send(
        store_session,
        campaign,
        refused,
        CampaignSendStatus.skipped,
        reason=CampaignSkipReason.no_consent,
    )
    _send(
        store_session,
        campaign,
        opted_out,
        CampaignSendStatus.skipped,
        reason=CampaignSkipReason.opted_out,
    )
    product = make_product(store_session, price=Decimal("25.00"))
    now = utcnow()
    make_order(store_session, contact=buyer, items=[(product, 2)], placed_at=now - 2 * DAY)
    make_order(
        store_session,
        contact=buyer,
        items=[(product, 1)],
        placed_at=now - 2 * DAY,
        status=OrderStatus.cancelled,
    )
    make_order(store_session, contact=late_buyer, items=[(product, 1)], placed_at=now - 10 * DAY)
    make_order(store_session, contact=refused, items=[(product, 1)], placed_at=now - DAY)
    lead = make_lead(store_session)
    lead.contact_id = lead_won.id
    lead.status = LeadStatus.converted
    lead.closed_at = now - DAY
    store_session.flush()

    results = {r.campaign_id: r for r in campaign_results(store_session)}

    result = results[campaign.id]
    assert (result.enrolled, result.sent, result.skipped, result.failed) == (5, 3, 2, 0)
    assert result.skipped_by_reason == {"no_consent": 1, "opted_out": 1}
    assert result.clicked == 1
    assert result.converted == 2  # the buyer and the converted lead; not the late or refused
    assert result.revenue == Decimal("50.00")
    assert (results[other.id].enrolled, results[other.id].sent) == (0, 0)

    future = campaign_results(store_session, start=now + DAY)
    assert {r.campaign_id: r.enrolled for r in future}[campaign.id] == 0
