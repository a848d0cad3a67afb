"""Running campaigns: scan triggers, then run each due enrolment's actions exactly as far
as is safe.

An enrolment is claimed (conditional UPDATE under a lease) before anything happens, so
two gateways never run it together; each step re-checks the claim. Its actions run in
order, each recorded in its own `campaign_sends` row, and a row that already holds an
outcome is never redone. A message is recorded as ``sending`` and committed before it
leaves; a row still ``sending`` when the enrolment is next run means a worker died in
between, so it becomes ``failed``/``interrupted`` and is not sent again (at most once).
Database work runs in worker threads; only the message send runs on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.orm import Session

from automation.campaigns.actions import LOCAL_ACTIONS, MESSAGE_ACTIONS, Outcome, Outgoing, Step
from automation.campaigns.conditions import failed_condition
from automation.campaigns.context import CampaignContext
from automation.campaigns.templates import variables_for
from automation.campaigns.triggers import active_campaign_ids, scan_campaign
from crm_bridge import campaign_runs
from crm_bridge.campaign_runs import FINAL_SEND_STATUSES
from crm_bridge.column_types import utcnow
from crm_bridge.enums import (
    CampaignActionKind,
    CampaignSendStatus,
    CampaignSkipReason,
    CampaignStatus,
    EnrollmentStatus,
)
from crm_bridge.models import Campaign, CampaignEnrollment, Contact
from crm_bridge.transactions import run_transaction

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Pending:
    """A message whose ``sending`` row is committed: now it may leave."""

    send_id: int
    outgoing: Outgoing


@dataclass(frozen=True, slots=True)
class _Lost:
    """Another worker holds the enrolment now."""


async def in_thread(context: CampaignContext, work: Callable[[Session], T]) -> T:
    """Run `work` in its own committed transaction, off the event loop."""
    return await asyncio.to_thread(run_transaction, context.session_factory, work)


async def scan_triggers(
    context: CampaignContext, *, now: datetime | None = None
) -> list[tuple[int, datetime]]:
    """Enrol contacts for every active campaign; (enrolment id, due_at) of the new ones.

    Future ones are handed to `context.schedule` (date jobs); due ones run in the sweep.
    """
    now = now or utcnow()
    ids = await in_thread(context, active_campaign_ids)
    enrolled: list[tuple[int, datetime]] = []
    for campaign_id in ids:

        def scan(session: Session, campaign_id: int = campaign_id) -> list[tuple[int, datetime]]:
            campaign = session.get(Campaign, campaign_id)
            if campaign is None:
                return []
            return [(e.id, e.due_at) for e in scan_campaign(session, campaign, now=now)]

        try:
            enrolled += await in_thread(context, scan)
        except Exception:  # one broken campaign must not stop the others
            logger.exception("Scanning campaign %s failed", campaign_id)
    if context.schedule is not None:
        for enrollment_id, due_at in enrolled:
            if due_at > now:
                context.schedule(enrollment_id, due_at)
    return enrolled


async def run_due(
    context: CampaignContext, *, now: datetime | None = None, limit: int = 100
) -> int:
    """Run every due enrolment (also those whose own job was lost); how many were run."""
    now = now or utcnow()
    ids = await in_thread(
        context, lambda session: campaign_runs.due_enrollment_ids(session, now=now, limit=limit)
    )
    ran = 0
    for enrollment_id in ids:
        try:
            if await run_enrollment(context, enrollment_id, now=now) is not None:
                ran += 1
        except Exception:
            logger.exception("Running campaign enrolment %s failed", enrollment_id)
    return ran


async def run_enrollment(
    context: CampaignContext, enrollment_id: int, *, now: datetime | None = None
) -> EnrollmentStatus | None:
    """Run one enrolment if it is due and free; its status afterwards, None if not claimed."""
    now = now or utcnow()
    token = await in_thread(
        context,
        lambda session: campaign_runs.claim(session, enrollment_id, now=now, lease=LEASE),
    )
    if token is None:
        return None
    verdict = await in_thread(context, lambda session: _verdict(session, enrollment_id, token))
    if verdict is not None:
        return verdict
    failed = False
    index = 0
    while True:
        result = await in_thread(
            context, lambda session, i=index: _step(session, context, enrollment_id, token, i, now)
        )
        if result is None:  # no action left
            break
        if isinstance(result, _Lost):
            return None
        if isinstance(result, _Pending):
            result = await _deliver(context, result)
        if result.status is CampaignSendStatus.deferred and result.retry_at is not None:
            retry_at = result.retry_at
            await in_thread(
                context,
                lambda session, due=retry_at: campaign_runs.release(
                    session, enrollment_id, token=token, due_at=due
                ),
            )
            if context.schedule is not None:
                context.schedule(enrollment_id, retry_at)
            return EnrollmentStatus.waiting
        failed = failed or result.status is CampaignSendStatus.failed
        index += 1
    status = EnrollmentStatus.failed if failed else EnrollmentStatus.done
    await in_thread(
        context,
        lambda session: campaign_runs.finish(session, enrollment_id, token=token, status=status),
    )
    return status


def _verdict(session: Session, enrollment_id: int, token: str) -> EnrollmentStatus | None:
    """Stop before any action: paused (hold), archived or contact gone (cancel), conditions
    no longer met (skip). None means go on."""
    enrollment = session.get(CampaignEnrollment, enrollment_id)
    campaign = session.get(Campaign, enrollment.campaign_id) if enrollment else None
    if enrollment is None or campaign is None:
        return EnrollmentStatus.cancelled
    if campaign.status is CampaignStatus.paused or campaign.status is CampaignStatus.draft:
        campaign_runs.release(session, enrollment_id, token=token)
        return EnrollmentStatus.waiting
    if campaign.status is CampaignStatus.archived or enrollment.contact_id is None:
        detail = "campaign archived" if enrollment.contact_id else "contact deleted"
        campaign_runs.finish(
            session, enrollment_id, token=token, status=EnrollmentStatus.cancelled, detail=detail
        )
        return EnrollmentStatus.cancelled
    if _started(session, enrollment_id):
        return None  # conditions were checked before the first action; do not re-judge
    reason = failed_condition(session, campaign, enrollment)
    if reason is None:
        return None
    for index, action in enumerate(campaign.actions):
        campaign_runs.write_send(
            session,
            enrollment,
            action_index=index,
            kind=CampaignActionKind(action["kind"]),
            status=CampaignSendStatus.skipped,
            skip_reason=CampaignSkipReason.conditions_failed,
            detail=reason,
        )
    campaign_runs.finish(
        session, enrollment_id, token=token, status=EnrollmentStatus.skipped, detail=reason
    )
    return EnrollmentStatus.skipped


def _started(session: Session, enrollment_id: int) -> bool:
    return campaign_runs.get_send(session, enrollment_id=enrollment_id, action_index=0) is not None


def _step(
    session: Session,
    context: CampaignContext,
    enrollment_id: int,
    token: str,
    index: int,
    now: datetime,
) -> Outcome | _Pending | _Lost | None:
    """Carry out (or skip past) action `index`; None when there is no such action."""
    if not campaign_runs.holds_claim(session, enrollment_id, token=token):
        return _Lost()
    enrollment = session.get(CampaignEnrollment, enrollment_id)
    assert enrollment is not None and enrollment.contact_id is not None
    campaign = session.get(Campaign, enrollment.campaign_id)
    contact = session.get(Contact, enrollment.contact_id)
    assert campaign is not None
    if index >= len(campaign.actions):
        return None
    action = campaign.actions[index]
    kind = CampaignActionKind(action["kind"])
    send = campaign_runs.get_send(session, enrollment_id=enrollment_id, action_index=index)
    if send is not None and send.status in FINAL_SEND_STATUSES:
        return Outcome(send.status, send.skip_reason)
    if send is not None and send.status is CampaignSendStatus.sending:
        # A worker died between recording and confirming: the message may have left.
        outcome = Outcome(
            CampaignSendStatus.failed,
            CampaignSkipReason.interrupted,
            "interrupted while sending; not sent again",
        )
        _record(session, enrollment, index, kind, outcome, None)
        return outcome
    if contact is None:
        return _record(session, enrollment, index, kind, Outcome.failed("contact gone"), None)
    click_token = (send.click_token if send else None) or campaign_runs.new_click_token()
    step = Step(
        context=context,
        campaign=campaign,
        enrollment=enrollment,
        contact=contact,
        action=action,
        index=index,
        now=now,
        variables=variables_for(session, campaign, enrollment, contact),
        click_token=click_token,
    )
    if kind in LOCAL_ACTIONS:
        return _record(session, enrollment, index, kind, LOCAL_ACTIONS[kind](session, step), step)
    if context.sender is None:
        outcome = Outcome.skipped(CampaignSkipReason.no_channel, "no message sender running")
        return _record(session, enrollment, index, kind, outcome, step)
    prepared = MESSAGE_ACTIONS[kind](session, step)
    if isinstance(prepared, Outcome):
        return _record(session, enrollment, index, kind, prepared, step)
    row = campaign_runs.write_send(
        session,
        enrollment,
        action_index=index,
        kind=kind,
        status=CampaignSendStatus.sending,
        click_token=click_token if prepared.uses_click_token else None,
    )
    return _Pending(row.id, prepared)


def _record(
    session: Session,
    enrollment: CampaignEnrollment,
    index: int,
    kind: CampaignActionKind,
    outcome: Outcome,
    step: Step | None,
) -> Outcome:
    campaign_runs.write_send(
        session,
        enrollment,
        action_index=index,
        kind=kind,
        status=outcome.status,
        skip_reason=outcome.skip_reason,
        detail=outcome.detail,
        click_token=step.click_token if step is not None and outcome.uses_click_token else None,
        sent_at=outcome.sent_at,
    )
    return outcome


async def _deliver(context: CampaignContext, pending: _Pending) -> Outcome:
    """Send a committed ``sending`` message and record what the channel said."""
    assert context.sender is not None
    message = pending.outgoing
    try:
        delivered = await context.sender.send(message.session_key, message.text, message.buttons)
        error = None if delivered else "the channel could not deliver the message"
    except Exception as exc:  # a channel error is recorded; a crash (BaseException) is not
        logger.exception("Campaign send %s failed", pending.send_id)
        delivered, error = False, f"{type(exc).__name__}: {exc}"
    sent_at = utcnow()

    def record(session: Session) -> None:
        if delivered:
            campaign_runs.mark_sent(session, pending.send_id, sent_at=sent_at)
        else:
            campaign_runs.mark_failed(session, pending.send_id, detail=error or "not delivered")

    await in_thread(context, record)
    if delivered:
        return Outcome(CampaignSendStatus.sent, sent_at=sent_at)
    return Outcome.failed(error or "not delivered")
