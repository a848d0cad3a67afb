"""Whether an enrolment should still act when its wait is over.

Two checks: the campaign's own conditions (segment rules, or a saved segment's rules
via ``{"segment_id": N}``, evaluated by ``crm_bridge.segment_rules``), and whether the
trigger still stands (a resumed lead form, a product bought in the meantime).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.enums import CampaignTrigger, LeadStatus, SuggestionEventKind
from crm_bridge.models import (
    Campaign,
    CampaignEnrollment,
    Lead,
    Order,
    OrderItem,
    Segment,
    SuggestionEvent,
)
from crm_bridge.orders import NOT_PURCHASED


def failed_condition(
    session: Session, campaign: Campaign, enrollment: CampaignEnrollment
) -> str | None:
    """Why the enrolment must not act (a sentence for staff), or None when it may."""
    assert enrollment.contact_id is not None
    reason = _trigger_gone(session, campaign, enrollment)
    if reason is not None:
        return reason
    conditions = campaign.conditions or {}
    if not conditions:
        return None
    rules = conditions
    if "segment_id" in conditions:
        segment = session.get(Segment, conditions["segment_id"])
        if segment is None:
            return f"the condition's segment {conditions['segment_id']} no longer exists"
        rules = segment.rules or {}
        if not rules:
            return None
    # Imported here: segment rules are a separate module of the store.
    from crm_bridge.segment_rules import contact_matches

    if contact_matches(session, rules, enrollment.contact_id):
        return None
    return "the contact no longer matches the campaign's conditions"


def _trigger_gone(
    session: Session, campaign: Campaign, enrollment: CampaignEnrollment
) -> str | None:
    ref = enrollment.trigger_key.partition(":")[2]
    if campaign.trigger is CampaignTrigger.lead_abandoned and ref.isdigit():
        lead = session.get(Lead, int(ref))
        if lead is None or lead.status is not LeadStatus.abandoned:
            return "the lead form was resumed or finished meanwhile"
    if campaign.trigger is CampaignTrigger.suggestion_not_bought and ref.isdigit():
        click = session.get(SuggestionEvent, int(ref))
        if click is None or bought_since(session, click):
            return "the suggested product was bought meanwhile"
    return None


def bought_since(session: Session, click: SuggestionEvent) -> bool:
    """True when the contact bought the clicked product at or after the click."""
    bought_event = sa.select(SuggestionEvent.id).where(
        SuggestionEvent.contact_id == click.contact_id,
        SuggestionEvent.product_id == click.product_id,
        SuggestionEvent.kind == SuggestionEventKind.bought,
        SuggestionEvent.created_at >= click.created_at,
    )
    ordered = (
        sa.select(OrderItem.id)
        .join(Order, Order.id == OrderItem.order_id)
        .where(
            Order.contact_id == click.contact_id,
            OrderItem.product_id == click.product_id,
            Order.placed_at >= click.created_at,
            Order.status.not_in(NOT_PURCHASED),
        )
    )
    return bool(
        session.scalar(sa.select(sa.exists(bought_event)))
        or session.scalar(sa.select(sa.exists(ordered)))
    )
