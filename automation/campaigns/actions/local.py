"""Actions that only write to the CRM store, in the same transaction as their send row:
``tag_contact``, ``email`` (the mail outbox), ``notify_staff`` and ``webhook`` (the webhook
outbox). The outbox workers deliver later, with their own retries and records."""

from __future__ import annotations

from sqlalchemy.orm import Session

from automation.campaigns.actions.base import Outcome, Step
from automation.campaigns.actions.notify import notify_staff
from automation.campaigns.templates import TemplateFailed, render
from crm_bridge import contact_tags, webhooks
from crm_bridge.enums import CampaignSendStatus, CampaignSkipReason, EmailSkipReason, EmailStatus
from mailer.outbox import IdempotencyConflict, enqueue_marketing_email
from mailer.rendering import TemplateProblem

# How an outbox row's skip reason reads on a campaign send.
_EMAIL_SKIPS = {
    EmailSkipReason.no_consent: CampaignSkipReason.no_consent,
    EmailSkipReason.no_address: CampaignSkipReason.no_channel,
    EmailSkipReason.email_off: CampaignSkipReason.no_channel,
    EmailSkipReason.suppressed: CampaignSkipReason.opted_out,
}


def tag_contact(session: Session, step: Step) -> Outcome:
    tag = str(step.action["tag"])
    _, added = contact_tags.add_tag(
        session, contact_id=step.contact.id, tag=tag, added_by=f"campaign:{step.campaign.id}"
    )
    detail = f"tagged {tag}" if added else f"already tagged {tag}"
    return Outcome(CampaignSendStatus.sent, detail=detail, sent_at=step.now)


def email(session: Session, step: Step) -> Outcome:
    """Queue a marketing email; the outbox records consent, suppression and email-off."""
    settings = step.context.mail_settings
    if settings is None:
        return Outcome.skipped(CampaignSkipReason.no_channel, "email is not set up here")
    try:
        variables = {
            "subject": render(step.action["subject"], step.variables),
            "body": render(step.action["body"], step.variables),
        }
    except TemplateFailed as error:
        return Outcome.failed(str(error))
    link_url = step.action.get("link_url")
    if link_url:
        variables["button_url"] = step.context.tracked_link(step.click_token)
        variables["button_text"] = str(step.action.get("link_label") or "Open")
    try:
        message = enqueue_marketing_email(
            session,
            contact_id=step.contact.id,
            template=str(step.action.get("template") or "marketing"),
            variables=variables,
            idempotency_key=f"campaign-send:{step.enrollment.id}:{step.index}",
            settings=settings,
        )
    except (TemplateProblem, IdempotencyConflict, LookupError) as error:
        return Outcome.failed(f"email not queued: {error}")
    if message.status is EmailStatus.skipped and message.skip_reason is not None:
        reason = _EMAIL_SKIPS.get(message.skip_reason, CampaignSkipReason.no_channel)
        return Outcome.skipped(reason, f"email {message.id} skipped: {message.skip_reason}")
    return Outcome(
        CampaignSendStatus.sent,
        detail=f"queued as email {message.id}",
        uses_click_token=bool(link_url),
        sent_at=step.now,
    )


def webhook(session: Session, step: Step) -> Outcome:
    """Queue a signed post (the secret is LEAD_WEBHOOK_SECRET, checked when saved)."""
    payload = {
        "event": f"campaign.{step.campaign.id}",
        "campaign": {"id": step.campaign.id, "name": step.campaign.name},
        "enrollment_id": step.enrollment.id,
        "trigger_key": step.enrollment.trigger_key,
        "contact": {
            "id": step.contact.id,
            "name": step.contact.name,
            "email": step.contact.email,
            "external_ref": step.contact.external_ref,
        },
        "sent_at": step.now.isoformat(),
    }
    delivery = webhooks.enqueue(
        session,
        event=f"campaign.{step.campaign.id}",
        url=str(step.action["url"]),
        payload=payload,
        lead_id=None,
    )
    return Outcome(
        CampaignSendStatus.sent, detail=f"queued as webhook post {delivery.id}", sent_at=step.now
    )


__all__ = ["email", "notify_staff", "tag_contact", "webhook"]
