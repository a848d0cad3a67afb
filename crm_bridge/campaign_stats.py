"""What each campaign achieved: enrolled, sent, skipped (and why), failed, clicked, converted.

A contact counts as converted for a campaign when, within the campaign's
``conversion_window_days`` after one of its ``sent`` sends to them, they placed an order
(not cancelled or returned) or one of their leads was converted; ``revenue`` sums those
orders, each order once per campaign. Counting is done in Python on plain rows, so the
numbers are the same on SQLite and PostgreSQL. ``start``/``end`` narrow every count to
enrolments triggered and sends written in [start, end).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.enums import CampaignSendStatus, CampaignStatus, CampaignTrigger, LeadStatus
from crm_bridge.models import Campaign, CampaignEnrollment, CampaignSend, Lead, Order
from crm_bridge.orders import NOT_PURCHASED


@dataclass(frozen=True, slots=True)
class CampaignResult:
    """One campaign's numbers (see the module docstring for what counts)."""

    campaign_id: int
    name: str
    status: CampaignStatus
    trigger: CampaignTrigger
    enrolled: int = 0
    sent: int = 0
    deferred: int = 0
    skipped: int = 0
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    clicked: int = 0
    converted: int = 0
    revenue: Decimal = Decimal("0.00")


def campaign_results(
    session: Session, *, start: datetime | None = None, end: datetime | None = None
) -> list[CampaignResult]:
    """Every campaign's numbers, newest campaign first."""
    campaigns = list(
        session.scalars(
            sa.select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc())
        )
    )
    enrolled = _enrolled(session, start, end)
    sends = _sends(session, start, end)
    converted, revenue = _conversions(session, campaigns, sends)
    results = []
    for campaign in campaigns:
        rows = [row for row in sends if row.campaign_id == campaign.id]
        statuses = Counter(row.status for row in rows)
        reasons = Counter(
            str(row.skip_reason)
            for row in rows
            if row.status is CampaignSendStatus.skipped and row.skip_reason is not None
        )
        results.append(
            CampaignResult(
                campaign_id=campaign.id,
                name=campaign.name,
                status=campaign.status,
                trigger=campaign.trigger,
                enrolled=enrolled.get(campaign.id, 0),
                sent=statuses[CampaignSendStatus.sent],
                deferred=statuses[CampaignSendStatus.deferred],
                skipped=statuses[CampaignSendStatus.skipped],
                skipped_by_reason=dict(sorted(reasons.items())),
                failed=statuses[CampaignSendStatus.failed],
                clicked=sum(1 for row in rows if row.clicked_at is not None),
                converted=converted.get(campaign.id, 0),
                revenue=revenue.get(campaign.id, Decimal("0.00")),
            )
        )
    return results


def _window(
    column: sa.ColumnElement[datetime], start: datetime | None, end: datetime | None
) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column < end)
    return conditions


def _enrolled(session: Session, start: datetime | None, end: datetime | None) -> dict[int, int]:
    statement = (
        sa.select(CampaignEnrollment.campaign_id, sa.func.count())
        .where(*_window(CampaignEnrollment.triggered_at, start, end))
        .group_by(CampaignEnrollment.campaign_id)
    )
    return {campaign_id: count for campaign_id, count in session.execute(statement)}


def _sends(session: Session, start: datetime | None, end: datetime | None) -> list[sa.Row]:
    statement = sa.select(
        CampaignSend.campaign_id,
        CampaignSend.contact_id,
        CampaignSend.status,
        CampaignSend.skip_reason,
        CampaignSend.sent_at,
        CampaignSend.clicked_at,
    ).where(*_window(CampaignSend.created_at, start, end))
    return list(session.execute(statement))


def _conversions(
    session: Session, campaigns: list[Campaign], sends: list[sa.Row]
) -> tuple[dict[int, int], dict[int, Decimal]]:
    windows = {c.id: timedelta(days=c.conversion_window_days) for c in campaigns}
    touches: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for row in sends:
        if row.status is CampaignSendStatus.sent and row.contact_id and row.sent_at:
            touches[row.campaign_id].append((row.contact_id, row.sent_at))
    contact_ids = {contact for rows in touches.values() for contact, _ in rows}
    if not contact_ids:
        return {}, {}
    orders = _by_contact(
        session.execute(
            sa.select(Order.contact_id, Order.id, Order.placed_at, Order.total).where(
                Order.contact_id.in_(contact_ids), Order.status.not_in(NOT_PURCHASED)
            )
        )
    )
    leads = _by_contact(
        session.execute(
            sa.select(Lead.contact_id, Lead.id, Lead.closed_at, sa.null()).where(
                Lead.contact_id.in_(contact_ids),
                Lead.status == LeadStatus.converted,
                Lead.closed_at.is_not(None),
            )
        )
    )
    converted: dict[int, int] = {}
    revenue: dict[int, Decimal] = {}
    for campaign_id, rows in touches.items():
        window = windows.get(campaign_id, timedelta(days=7))
        won: set[int] = set()
        counted: dict[int, Decimal] = {}
        for contact, sent_at in rows:
            for order_id, at, total in orders.get(contact, []):
                if sent_at <= at <= sent_at + window:
                    won.add(contact)
                    counted[order_id] = Decimal(total)
            if any(sent_at <= at <= sent_at + window for _, at, _ in leads.get(contact, [])):
                won.add(contact)
        converted[campaign_id] = len(won)
        revenue[campaign_id] = sum(counted.values(), Decimal("0.00"))
    return converted, revenue


def _by_contact(rows: sa.Result) -> dict[int, list[tuple[int, datetime, object]]]:
    grouped: dict[int, list[tuple[int, datetime, object]]] = defaultdict(list)
    for contact_id, row_id, at, value in rows:
        grouped[contact_id].append((row_id, at, value))
    return grouped
