"""Previews render what would be sent, say whether it would go out, and store nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import consents, handovers, leads
from crm_bridge.enums import Channel, ConsentKind, EmailSkipReason
from crm_bridge.models import EmailMessage
from mailer.preview import PREVIEW_TOKEN, preview_email
from mailer.settings import MailSettings
from tests.utils.factories import make_contact, make_conversation

SessionFactory = Callable[[], Session]
VARIABLES = {"subject": "Spring sale", "body": "Offers for <b>Ann & Co</b>."}


def test_marketing_preview_renders_for_the_contact_without_storing(
    session_factory: SessionFactory, mail_settings: MailSettings
) -> None:
    with session_factory() as session:
        contact = make_contact(session, name="Ann Example")
        preview = preview_email(
            session,
            contact_id=contact.id,
            template="marketing",
            variables=VARIABLES,
            settings=mail_settings,
        )

        assert preview.subject == "Spring sale"
        assert "Hello Ann," in preview.text
        assert "Offers for &lt;b&gt;Ann &amp; Co&lt;/b&gt;." in preview.html
        assert f"/unsubscribe/{PREVIEW_TOKEN}" in preview.text
        assert not preview.would_send
        assert preview.skip_reason is EmailSkipReason.no_consent
        assert session.scalar(sa.select(sa.func.count()).select_from(EmailMessage)) == 0

        consents.record_consent(
            session, contact_id=contact.id, kind=ConsentKind.marketing, granted=True, wording="y"
        )
        again = preview_email(
            session,
            contact_id=contact.id,
            template="marketing",
            variables=VARIABLES,
            settings=mail_settings,
        )
        assert again.would_send


def test_lead_confirmation_preview_uses_the_newest_lead(
    session_factory: SessionFactory, mail_off: MailSettings
) -> None:
    with session_factory() as session:
        contact = make_contact(session)
        with pytest.raises(LookupError, match="no lead"):
            preview_email(
                session, contact_id=contact.id, template="lead_confirmation", settings=mail_off
            )
        leads.create_lead(
            session,
            contact_id=contact.id,
            conversation_id=None,
            channel=Channel.web,
            data={"request": "callback"},
        )
        preview = preview_email(
            session, contact_id=contact.id, template="lead_confirmation", settings=mail_off
        )
        assert preview.subject == "We've got your request for a call back"
        assert preview.skip_reason is EmailSkipReason.email_off


def test_handover_preview_shows_the_open_request(
    session_factory: SessionFactory, mail_settings: MailSettings
) -> None:
    with session_factory() as session:
        conversation = make_conversation(session)
        handovers.request_handover(session, conversation_id=conversation.id, reason="a person")
        preview = preview_email(
            session,
            contact_id=conversation.contact_id,
            template="handover_notification",
            settings=mail_settings,
        )
        assert '"a person"' in preview.text
        assert preview.would_send
