"""The campaign engine end to end on a real store: trigger -> wait -> send, exactly once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from automation.campaigns import engine
from automation.campaigns.context import CampaignContext
from crm_bridge import campaigns, leads
from crm_bridge.column_types import utcnow
from crm_bridge.enums import (
    CampaignSendStatus,
    CampaignSkipReason,
    CampaignStatus,
    Channel,
    EnrollmentStatus,
    LeadStatus,
)
from crm_bridge.models import CampaignEnrollment, CampaignSend
from tests.automation.campaigns.conftest import (
    PUBLIC_URL,
    RecordingSender,
    SimulatedCrash,
    berlin_quiet_hours,
)
from tests.utils.factories import (
    make_campaign,
    make_conversation,
    make_lead,
    make_telegram_contact,
)

DAY = timedelta(days=1)


def _qualified_lead_campaign(
    factory: Callable[[], Session], *, consent: bool | None = True, **campaign: object
) -> tuple[int, int]:
    """An active campaign and a contact whose lead was just qualified: (campaign, contact)."""
    with factory() as session:
        made = make_campaign(session, **campaign)
        contact = make_telegram_contact(session, consent=consent)
        lead = make_lead(session, conversation=make_conversation(session, contact=contact))
        lead.status = LeadStatus.qualified
        lead.qualified_at = utcnow()
        session.commit()
        return made.id, contact.id


def _sends(factory: Callable[[], Session]) -> list[CampaignSend]:
    with factory() as session:
        return list(session.scalars(sa.select(CampaignSend).order_by(CampaignSend.id)))


def _enrollment(factory: Callable[[], Session]) -> CampaignEnrollment:
    with factory() as session:
        return session.scalars(sa.select(CampaignEnrollment)).one()


async def test_trigger_wait_then_send_with_the_contacts_variables(
    factory: Callable[[], Session],
    make_context: Callable[..., CampaignContext],
    sender: RecordingSender,
) -> None:
    _qualified_lead_campaign(
        factory,
        wait_seconds=86_400,
        actions=[
            {
                "kind": "telegram_message",
                "text": "Hi {{ first_name }}, about {{ lead.interest }}?",
                "link_url": "https://shop.example.test/lanterns",
                "link_label": "See lanterns",
            }
        ],
    )
    context = make_context()
    now = utcnow()

    enrolled = await engine.scan_triggers(context, now=now)
    assert len(enrolled) == 1
    assert await engine.run_due(context, now=now + DAY - timedelta(minutes=1)) == 0
    assert sender.sent == []

    assert await engine.run_due(context, now=now + DAY + timedelta(seconds=1)) == 1

    (send,) = _sends(factory)
    assert send.status is CampaignSendStatus.sent and send.sent_at is not None
    assert send.click_token
    (session_key, text, buttons) = sender.sent[0]
    assert session_key.startswith("telegram-")
    assert text == "Hi Mia, about lanterns?"
    assert buttons == [{"title": "See lanterns", "payload": f"{PUBLIC_URL}/c/{send.click_token}"}]
    assert _enrollment(factory).status is EnrollmentStatus.done


async def test_running_again_sends_nothing_more(
    factory: Callable[[], Session],
    make_context: Callable[..., CampaignContext],
    sender: RecordingSender,
) -> None:
    _qualified_lead_campaign(factory)
    context = make_context()
    now = utcnow()
    await engine.scan_triggers(context, now=now)
    await engine.run_due(context, now=now)

    await engine.scan_triggers(context, now=now + timedelta(minutes=1))
    await engine.run_due(context, now=now + DAY)
    enrollment = _enrollment(factory)
    assert await engine.run_enrollment(context, enrollment.id, now=now + 2 * DAY) is None

    assert len(sender.sent) == 1


@pytest.mark.parametrize("moment", ["before", "after"])
async def test_a_crash_mid_send_never_sends_twice(
    factory: Callable[[], Session],
    make_context: Callable[..., CampaignContext],
    sender: RecordingSender,
    moment: str,
) -> None:
    _qualified_lead_campaign(
        factory,
        actions=[
            {"kind": "telegram_message", "text": "Hello"},
            {"kind": "tag_contact", "tag": "nudged"},
        ],
    )
    context = make_context()
    now = utcnow()
    await engine.scan_triggers(context, now=now)
    sender.crash = moment

    with pytest.raises(SimulatedCrash):
        await engine.run_due(context, now=now)
    (row,) = _sends(factory)
    assert row.status is CampaignSendStatus.sending  # committed before the message left
    # Within the lease nobody touches it; after the lease the next run takes over.
    assert await engine.run_due(context, now=now + timedelta(minutes=1)) == 0
    assert await engine.run_due(context, now=now + engine.LEASE + timedelta(seconds=1)) == 1

    assert len(sender.sent) == (1 if moment == "after" else 0)
    message, tag = _sends(factory)
    assert message.status is CampaignSendStatus.failed
    assert message.skip_reason is CampaignSkipReason.interrupted
    assert tag.status is CampaignSendStatus.sent  # later actions still ran, once
    assert _enrollment(factory).status is EnrollmentStatus.failed


@pytest.mark.parametrize(
    ("consent", "status", "reason"),
    [
        (True, CampaignSendStatus.sent, None),
        (False, CampaignSendStatus.skipped, CampaignSkipReason.opted_out),
        (None, CampaignSendStatus.skipped, CampaignSkipReason.no_consent),
    ],
)
async def test_consent_decides_whether_a_message_goes(
    factory: Callable[[], Session],
    make_context: Callable[..., CampaignContext],
    sender: RecordingSender,
    consent: bool | None,
    status: CampaignSendStatus,
    reason: CampaignSkipReason | None,
) -> None:
    _qualified_lead_campaign(factory, consent=consent)
    context = make_context()
    now = utcnow()
    await engine.scan_triggers(context, now=now)
    await engine.run_due(context, now=now)

    (send,) = _sends(factory)
    assert (send.status, send.skip_reason) == (status, reason)
    assert len(sender.sent) == (1 if consent else 0)


async def test_quiet_hours_defer_the_message_until_morning(
    factory: Callable[[], Session],
    make_context: Callable[..., CampaignContext],
    sender: RecordingSender,
) -> None:
    _qualified_lead_campaign(factory)
    context = make_context(quiet_hours=berlin_quiet_hours())
    scanned = utcnow()
    await engine.scan_triggers(context, now=scanned)
    evening = datetime(2026, 11, 23, 21, 30, tzinfo=UTC)  # 22:30 in Berlin
    morning = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    await _make_due(factory, evening)

    assert await engine.run_due(context, now=evening) == 1
    (send,) = _sends(factory)
    assert send.status is CampaignSendStatus.deferred
    assert send.skip_reason is CampaignSkipReason.quiet_hours
    enrollment = _enrollment(factory)
    assert enrollment.status is EnrollmentStatus.waiting and enrollment.due_at == morning
    assert await engine.run_due(context, now=morning - timedelta(minutes=1)) == 0
    assert sender.sent == []

    assert await engine.run_due(context, now=morning) == 1
    (send,) = _sends(factory)
    assert send.status is CampaignSendStatus.sent and send.skip_reason is None
    assert len(sender.sent) == 1


async def test_a_paused_campaign_holds_its_enrolments_until_resumed(
    factory: Callable[[], Session],
    make_context: Callable[..., CampaignContext],
    sender: RecordingSender,
) -> None:
    campaign_id, _ = _qualified_lead_campaign(factory)
    context = make_context()
    now = utcnow()
    (enrolled,) = await engine.scan_triggers(context, now=now)
    await _set_status(factory, campaign_id, CampaignStatus.paused)

    assert await engine.run_enrollment(context, enrolled[0], now=now) is EnrollmentStatus.waiting
    assert await engine.run_due(context, now=now) == 0
    assert sender.sent == [] and _sends(factory) == []

    await _set_status(factory, campaign_id, CampaignStatus.active)
    assert await engine.run_due(context, now=now + timedelta(seconds=1)) == 1
    assert len(sender.sent) == 1


async def test_archiving_cancels_waiting_enrolments(
    factory: Callable[[], Session],
    make_context: Callable[..., CampaignContext],
    sender: RecordingSender,
) -> None:
    campaign_id, _ = _qualified_lead_campaign(factory, wait_seconds=3600)
    context = make_context()
    now = utcnow()
    await engine.scan_triggers(context, now=now)
    await _set_status(factory, campaign_id, CampaignStatus.archived)

    assert await engine.run_due(context, now=now + DAY) == 1
    assert _enrollment(factory).status is EnrollmentStatus.cancelled
    assert sender.sent == []


async def test_a_condition_that_no_longer_holds_skips_every_action(
    factory: Callable[[], Session],
    make_context: Callable[..., CampaignContext],
    sender: RecordingSender,
) -> None:
    _qualified_lead_campaign(
        factory,
        conditions={"segment_id": 999},
        actions=[{"kind": "telegram_message", "text": "Hi"}, {"kind": "tag_contact", "tag": "x"}],
    )
    context = make_context()
    now = utcnow()
    await engine.scan_triggers(context, now=now)
    await engine.run_due(context, now=now)

    rows = _sends(factory)
    assert [(r.status, r.skip_reason) for r in rows] == [
        (CampaignSendStatus.skipped, CampaignSkipReason.conditions_failed)
    ] * 2
    assert _enrollment(factory).status is EnrollmentStatus.skipped
    assert sender.sent == []


async def test_an_abandoned_form_finished_meanwhile_gets_no_nudge(
    factory: Callable[[], Session],
    make_context: Callable[..., CampaignContext],
    sender: RecordingSender,
) -> None:
    with factory() as session:
        make_campaign(session, trigger="lead_abandoned", wait_seconds=3600)
        contact = make_telegram_contact(session)
        draft = leads.save_draft(
            session,
            lead_id=None,
            contact_id=contact.id,
            conversation_id=None,
            channel=Channel.telegram,
            data={"need": "gifts"},
            raw_answers={},
        )
        leads.mark_abandoned(session, draft)
        session.commit()
        lead_id = draft.id
    context = make_context()
    now = utcnow()
    assert len(await engine.scan_triggers(context, now=now)) == 1
    with factory() as session:
        lead = leads.get_lead(session, lead_id)
        assert lead is not None
        lead.status = LeadStatus.qualified
        session.commit()

    await engine.run_due(context, now=now + DAY)
    assert _enrollment(factory).status is EnrollmentStatus.skipped
    assert sender.sent == []


async def test_a_template_error_fails_the_send_with_its_reason(
    factory: Callable[[], Session],
    make_context: Callable[..., CampaignContext],
    sender: RecordingSender,
) -> None:
    _qualified_lead_campaign(
        factory, actions=[{"kind": "telegram_message", "text": "About {{ lead.budget.max }}"}]
    )
    context = make_context()
    now = utcnow()
    await engine.scan_triggers(context, now=now)
    await engine.run_due(context, now=now)

    (send,) = _sends(factory)
    assert send.status is CampaignSendStatus.failed
    assert "budget" in (send.detail or "")
    assert sender.sent == []


async def test_a_refused_delivery_is_recorded_as_failed_not_retried(
    factory: Callable[[], Session],
    make_context: Callable[..., CampaignContext],
    sender: RecordingSender,
) -> None:
    _qualified_lead_campaign(factory)
    sender.deliver = False
    context = make_context()
    now = utcnow()
    await engine.scan_triggers(context, now=now)
    await engine.run_due(context, now=now)
    await engine.run_due(context, now=now + DAY)

    (send,) = _sends(factory)
    assert send.status is CampaignSendStatus.failed and "could not deliver" in (send.detail or "")
    assert len(sender.sent) == 1


async def _make_due(factory: Callable[[], Session], at: datetime) -> None:
    with factory() as session:
        for enrollment in session.scalars(sa.select(CampaignEnrollment)):
            enrollment.due_at = at
        session.commit()


async def _set_status(
    factory: Callable[[], Session], campaign_id: int, status: CampaignStatus
) -> None:
    with factory() as session:
        campaign = campaigns.get_campaign(session, campaign_id)
        assert campaign is not None
        campaigns.set_status(session, campaign, status)
        session.commit()
