"""Queueing emails: consent, suppression, email off, idempotency and the three kinds."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import consents, email_outbox, handovers, leads, messages
from crm_bridge.enums import (
    Channel,
    ConsentKind,
    EmailCategory,
    EmailSkipReason,
    EmailStatus,
    SuppressionReason,
)
from crm_bridge.models import Contact, EmailMessage, Lead
from mailer.outbox import (
    IdempotencyConflict,
    enqueue_handover_notification,
    enqueue_lead_confirmation,
    enqueue_marketing_email,
)
from mailer.rendering import TemplateProblem
from mailer.settings import MailSettings
from tests.mailer.conftest import STAFF
from tests.utils.factories import make_contact, make_conversation

SessionFactory = Callable[[], Session]
VARIABLES = {"subject": "Spring sale", "body": "Lanterns are 20% off this week."}


def _consenting(session: Session, **fields: object) -> Contact:
    contact = make_contact(session, **fields)
    consents.record_consent(
        session,
        contact_id=contact.id,
        kind=ConsentKind.marketing,
        granted=True,
        wording="Yes, send me offers by email.",
    )
    return contact


def _marketing(
    session: Session, contact: Contact, settings: MailSettings, key: str = "spring:1"
) -> EmailMessage:
    return enqueue_marketing_email(
        session,
        contact_id=contact.id,
        template="marketing",
        variables=VARIABLES,
        idempotency_key=key,
        settings=settings,
    )


def _count(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(EmailMessage)) or 0


def test_marketing_email_for_a_consenting_contact_is_pending_with_unsubscribe_headers(
    session_factory: SessionFactory, mail_settings: MailSettings
) -> None:
    with session_factory() as session:
        contact = _consenting(session, name="Ann Example")
        message = _marketing(session, contact, mail_settings)

        assert message.status is EmailStatus.pending
        assert message.category is EmailCategory.marketing
        assert message.to_address == contact.email
        assert message.subject == "Spring sale"
        link = message.headers["List-Unsubscribe"].strip("<>")
        assert link.startswith("https://shop.larkspur.test/unsubscribe/")
        assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link in message.text_body and link in message.html_body
        assert "Hello Ann," in message.text_body
        assert message.message_id.endswith("@larkspur.test>")


@pytest.mark.parametrize("granted", [None, False])
def test_marketing_without_a_granted_consent_is_recorded_as_skipped(
    session_factory: SessionFactory, mail_settings: MailSettings, granted: bool | None
) -> None:
    with session_factory() as session:
        contact = make_contact(session)
        if granted is not None:
            consents.record_consent(
                session,
                contact_id=contact.id,
                kind=ConsentKind.marketing,
                granted=granted,
                wording="No offers, thanks.",
            )
        message = _marketing(session, contact, mail_settings)

        assert message.status is EmailStatus.skipped
        assert message.skip_reason is EmailSkipReason.no_consent


def test_marketing_to_a_suppressed_address_is_recorded_as_skipped(
    session_factory: SessionFactory, mail_settings: MailSettings
) -> None:
    with session_factory() as session:
        contact = _consenting(session, email="Bounced@Example.test")
        email_outbox.suppress(
            session, address="bounced@example.test", reason=SuppressionReason.hard_bounce
        )
        message = _marketing(session, contact, mail_settings)

        assert message.status is EmailStatus.skipped
        assert message.skip_reason is EmailSkipReason.suppressed


def test_email_off_records_the_message_as_skipped_and_says_why(
    session_factory: SessionFactory, mail_off: MailSettings, caplog: pytest.LogCaptureFixture
) -> None:
    with session_factory() as session, caplog.at_level(logging.INFO, logger="mailer.outbox"):
        message = _marketing(session, _consenting(session), mail_off)

        assert message.status is EmailStatus.skipped
        assert message.skip_reason is EmailSkipReason.email_off
    assert "Email is off (no SMTP_HOST)" in caplog.text


def test_the_same_idempotency_key_gives_the_same_row(
    session_factory: SessionFactory, mail_settings: MailSettings
) -> None:
    with session_factory() as session:
        contact = _consenting(session)
        first = _marketing(session, contact, mail_settings)
        second = _marketing(session, contact, mail_settings)

        assert first.id == second.id
        assert _count(session) == 1


def test_an_idempotency_key_of_another_email_is_refused(
    session_factory: SessionFactory, mail_settings: MailSettings
) -> None:
    with session_factory() as session:
        _marketing(session, _consenting(session), mail_settings)
        with pytest.raises(IdempotencyConflict, match="spring:1"):
            _marketing(session, _consenting(session), mail_settings)
        assert _count(session) == 1


@pytest.mark.parametrize(
    ("template", "variables", "problem"),
    [
        ("lead_confirmation", VARIABLES, "not a marketing template"),
        ("marketing", {"subject": "Hi"}, "'body' is undefined"),
        ("marketing", {**VARIABLES, "unsubscribe_url": "https://evil.test"}, "filled in by"),
        ("marketing", {**VARIABLES, "button_url": "javascript:alert(1)"}, "button_url"),
        ("no_such_template", VARIABLES, "unknown email template"),
    ],
)
def test_bad_marketing_requests_are_refused_and_write_nothing(
    session_factory: SessionFactory,
    mail_settings: MailSettings,
    template: str,
    variables: dict[str, str],
    problem: str,
) -> None:
    with session_factory() as session:
        contact = _consenting(session)
        with pytest.raises(TemplateProblem, match=problem):
            enqueue_marketing_email(
                session,
                contact_id=contact.id,
                template=template,
                variables=variables,
                idempotency_key="bad:1",
                settings=mail_settings,
            )
        assert _count(session) == 0


def test_marketing_to_an_unknown_contact_is_a_lookup_error(
    session_factory: SessionFactory, mail_settings: MailSettings
) -> None:
    with session_factory() as session, pytest.raises(LookupError, match="no contact 999999"):
        enqueue_marketing_email(
            session,
            contact_id=999999,
            template="marketing",
            variables=VARIABLES,
            idempotency_key="x:1",
            settings=mail_settings,
        )


def _lead(session: Session, contact: Contact, **data: object) -> Lead:
    return leads.create_lead(
        session, contact_id=contact.id, conversation_id=None, channel=Channel.web, data=data
    )


def test_lead_confirmation_is_transactional_and_needs_no_consent(
    session_factory: SessionFactory, mail_settings: MailSettings
) -> None:
    with session_factory() as session:
        contact = make_contact(session, email=None)
        lead = _lead(
            session,
            contact,
            request="demo",
            need="A lantern display",
            company="<b>Ann & Co</b>",
            name="Ann",
            email="ann@example.test",
        )
        message = enqueue_lead_confirmation(session, lead=lead, settings=mail_settings)

        assert message.status is EmailStatus.pending
        assert message.category is EmailCategory.transactional
        assert message.to_address == "ann@example.test"
        assert message.subject == "We've got your request for a demo"
        assert message.headers == {}
        assert "Company: <b>Ann & Co</b>" in message.text_body
        assert "&lt;b&gt;Ann &amp; Co&lt;/b&gt;" in message.html_body
        assert "it is not marketing and needed no newsletter consent" in message.text_body
        assert "unsubscribe" not in message.html_body.lower()
        again = enqueue_lead_confirmation(session, lead=lead, settings=mail_settings)
        assert again.id == message.id


def test_lead_confirmation_without_any_address_is_recorded_as_skipped(
    session_factory: SessionFactory, mail_settings: MailSettings
) -> None:
    with session_factory() as session:
        lead = _lead(session, make_contact(session, email=None), request="quote")
        message = enqueue_lead_confirmation(session, lead=lead, settings=mail_settings)

        assert message.status is EmailStatus.skipped
        assert message.skip_reason is EmailSkipReason.no_address


def test_handover_notification_goes_to_every_staff_address_once(
    session_factory: SessionFactory, mail_settings: MailSettings
) -> None:
    with session_factory() as session:
        contact = make_contact(session, name="<b>Ann & Co</b>", email="ann@example.test")
        conversation = make_conversation(session, contact=contact)
        messages.record_incoming(
            session, conversation_id=conversation.id, text="Where is my <order>?"
        )
        handovers.request_handover(session, conversation_id=conversation.id, reason="human pls")

        queued = enqueue_handover_notification(
            session, conversation_id=conversation.id, reason="human pls", settings=mail_settings
        )
        again = enqueue_handover_notification(
            session, conversation_id=conversation.id, reason="human pls", settings=mail_settings
        )

        assert sorted(m.to_address or "" for m in queued) == sorted(STAFF)
        assert [m.id for m in again] == [m.id for m in queued]
        assert _count(session) == len(STAFF)
        message = queued[0]
        assert message.category is EmailCategory.notification
        assert message.status is EmailStatus.pending
        assert message.subject == "A customer asks for a person: <b>Ann & Co</b> (web)"
        assert '"human pls"' in message.text_body
        assert "Customer: Where is my <order>?" in message.text_body
        assert "Where is my &lt;order&gt;?" in message.html_body
        assert "&lt;b&gt;Ann &amp; Co&lt;/b&gt;" in message.html_body


def test_handover_without_staff_addresses_queues_nothing(
    session_factory: SessionFactory, mail_settings: MailSettings
) -> None:
    settings = mail_settings.model_copy(update={"staff_notify_emails": []})
    with session_factory() as session:
        conversation = make_conversation(session)
        queued = enqueue_handover_notification(
            session, conversation_id=conversation.id, reason=None, settings=settings
        )
        assert queued == []
        assert _count(session) == 0


def test_an_address_that_cannot_be_delivered_is_recorded_as_no_address(
    session_factory: SessionFactory, mail_settings: MailSettings
) -> None:
    with session_factory() as session:
        contact = _consenting(session, email="ann at example dot test")
        message = _marketing(session, contact, mail_settings)
        lead = _lead(session, contact, request="quote", email="also\nbroken@example.test")
        confirmation = enqueue_lead_confirmation(session, lead=lead, settings=mail_settings)

        for skipped in (message, confirmation):
            assert skipped.status is EmailStatus.skipped
            assert skipped.skip_reason is EmailSkipReason.no_address
            assert skipped.to_address is None
