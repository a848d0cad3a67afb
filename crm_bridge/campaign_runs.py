"""Enrolments and their action rows: the database side of running a campaign safely.

Correctness comes from here, not from the scheduler: an event enrols once (unique
``trigger_key``), an enrolment is run by one worker at a time (a conditional UPDATE
claims it under a lease, and every later write is guarded by the claim token), and each
action of an enrolment has one row (unique enrolment + action index) that says whether
it was carried out. Functions flush and never commit.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_bridge.column_types import utcnow
from crm_bridge.enums import (
    CampaignActionKind,
    CampaignSendStatus,
    CampaignSkipReason,
    CampaignStatus,
    EnrollmentStatus,
)
from crm_bridge.models import Campaign, CampaignEnrollment, CampaignSend

FINAL_SEND_STATUSES = (
    CampaignSendStatus.sent,
    CampaignSendStatus.skipped,
    CampaignSendStatus.failed,
)
_E = CampaignEnrollment


def enroll(
    session: Session,
    *,
    campaign_id: int,
    contact_id: int,
    trigger_key: str,
    triggered_at: datetime,
    due_at: datetime,
) -> CampaignEnrollment | None:
    """A new waiting enrolment, or None when this event already enrolled (no change)."""
    exists = sa.select(_E.id).where(_E.campaign_id == campaign_id, _E.trigger_key == trigger_key)
    if session.scalar(exists) is not None:
        return None
    enrollment = CampaignEnrollment(
        campaign_id=campaign_id,
        contact_id=contact_id,
        trigger_key=trigger_key[:160],
        triggered_at=triggered_at,
        due_at=due_at,
        status=EnrollmentStatus.waiting,
    )
    try:
        # A savepoint: another scanner inserting the same key first leaves our work intact.
        with session.begin_nested():
            session.add(enrollment)
    except IntegrityError:
        return None
    return enrollment


def due_enrollment_ids(session: Session, *, now: datetime, limit: int = 100) -> list[int]:
    """Enrolments of active campaigns that are due, or whose worker's lease ran out."""
    statement = (
        sa.select(_E.id)
        .join(Campaign, Campaign.id == _E.campaign_id)
        .where(
            Campaign.status.in_((CampaignStatus.active, CampaignStatus.archived)),
            sa.or_(
                sa.and_(_E.status == EnrollmentStatus.waiting, _E.due_at <= now),
                sa.and_(_E.status == EnrollmentStatus.running, _E.lease_until < now),
            ),
        )
        .order_by(_E.due_at, _E.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def claim(session: Session, enrollment_id: int, *, now: datetime, lease: timedelta) -> str | None:
    """Take a due enrolment (or one whose worker's lease expired); its token, or None when
    it is not due or another worker holds it."""
    token = secrets.token_hex(16)
    statement = (
        sa.update(_E)
        .where(
            _E.id == enrollment_id,
            sa.or_(
                sa.and_(_E.status == EnrollmentStatus.waiting, _E.due_at <= now),
                sa.and_(_E.status == EnrollmentStatus.running, _E.lease_until < now),
            ),
        )
        .values(status=EnrollmentStatus.running, claim_token=token, lease_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    claimed = session.execute(statement).rowcount == 1
    session.expire_all()
    return token if claimed else None


def release(
    session: Session, enrollment_id: int, *, token: str, due_at: datetime | None = None
) -> bool:
    """Give a claimed enrolment back as waiting (paused campaign, quiet hours), optionally
    due later; False when the claim was lost."""
    values: dict[str, object] = {
        "status": EnrollmentStatus.waiting,
        "claim_token": None,
        "lease_until": None,
    }
    if due_at is not None:
        values["due_at"] = due_at
    return _guarded_update(session, enrollment_id, token, values)


def finish(
    session: Session,
    enrollment_id: int,
    *,
    token: str,
    status: EnrollmentStatus,
    detail: str | None = None,
) -> bool:
    """End a claimed enrolment (done, skipped, failed or cancelled); False when the claim
    was lost to another worker."""
    values: dict[str, object] = {
        "status": EnrollmentStatus(status),
        "claim_token": None,
        "lease_until": None,
        "finished_at": utcnow(),
        "detail": detail[:2000] if detail else None,
    }
    return _guarded_update(session, enrollment_id, token, values)


def holds_claim(session: Session, enrollment_id: int, *, token: str) -> bool:
    statement = sa.select(_E.id).where(_E.id == enrollment_id, _E.claim_token == token)
    return session.scalar(statement) is not None


def get_send(session: Session, *, enrollment_id: int, action_index: int) -> CampaignSend | None:
    statement = sa.select(CampaignSend).where(
        CampaignSend.enrollment_id == enrollment_id, CampaignSend.action_index == action_index
    )
    return session.scalar(statement)


def write_send(
    session: Session,
    enrollment: CampaignEnrollment,
    *,
    action_index: int,
    kind: CampaignActionKind,
    status: CampaignSendStatus,
    skip_reason: CampaignSkipReason | None = None,
    detail: str | None = None,
    click_token: str | None = None,
    sent_at: datetime | None = None,
) -> CampaignSend:
    """Create or update the row of one action of an enrolment."""
    send = get_send(session, enrollment_id=enrollment.id, action_index=action_index)
    if send is None:
        send = CampaignSend(
            enrollment_id=enrollment.id,
            campaign_id=enrollment.campaign_id,
            contact_id=enrollment.contact_id,
            action_index=action_index,
            action_kind=CampaignActionKind(kind),
        )
        session.add(send)
    send.status = CampaignSendStatus(status)
    send.skip_reason = skip_reason
    send.detail = detail[:2000] if detail else None
    send.click_token = click_token or send.click_token
    send.sent_at = sent_at or send.sent_at
    session.flush()
    return send


def mark_sent(session: Session, send_id: int, *, sent_at: datetime) -> None:
    """The message left: ``sending`` (or ``interrupted`` by an impatient worker) -> ``sent``."""
    send = session.get(CampaignSend, send_id)
    if send is None:
        return
    if send.status is CampaignSendStatus.sending or (
        send.status is CampaignSendStatus.failed
        and send.skip_reason is CampaignSkipReason.interrupted
    ):
        send.status = CampaignSendStatus.sent
        send.skip_reason = None
        send.detail = None
        send.sent_at = sent_at
        session.flush()


def mark_failed(session: Session, send_id: int, *, detail: str) -> None:
    """The channel refused or could not be reached; the message is not tried again."""
    send = session.get(CampaignSend, send_id)
    if send is not None and send.status is CampaignSendStatus.sending:
        send.status = CampaignSendStatus.failed
        send.detail = detail[:2000]
        session.flush()


def record_click(session: Session, click_token: str, *, now: datetime) -> CampaignSend | None:
    """The send of a tracked link; the first click's time is kept. None for an unknown token."""
    send = session.scalar(sa.select(CampaignSend).where(CampaignSend.click_token == click_token))
    if send is not None and send.clicked_at is None:
        send.clicked_at = now
        session.flush()
    return send


def new_click_token() -> str:
    """A random, URL-safe token for a tracked link (24 characters)."""
    return secrets.token_urlsafe(18)


def _guarded_update(
    session: Session, enrollment_id: int, token: str, values: dict[str, object]
) -> bool:
    statement = (
        sa.update(_E)
        .where(_E.id == enrollment_id, _E.claim_token == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    done = session.execute(statement).rowcount == 1
    session.expire_all()
    return done
