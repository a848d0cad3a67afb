"""Actions that write to the store (email, staff note, webhook, tag) happen exactly once."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from automation.campaigns import engine
from automation.campaigns.context import CampaignContext
from crm_bridge import consents, contact_tags
from crm_bridge.column_types import utcnow
from crm_bridge.enums import (
    CampaignSendStatus,
    CampaignSkipReason,
    ConsentKind,
    EnrollmentStatus,
    LeadStatus,
)
from crm_bridge.models import CampaignEnrollment, CampaignSend, EmailMessage, WebhookDelivery
from mailer.settings import MailSettings
from tests.utils.factories import make_campaign, make_conversation, make_lead, make_telegram_contact

MAIL = MailSettings(
    _env_file=None,  # type: ignore[call-arg]
    smtp_host="smtp.example.test",
    mail_from="Shop <shop@example.test>",
    staff_notify_emails="team@example.test",
    mail_signing_secret="campaign-tests-mail-secret-0123",
    public_base_url="https://shop.example.test",
)
ACTIONS = [
    {"kind": "email", "subject": "For you, {{ first_name }}", "body": "New lanterns are in."},
    {"kind": "notify_staff", "text": "Call {{ name }} about {{ lead.interest }}"},
    {"kind": "webhook", "url": "https://crm.example.test/hook"},
    {"kind": "tag_contact", "tag": "followed-up"},
    {"kind": "email", "subject": "Again", "body": "x", "link_url": "https://shop.example.test/a"},
]


async def test_store_actions_run_once_and_record_their_outcome(
    factory: Callable[[], Session], make_context: Callable[..., CampaignContext]
) -> None:
    with factory() as session:
        make_campaign(session, actions=ACTIONS)
        contact = make_telegram_contact(session, name="Ida Holm")
        contact.email = "ida@example.test"
        consents.record_consent(
            session, contact_id=contact.id, kind=ConsentKind.marketing, granted=True, wording="ok"
        )
        lead = make_lead(session, conversation=make_conversation(session, contact=contact))
        lead.status = LeadStatus.qualified
        lead.qualified_at = utcnow()
        session.commit()
        contact_id = contact.id
    context = make_context(mail_settings=MAIL)
    now = utcnow()
    await engine.scan_triggers(context, now=now)
    await engine.run_due(context, now=now)
    # A second run (say the enrolment was re-claimed after a crash) repeats nothing.
    with factory() as session:
        enrollment = session.scalars(sa.select(CampaignEnrollment)).one()
        enrollment.status = EnrollmentStatus.waiting
        session.commit()
    await engine.run_due(context, now=now)

    with factory() as session:
        sends = list(session.scalars(sa.select(CampaignSend).order_by(CampaignSend.action_index)))
        emails = list(session.scalars(sa.select(EmailMessage).order_by(EmailMessage.id)))
        posts = list(session.scalars(sa.select(WebhookDelivery)))
        tags = contact_tags.list_tags(session, contact_id)
    assert [s.status for s in sends] == [CampaignSendStatus.sent] * 5
    assert [e.to_address for e in emails] == [
        "ida@example.test",
        "team@example.test",
        "ida@example.test",
    ]
    assert emails[0].subject == "For you, Ida"
    assert "Call Ida Holm about lanterns" in emails[1].text_body
    assert f"https://shop.example.test/c/{sends[4].click_token}" in emails[2].text_body
    assert len(posts) == 1 and posts[0].event.startswith("campaign.")
    assert posts[0].payload["contact"]["id"] == contact_id
    assert tags == ["followed-up"]


async def test_email_without_marketing_consent_is_skipped_with_the_reason(
    factory: Callable[[], Session], make_context: Callable[..., CampaignContext]
) -> None:
    with factory() as session:
        make_campaign(session, actions=[ACTIONS[0]])
        contact = make_telegram_contact(session)
        contact.email = "no.consent@example.test"
        lead = make_lead(session, conversation=make_conversation(session, contact=contact))
        lead.status = LeadStatus.qualified
        lead.qualified_at = utcnow()
        session.commit()
    context = make_context(mail_settings=MAIL)
    now = utcnow()
    await engine.scan_triggers(context, now=now)
    await engine.run_due(context, now=now)

    with factory() as session:
        (send,) = session.scalars(sa.select(CampaignSend))
    assert (send.status, send.skip_reason) == (
        CampaignSendStatus.skipped,
        CampaignSkipReason.no_consent,
    )
