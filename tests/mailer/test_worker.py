"""The delivery loop against a real SMTP server: sends, retries, bounces and crashes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import consents, email_outbox, leads
from crm_bridge.column_types import utcnow
from crm_bridge.db import make_engine, make_session_factory
from crm_bridge.enums import (
    Channel,
    ConsentKind,
    EmailAttemptOutcome,
    EmailSkipReason,
    EmailStatus,
    SuppressionReason,
)
from crm_bridge.models import EmailMessage, EmailSuppression
from mailer.outbox import enqueue_lead_confirmation, enqueue_marketing_email
from mailer.sender import OutgoingEmail, send_email
from mailer.settings import MailSettings
from mailer.worker import MailWorker, RetryPolicy, deliver_due
from tests.mailer.conftest import settings_for
from tests.utils.factories import make_contact
from tests.utils.smtp_server import SmtpServer, free_port

SessionFactory = Callable[[], Session]
NAUGHTY = "<b>Ann & Co</b>"
POLICY = RetryPolicy()


def _queue_marketing(
    factory: SessionFactory,
    settings: MailSettings,
    *,
    key: str = "spring:1",
    email: str | None = None,
    consent: bool = True,
) -> int:
    """Queue (and commit) one marketing email to a new contact; return its outbox id."""
    with factory() as session:
        contact = make_contact(session, name="Ann Example", **({"email": email} if email else {}))
        consents.record_consent(
            session,
            contact_id=contact.id,
            kind=ConsentKind.marketing,
            granted=consent,
            wording="Yes, send me offers by email.",
        )
        message = enqueue_marketing_email(
            session,
            contact_id=contact.id,
            template="marketing",
            variables={"subject": "Spring sale", "body": f"Lanterns for {NAUGHTY}."},
            idempotency_key=key,
            settings=settings,
        )
        session.commit()
        return message.id


def _message(factory: SessionFactory, outbox_id: int) -> EmailMessage:
    with factory() as session:
        message = email_outbox.get_message(session, outbox_id)
        assert message is not None
        return message


def _outcomes(factory: SessionFactory, outbox_id: int) -> list[tuple[str, int | None]]:
    with factory() as session:
        return [
            (str(attempt.outcome), attempt.smtp_code)
            for attempt in email_outbox.list_attempts(session, outbox_id)
        ]


def _later(seconds: float = 1) -> datetime:
    return utcnow() + timedelta(seconds=seconds)


def test_queued_marketing_email_arrives_with_headers_parts_and_escaped_html(
    session_factory: SessionFactory, mail_settings: MailSettings, smtp_server: SmtpServer
) -> None:
    outbox_id = _queue_marketing(session_factory, mail_settings)
    now = _later()

    report = deliver_due(session_factory, mail_settings, now=now)

    assert report.sent == [outbox_id]
    [mail] = smtp_server.received
    message = _message(session_factory, outbox_id)
    assert mail.rcpt_tos == [message.to_address]
    assert mail.message["From"] == "Larkspur Goods <shop@larkspur.test>"
    assert mail.message["To"] == message.to_address
    assert mail.message["Subject"] == "Spring sale"
    assert mail.message["Message-ID"] == message.message_id
    link = mail.message["List-Unsubscribe"]
    assert link.startswith("<https://shop.larkspur.test/unsubscribe/") and link.endswith(">")
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = mail.part("plain"), mail.part("html")
    assert "Hello Ann," in text and f"Lanterns for {NAUGHTY}." in text
    assert link.strip("<>") in text and link.strip("<>") in html
    assert "Lanterns for &lt;b&gt;Ann &amp; Co&lt;/b&gt;." in html and NAUGHTY not in html
    assert message.status is EmailStatus.sent
    assert message.sent_at == now
    assert _outcomes(session_factory, outbox_id) == [("sent", 250)]
    assert deliver_due(session_factory, mail_settings, now=_later(3600)).sent == []
    assert len(smtp_server.received) == 1


def test_lead_confirmation_arrives_with_the_summary(
    session_factory: SessionFactory, mail_settings: MailSettings, smtp_server: SmtpServer
) -> None:
    with session_factory() as session:
        contact = make_contact(session, email="ann@example.test")
        lead = leads.create_lead(
            session,
            contact_id=contact.id,
            conversation_id=None,
            channel=Channel.web,
            data={"request": "quote", "company": NAUGHTY, "name": "Ann", "team_size": 5},
        )
        enqueue_lead_confirmation(session, lead=lead, settings=mail_settings)
        session.commit()

    deliver_due(session_factory, mail_settings, now=_later())

    [mail] = smtp_server.received
    assert mail.message["Subject"] == "We've got your request for a quote"
    assert mail.message["List-Unsubscribe"] is None
    assert f"Company: {NAUGHTY}" in mail.part("plain")
    assert "Team size: 5 people" in mail.part("plain")
    assert "&lt;b&gt;Ann &amp; Co&lt;/b&gt;" in mail.part("html")


def test_temporary_failure_is_retried_after_the_back_off_then_sent(
    session_factory: SessionFactory, mail_settings: MailSettings, smtp_server: SmtpServer
) -> None:
    outbox_id = _queue_marketing(session_factory, mail_settings)
    smtp_server.handler.data_replies.append("451 4.3.0 Try again later")
    now = _later()

    first = deliver_due(session_factory, mail_settings, now=now)

    assert first.retried == [outbox_id]
    message = _message(session_factory, outbox_id)
    assert message.status is EmailStatus.pending
    assert message.next_attempt_at == now + POLICY.base_delay
    assert message.last_smtp_code == 451
    assert "451 4.3.0 Try again later" in (message.last_error or "")
    too_early = deliver_due(session_factory, mail_settings, now=now + POLICY.base_delay / 2)
    assert too_early.sent == [] and smtp_server.received == []

    second = deliver_due(session_factory, mail_settings, now=now + POLICY.base_delay)

    assert second.sent == [outbox_id]
    assert len(smtp_server.received) == 1
    assert _message(session_factory, outbox_id).attempts == 2
    assert _outcomes(session_factory, outbox_id) == [("temporary_failure", 451), ("sent", 250)]


def test_back_off_doubles_and_is_capped() -> None:
    policy = RetryPolicy(base_delay=timedelta(minutes=1), max_delay=timedelta(minutes=5))
    delays = [policy.delay(attempt) for attempt in range(1, 6)]
    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 5, 5)]


def test_a_refused_connection_is_retried(session_factory: SessionFactory) -> None:
    settings = settings_for(free_port())  # nothing listens there
    outbox_id = _queue_marketing(session_factory, settings)

    report = deliver_due(session_factory, settings, now=_later())

    assert report.retried == [outbox_id]
    message = _message(session_factory, outbox_id)
    assert message.status is EmailStatus.pending
    assert "Connection refused" in (message.last_error or "")


def test_retries_end_as_failed_after_the_last_attempt(
    session_factory: SessionFactory, mail_settings: MailSettings, smtp_server: SmtpServer
) -> None:
    policy = RetryPolicy(max_attempts=2)
    outbox_id = _queue_marketing(session_factory, mail_settings)
    smtp_server.handler.data_replies.extend(["451 4.3.0 Busy", "451 4.3.0 Still busy"])
    now = _later()

    deliver_due(session_factory, mail_settings, now=now, policy=policy)
    report = deliver_due(
        session_factory, mail_settings, now=now + timedelta(hours=1), policy=policy
    )

    assert report.failed == [outbox_id]
    message = _message(session_factory, outbox_id)
    assert message.status is EmailStatus.failed
    assert (message.last_error or "").startswith("gave up after 2 attempts: ")
    assert smtp_server.received == []


def test_permanent_failure_is_not_retried_and_the_address_is_suppressed(
    session_factory: SessionFactory, mail_settings: MailSettings, smtp_server: SmtpServer
) -> None:
    bounced = _queue_marketing(session_factory, mail_settings, key="a", email="gone@example.test")
    with session_factory() as session:
        contact_id = _message(session_factory, bounced).contact_id
        assert contact_id is not None
        later = enqueue_marketing_email(
            session,
            contact_id=contact_id,
            template="marketing",
            variables={"subject": "Again", "body": "Hello again."},
            idempotency_key="b",
            settings=mail_settings,
        )
        session.commit()
    smtp_server.handler.rcpt_replies.append("550 5.1.1 No such user")
    now = _later()

    report = deliver_due(session_factory, mail_settings, now=now)

    assert report.failed == [bounced]
    assert report.skipped == [later.id]
    message = _message(session_factory, bounced)
    assert message.status is EmailStatus.failed
    assert message.last_smtp_code == 550
    assert _outcomes(session_factory, bounced) == [("permanent_failure", 550)]
    assert _message(session_factory, later.id).skip_reason is EmailSkipReason.suppressed
    with session_factory() as session:
        [suppression] = session.scalars(sa.select(EmailSuppression))
        assert suppression.address == "gone@example.test"
        assert suppression.reason is SuppressionReason.hard_bounce
        assert suppression.outbox_id == bounced
    assert deliver_due(session_factory, mail_settings, now=now + timedelta(days=1)).sent == []
    assert smtp_server.received == []


def test_consent_withdrawn_while_queued_is_skipped_at_sending_time(
    session_factory: SessionFactory, mail_settings: MailSettings, smtp_server: SmtpServer
) -> None:
    outbox_id = _queue_marketing(session_factory, mail_settings)
    with session_factory() as session:
        contact_id = _message(session_factory, outbox_id).contact_id
        assert contact_id is not None
        consents.record_consent(
            session,
            contact_id=contact_id,
            kind=ConsentKind.marketing,
            granted=False,
            wording="Stop, please.",
        )
        session.commit()

    report = deliver_due(session_factory, mail_settings, now=_later())

    assert report.skipped == [outbox_id]
    assert _message(session_factory, outbox_id).skip_reason is EmailSkipReason.no_consent
    assert smtp_server.received == []


def _die_after_claiming(factory: SessionFactory, now: datetime) -> EmailMessage:
    """What a worker leaves behind when it is killed right after its claim committed."""
    with factory() as session:
        message = email_outbox.claim_next(session, now=now, lease=POLICY.lease)
        assert message is not None
        session.commit()
        return message


def test_a_worker_that_died_before_sending_is_replaced_and_the_email_sent_once(
    session_factory: SessionFactory, mail_settings: MailSettings, smtp_server: SmtpServer
) -> None:
    outbox_id = _queue_marketing(session_factory, mail_settings)
    now = _later()
    _die_after_claiming(session_factory, now)

    # Restarted at once: the lease still holds, as the first worker might still be sending.
    assert deliver_due(session_factory, mail_settings, now=now + timedelta(seconds=5)).sent == []
    assert smtp_server.received == []

    report = deliver_due(
        session_factory, mail_settings, now=now + POLICY.lease + timedelta(seconds=1)
    )

    assert report.sent == [outbox_id]
    assert len(smtp_server.received) == 1
    message = _message(session_factory, outbox_id)
    assert (message.status, message.interruptions, message.attempts) == (EmailStatus.sent, 1, 2)
    assert _outcomes(session_factory, outbox_id) == [("interrupted", None), ("sent", 250)]


def test_a_worker_that_died_after_the_server_accepted_is_re_sent_once_with_the_same_id(
    session_factory: SessionFactory, mail_settings: MailSettings, smtp_server: SmtpServer
) -> None:
    outbox_id = _queue_marketing(session_factory, mail_settings)
    now = _later()
    claimed = _die_after_claiming(session_factory, now)
    send_email(  # the server takes it, then the worker dies before recording "sent"
        OutgoingEmail(
            outbox_id=claimed.id,
            to_address=claimed.to_address or "",
            subject=claimed.subject,
            text=claimed.text_body,
            html=claimed.html_body,
            message_id=claimed.message_id,
            headers=claimed.headers,
        ),
        mail_settings,
    )

    deliver_due(session_factory, mail_settings, now=now + POLICY.lease + timedelta(seconds=1))
    deliver_due(session_factory, mail_settings, now=now + timedelta(days=1))

    first, second = smtp_server.received
    assert first.message["Message-ID"] == second.message["Message-ID"] == claimed.message_id
    assert _message(session_factory, outbox_id).status is EmailStatus.sent


def test_an_email_interrupted_twice_is_failed_rather_than_sent_a_third_time(
    session_factory: SessionFactory, mail_settings: MailSettings, smtp_server: SmtpServer
) -> None:
    outbox_id = _queue_marketing(session_factory, mail_settings)
    now = _later()
    _die_after_claiming(session_factory, now)
    _die_after_claiming(session_factory, now + POLICY.lease + timedelta(seconds=1))

    report = deliver_due(
        session_factory, mail_settings, now=now + 2 * POLICY.lease + timedelta(seconds=2)
    )

    assert report.failed == [outbox_id]
    message = _message(session_factory, outbox_id)
    assert message.status is EmailStatus.failed
    assert "interrupted 2 times" in (message.last_error or "")
    assert message.message_id in (message.last_error or "")
    assert [o for o, _ in _outcomes(session_factory, outbox_id)] == [
        EmailAttemptOutcome.interrupted,
        EmailAttemptOutcome.interrupted,
    ]
    assert smtp_server.received == []


@pytest.fixture
def file_store(sqlite_url: str) -> Iterator[SessionFactory]:
    """A real SQLite file with real commits, for the worker running in its own thread."""
    engine = make_engine(sqlite_url)
    yield make_session_factory(engine)
    engine.dispose()


async def test_mail_worker_sends_in_the_background_and_stops_cleanly(
    file_store: SessionFactory, mail_settings: MailSettings, smtp_server: SmtpServer
) -> None:
    outbox_id = _queue_marketing(file_store, mail_settings)
    worker = MailWorker(file_store, mail_settings, poll_seconds=0.05)

    worker.start()
    try:
        for _ in range(400):  # wait for the send, up to about 20 s on a busy machine
            if smtp_server.received:
                break
            await asyncio.sleep(0.05)
    finally:
        await worker.stop()

    assert len(smtp_server.received) == 1
    assert _message(file_store, outbox_id).status is EmailStatus.sent
    assert not worker.is_running


async def test_mail_worker_keeps_running_when_the_store_is_down(
    tmp_path: Path, mail_settings: MailSettings, caplog: pytest.LogCaptureFixture
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}")  # no tables at all
    worker = MailWorker(make_session_factory(engine), mail_settings, poll_seconds=0.05)
    worker.start()
    try:
        for _ in range(400):
            if "Email delivery run failed" in caplog.text:
                break
            await asyncio.sleep(0.05)
        assert "Email delivery run failed" in caplog.text
    finally:
        await worker.stop()
        engine.dispose()
