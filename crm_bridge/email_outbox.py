"""The email outbox: queued messages, their send attempts and suppressed addresses.

A message moves ``pending`` -> ``sending`` (claimed by one worker under a lease) ->
``sent`` | ``pending`` again (temporary failure, later ``next_attempt_at``) | ``failed``
| ``skipped``. Every move out of ``sending`` is guarded by the claim token, so a worker
that lost its lease (it stalled, another worker took the message over) cannot overwrite
what the new owner recorded. Functions flush but never commit, like every repository.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_bridge.enums import (
    EmailAttemptOutcome,
    EmailCategory,
    EmailSkipReason,
    EmailStatus,
    SuppressionReason,
)
from crm_bridge.models import EmailAttempt, EmailMessage, EmailSuppression


def add_message(
    session: Session,
    *,
    idempotency_key: str,
    category: EmailCategory,
    template: str,
    contact_id: int | None,
    to_address: str | None,
    subject: str,
    text_body: str,
    html_body: str,
    headers: dict[str, str],
    message_id: str,
    skip_reason: EmailSkipReason | None = None,
) -> tuple[EmailMessage, bool]:
    """Queue a message (or record it as skipped); an existing key returns that row, False."""
    existing = get_by_key(session, idempotency_key)
    if existing is not None:
        return existing, False
    message = EmailMessage(
        idempotency_key=idempotency_key,
        category=category,
        template=template,
        contact_id=contact_id,
        to_address=to_address,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        headers=dict(headers),
        message_id=message_id,
        status=EmailStatus.pending if skip_reason is None else EmailStatus.skipped,
        skip_reason=skip_reason,
        attempts=0,
        interruptions=0,
    )
    try:
        # A savepoint, so losing a race on the unique key leaves the caller's work intact.
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        winner = get_by_key(session, idempotency_key)
        if winner is None:
            raise
        return winner, False
    return message, True


def get_by_key(session: Session, idempotency_key: str) -> EmailMessage | None:
    return session.scalar(
        sa.select(EmailMessage).where(EmailMessage.idempotency_key == idempotency_key)
    )


def get_message(session: Session, message_id: int) -> EmailMessage | None:
    return session.get(EmailMessage, message_id)


def list_messages(
    session: Session,
    *,
    status: EmailStatus | None = None,
    contact_id: int | None = None,
    limit: int | None = None,
) -> list[EmailMessage]:
    """Messages newest first, optionally of one status or contact."""
    statement = sa.select(EmailMessage).order_by(EmailMessage.id.desc()).limit(limit)
    if status is not None:
        statement = statement.where(EmailMessage.status == status)
    if contact_id is not None:
        statement = statement.where(EmailMessage.contact_id == contact_id)
    return list(session.scalars(statement))


def list_attempts(session: Session, outbox_id: int) -> list[EmailAttempt]:
    """Every hand-over of one message to the mail server, oldest first."""
    statement = (
        sa.select(EmailAttempt).where(EmailAttempt.outbox_id == outbox_id).order_by(EmailAttempt.id)
    )
    return list(session.scalars(statement))


def claim_next(session: Session, *, now: datetime, lease: timedelta) -> EmailMessage | None:
    """Claim the next due message for this worker, or None when nothing is due.

    Due means ``pending`` with ``next_attempt_at`` reached, or ``sending`` whose lease ran
    out (the worker holding it died mid-send). The claim is one guarded UPDATE, so two
    workers never both win a message; a lost race just moves on to the next candidate.
    A taken-over message gets ``interruptions`` + 1 and an ``interrupted`` attempt row.
    """
    pending = sa.and_(
        EmailMessage.status == EmailStatus.pending, EmailMessage.next_attempt_at <= now
    )
    stale = sa.and_(EmailMessage.status == EmailStatus.sending, EmailMessage.lease_until < now)
    candidates = session.execute(
        sa.select(EmailMessage.id, EmailMessage.status)
        .where(sa.or_(pending, stale))
        .order_by(EmailMessage.next_attempt_at, EmailMessage.id)
        .limit(10)
    ).all()
    for candidate_id, status in candidates:
        was_interrupted = status == EmailStatus.sending
        token = secrets.token_hex(16)
        values: dict[str, Any] = {
            "status": EmailStatus.sending,
            "claim_token": token,
            "lease_until": now + lease,
            "attempts": EmailMessage.attempts + 1,
        }
        if was_interrupted:
            values["interruptions"] = EmailMessage.interruptions + 1
        claimed = session.execute(
            sa.update(EmailMessage)
            .where(EmailMessage.id == candidate_id, stale if was_interrupted else pending)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        message = session.get(EmailMessage, candidate_id, populate_existing=True)
        assert message is not None  # just updated in this transaction
        if was_interrupted:
            _add_attempt(
                session,
                message.id,
                attempt=message.attempts - 1,
                outcome=EmailAttemptOutcome.interrupted,
                detail="the worker sending it stopped before recording the result",
            )
        return message
    return None


def mark_sent(
    session: Session,
    message_id: int,
    *,
    claim_token: str,
    now: datetime,
    smtp_code: int | None,
    detail: str | None,
) -> EmailMessage | None:
    """Record the accepted send; None when this worker no longer holds the claim."""
    return _finish(
        session,
        message_id,
        claim_token=claim_token,
        values={"status": EmailStatus.sent, "sent_at": now, "last_smtp_code": smtp_code},
        outcome=EmailAttemptOutcome.sent,
        smtp_code=smtp_code,
        detail=detail,
    )


def mark_retry(
    session: Session,
    message_id: int,
    *,
    claim_token: str,
    next_attempt_at: datetime,
    smtp_code: int | None,
    error: str,
) -> EmailMessage | None:
    """Put the message back as ``pending`` until `next_attempt_at` (a temporary failure)."""
    return _finish(
        session,
        message_id,
        claim_token=claim_token,
        values={
            "status": EmailStatus.pending,
            "next_attempt_at": next_attempt_at,
            "last_error": error,
            "last_smtp_code": smtp_code,
        },
        outcome=EmailAttemptOutcome.temporary_failure,
        smtp_code=smtp_code,
        detail=error,
    )


def mark_failed(
    session: Session,
    message_id: int,
    *,
    claim_token: str,
    smtp_code: int | None,
    error: str,
    outcome: EmailAttemptOutcome | None = EmailAttemptOutcome.permanent_failure,
) -> EmailMessage | None:
    """Give the message up for good (a permanent failure, retries used up, or, with
    ``outcome=None``, without a send attempt of its own)."""
    return _finish(
        session,
        message_id,
        claim_token=claim_token,
        values={"status": EmailStatus.failed, "last_error": error, "last_smtp_code": smtp_code},
        outcome=outcome,
        smtp_code=smtp_code,
        detail=error,
    )


def mark_skipped(
    session: Session, message_id: int, *, claim_token: str, reason: EmailSkipReason
) -> EmailMessage | None:
    """Record that a claimed message will not be sent (consent withdrawn, address bounced)."""
    return _finish(
        session,
        message_id,
        claim_token=claim_token,
        values={"status": EmailStatus.skipped, "skip_reason": reason},
        outcome=None,
    )


def is_suppressed(session: Session, address: str) -> bool:
    """True when the address (any case) hard-bounced or was blocked by staff."""
    statement = sa.select(EmailSuppression.id).where(
        EmailSuppression.address == _normalise(address)
    )
    return session.scalar(statement) is not None


def suppress(
    session: Session,
    *,
    address: str,
    reason: SuppressionReason,
    detail: str | None = None,
    outbox_id: int | None = None,
) -> EmailSuppression:
    """Stop all mail to `address`; the first record of an address is kept."""
    normalised = _normalise(address)
    existing = session.scalar(
        sa.select(EmailSuppression).where(EmailSuppression.address == normalised)
    )
    if existing is not None:
        return existing
    suppression = EmailSuppression(
        address=normalised, reason=reason, detail=detail, outbox_id=outbox_id
    )
    session.add(suppression)
    session.flush()
    return suppression


def _finish(
    session: Session,
    message_id: int,
    *,
    claim_token: str,
    values: dict[str, Any],
    outcome: EmailAttemptOutcome | None,
    smtp_code: int | None = None,
    detail: str | None = None,
) -> EmailMessage | None:
    result = session.execute(
        sa.update(EmailMessage)
        .where(
            EmailMessage.id == message_id,
            EmailMessage.status == EmailStatus.sending,
            EmailMessage.claim_token == claim_token,
        )
        .values(claim_token=None, lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    message = session.get(EmailMessage, message_id, populate_existing=True)
    assert message is not None  # just updated in this transaction
    if outcome is not None:
        _add_attempt(
            session,
            message_id,
            attempt=message.attempts,
            outcome=outcome,
            smtp_code=smtp_code,
            detail=detail,
        )
    return message


def _add_attempt(
    session: Session,
    outbox_id: int,
    *,
    attempt: int,
    outcome: EmailAttemptOutcome,
    smtp_code: int | None = None,
    detail: str | None = None,
) -> None:
    session.add(
        EmailAttempt(
            outbox_id=outbox_id,
            attempt=attempt,
            outcome=outcome,
            smtp_code=smtp_code,
            detail=detail,
        )
    )
    session.flush()


def _normalise(address: str) -> str:
    return address.strip().lower()
