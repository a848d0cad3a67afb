"""The ``notify_staff`` action: an email to each STAFF_NOTIFY_EMAILS address, and nothing else.

It goes through the mail outbox like every email (idempotency key per send and address,
`mailer.outbox.skip_reason` for email-off), composed here as plain text because it is a
short internal note, not a customer-facing template.
"""

from __future__ import annotations

from html import escape

from sqlalchemy.orm import Session

from automation.campaigns.actions.base import Outcome, Step
from automation.campaigns.templates import TemplateFailed, render
from crm_bridge import email_outbox
from crm_bridge.enums import CampaignSendStatus, CampaignSkipReason, EmailCategory
from mailer import drafts
from mailer.outbox import skip_reason

TEMPLATE_LABEL = "campaign_notification"


def notify_staff(session: Session, step: Step) -> Outcome:
    settings = step.context.mail_settings
    if settings is None or not settings.enabled:
        return Outcome.skipped(CampaignSkipReason.no_channel, "email is off (no SMTP_HOST)")
    if not settings.staff_notify_emails:
        return Outcome.skipped(CampaignSkipReason.no_channel, "no STAFF_NOTIFY_EMAILS")
    try:
        note = render(step.action["text"], step.variables) if step.action.get("text") else ""
    except TemplateFailed as error:
        return Outcome.failed(str(error))
    who = step.contact.name or step.contact.email or f"contact {step.contact.id}"
    subject = f"Campaign {step.campaign.name!r}: {who}"[:300]
    lines = [
        f"The campaign {step.campaign.name!r} reached {who} (contact {step.contact.id}).",
        f"Trigger: {step.enrollment.trigger_key}",
    ]
    if step.contact.email:
        lines.append(f"Email: {step.contact.email}")
    if note:
        lines += ["", note]
    text = "\n".join(lines)
    html = "<pre>" + escape(text) + "</pre>"
    queued = []
    for address in settings.staff_notify_emails:
        key = f"campaign-notify:{step.enrollment.id}:{step.index}:{address.lower()}"
        draft = drafts.Draft(
            category=EmailCategory.notification,
            template=TEMPLATE_LABEL,
            to_address=address,
            subject=subject,
            text=text + "\n",
            html=html,
        )
        message, _ = email_outbox.add_message(
            session,
            idempotency_key=key,
            category=draft.category,
            template=draft.template,
            contact_id=None,
            to_address=address,
            subject=subject,
            text_body=draft.text,
            html_body=html,
            headers={},
            message_id=drafts.message_id_for(key, settings),
            skip_reason=skip_reason(session, draft=draft, contact_id=None, settings=settings),
        )
        queued.append(str(message.id))
    return Outcome(
        CampaignSendStatus.sent, detail=f"queued as email {', '.join(queued)}", sent_at=step.now
    )
