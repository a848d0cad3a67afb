"""The email outbox repository: idempotency keys, guarded claims, leases and suppressions."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_bridge import email_outbox
from crm_bridge.column_types import utcnow
from crm_bridge.enums import (
    EmailAttemptOutcome,
    EmailCategory,
    EmailSkipReason,
    EmailStatus,
    SuppressionReason,
)
from crm_bridge.models import EmailMessage
from tests.utils.factories import make_contact

LEASE = timedelta(minutes=10)


def _add(session: Session, key: str = "k1", **fields: object) -> tuple[EmailMessage, bool]:
    values: dict[str, object] = {
        "idempotency_key": key,
        "category": EmailCategory.transactional,
        "template": "lead_confirmation",
        "contact_id": None,
        "to_address": "ann@example.test",
        "subject": "Hello",
        "text_body": "Hello\n",
        "html_body": "<p>Hello</p>",
        "headers": {},
        "message_id": f"<{key}@example.test>",
    }
    values.update(fields)
    return email_outbox.add_message(session, **values)  # type: ignore[arg-type]


def test_add_message_keeps_one_row_per_idempotency_key(store_session: Session) -> None:
    contact = make_contact(store_session)
    first, created = _add(store_session, contact_id=contact.id)
    second, created_again = _add(store_session, subject="Different")

    assert created and not created_again
    assert second.id == first.id and second.subject == "Hello"
    assert first.status is EmailStatus.pending and first.attempts == 0


def test_the_idempotency_key_is_unique_in_the_database(store_session: Session) -> None:
    message, _ = _add(store_session)
    duplicate = EmailMessage(
        **{c: getattr(message, c) for c in ("category", "template", "subject", "message_id")},
        idempotency_key=message.idempotency_key,
        text_body="x",
        html_body="x",
        headers={},
    )
    store_session.add(duplicate)
    with pytest.raises(IntegrityError):
        store_session.flush()


def test_a_skipped_message_is_stored_with_its_reason(store_session: Session) -> None:
    message, _ = _add(store_session, skip_reason=EmailSkipReason.email_off)
    assert message.status is EmailStatus.skipped
    assert message.skip_reason is EmailSkipReason.email_off
    now = utcnow() + timedelta(seconds=1)
    assert email_outbox.claim_next(store_session, now=now, lease=LEASE) is None


def test_claim_takes_a_due_message_once(store_session: Session) -> None:
    message, _ = _add(store_session)
    now = utcnow() + timedelta(seconds=1)

    claimed = email_outbox.claim_next(store_session, now=now, lease=LEASE)

    assert claimed is not None and claimed.id == message.id
    assert claimed.status is EmailStatus.sending
    assert claimed.claim_token and len(claimed.claim_token) == 32
    assert claimed.lease_until == now + LEASE
    assert claimed.attempts == 1 and claimed.interruptions == 0
    assert email_outbox.claim_next(store_session, now=now + LEASE / 2, lease=LEASE) is None


def test_a_message_waiting_for_a_retry_is_not_claimed_early(store_session: Session) -> None:
    message, _ = _add(store_session)
    now = utcnow() + timedelta(seconds=1)
    claimed = email_outbox.claim_next(store_session, now=now, lease=LEASE)
    assert claimed is not None
    email_outbox.mark_retry(
        store_session,
        message.id,
        claim_token=claimed.claim_token or "",
        next_attempt_at=now + timedelta(minutes=1),
        smtp_code=451,
        error="451 busy",
    )

    assert (
        email_outbox.claim_next(store_session, now=now + timedelta(seconds=59), lease=LEASE) is None
    )
    again = email_outbox.claim_next(store_session, now=now + timedelta(minutes=1), lease=LEASE)
    assert again is not None and again.attempts == 2


def test_an_expired_lease_is_taken_over_and_the_old_claim_cannot_record(
    store_session: Session,
) -> None:
    message, _ = _add(store_session)
    now = utcnow() + timedelta(seconds=1)
    first = email_outbox.claim_next(store_session, now=now, lease=LEASE)
    assert first is not None
    old_token = first.claim_token or ""

    second = email_outbox.claim_next(
        store_session, now=now + LEASE + timedelta(seconds=1), lease=LEASE
    )

    assert second is not None and second.claim_token != old_token
    assert (second.attempts, second.interruptions) == (2, 1)
    assert (
        email_outbox.mark_sent(
            store_session, message.id, claim_token=old_token, now=now, smtp_code=250, detail="late"
        )
        is None
    )
    sent = email_outbox.mark_sent(
        store_session,
        message.id,
        claim_token=second.claim_token or "",
        now=now,
        smtp_code=250,
        detail="250 ok",
    )
    assert sent is not None
    assert (sent.status, sent.claim_token, sent.lease_until) == (EmailStatus.sent, None, None)
    assert [
        (a.attempt, a.outcome) for a in email_outbox.list_attempts(store_session, message.id)
    ] == [
        (1, EmailAttemptOutcome.interrupted),
        (2, EmailAttemptOutcome.sent),
    ]


def test_mark_failed_and_skipped_need_the_claim(store_session: Session) -> None:
    failed, _ = _add(store_session, key="f")
    skipped, _ = _add(store_session, key="s")
    now = utcnow() + timedelta(seconds=1)
    claims = {
        m.id: m.claim_token or ""
        for m in (
            email_outbox.claim_next(store_session, now=now, lease=LEASE),
            email_outbox.claim_next(store_session, now=now, lease=LEASE),
        )
        if m is not None
    }
    assert set(claims) == {failed.id, skipped.id}

    assert (
        email_outbox.mark_failed(
            store_session, failed.id, claim_token="wrong", smtp_code=550, error="no"
        )
        is None
    )
    done = email_outbox.mark_failed(
        store_session, failed.id, claim_token=claims[failed.id], smtp_code=550, error="550 no"
    )
    gone = email_outbox.mark_skipped(
        store_session,
        skipped.id,
        claim_token=claims[skipped.id],
        reason=EmailSkipReason.no_consent,
    )

    assert done is not None and (done.status, done.last_smtp_code) == (EmailStatus.failed, 550)
    assert gone is not None and gone.skip_reason is EmailSkipReason.no_consent
    assert email_outbox.list_messages(store_session, status=EmailStatus.failed) == [done]


def test_suppression_is_case_insensitive_and_kept_once(store_session: Session) -> None:
    first = email_outbox.suppress(
        store_session, address=" Ann@Example.TEST ", reason=SuppressionReason.hard_bounce
    )
    again = email_outbox.suppress(
        store_session, address="ann@example.test", reason=SuppressionReason.manual
    )

    assert again.id == first.id and again.reason is SuppressionReason.hard_bounce
    assert first.address == "ann@example.test"
    assert email_outbox.is_suppressed(store_session, "ANN@example.test")
    assert not email_outbox.is_suppressed(store_session, "bob@example.test")


def test_deleting_a_contact_keeps_its_email_history(store_session: Session) -> None:
    contact = make_contact(store_session)
    message, _ = _add(store_session, contact_id=contact.id)
    store_session.execute(sa.delete(type(contact)).where(type(contact).id == contact.id))
    store_session.expire_all()

    kept = email_outbox.get_message(store_session, message.id)
    assert kept is not None and kept.contact_id is None
