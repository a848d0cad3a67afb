"""Queue emails in the CRM store's outbox, in the caller's transaction.

Each enqueue composes the email now (so the row holds exactly what will be sent) and
writes one outbox row under an idempotency key; queueing the same key again returns the
existing row and writes nothing. A message that must not go out is still recorded, as
``skipped`` with its reason, in this order: ``no_address``, ``no_consent`` (marketing
only: the contact's latest marketing consent must be a grant), ``suppressed`` (the address
hard-bounced), ``email_off`` (no SMTP_HOST). The worker checks consent and suppression
again just before sending, since both can change while a message waits.

Like the repositories, these functions flush and never commit: the caller's transaction
decides, so a lead and its confirmation (or a hand-over and its notification) are stored
together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from crm_bridge import consents, contacts, conversations, email_outbox, handovers, messages
from crm_bridge.enums import ConsentKind, EmailCategory, EmailSkipReason, SenderType
from crm_bridge.models import Contact, EmailMessage, Lead
from mailer import drafts
from mailer.drafts import Draft
from mailer.settings import MailSettings
from mailer.unsubscribe import make_token, unsubscribe_url

logger = logging.getLogger(__name__)

TRANSCRIPT_MESSAGES = 6
_SENDER_LABELS = {
    SenderType.customer: "Customer",
    SenderType.bot: "Assistant",
    SenderType.agent: "Staff",
    SenderType.system: "System",
}


class IdempotencyConflict(ValueError):
    """The key was already used for a different email (another contact or template)."""


def enqueue_lead_confirmation(
    session: Session, *, lead: Lead, settings: MailSettings
) -> EmailMessage:
    """Queue the transactional confirmation for a newly qualified lead (no consent needed)."""
    key = f"lead-confirmation:{lead.id}"
    existing = email_outbox.get_by_key(session, key)
    if existing is not None:
        return existing
    contact = _contact(session, lead.contact_id)
    draft = drafts.compose_lead_confirmation(lead, contact, settings=settings)
    return _store(session, key=key, draft=draft, contact_id=contact.id, settings=settings)


def enqueue_handover_notification(
    session: Session, *, conversation_id: int, reason: str | None, settings: MailSettings
) -> list[EmailMessage]:
    """Queue one notification per STAFF_NOTIFY_EMAILS address; none configured, none queued.

    Keyed by the open hand-over, so asking again while it is open notifies nobody twice.
    """
    if not settings.staff_notify_emails:
        logger.info("No STAFF_NOTIFY_EMAILS: no email about the hand-over of %s.", conversation_id)
        return []
    conversation = conversations.get_conversation(session, conversation_id)
    if conversation is None:
        raise LookupError(f"no conversation {conversation_id}")
    handover = handovers.get_open(session, conversation_id=conversation_id)
    subject_key = f"handover-{handover.id}" if handover else f"conversation-{conversation_id}"
    requested_at = handover.requested_at if handover else conversation.started_at
    contact = contacts.get_contact(session, conversation.contact_id)
    transcript = [
        (_SENDER_LABELS.get(message.sender_type, "?"), message.text)
        for message in messages.list_messages(session, conversation_id)[-TRANSCRIPT_MESSAGES:]
        if message.text
    ]
    queued = []
    for address in settings.staff_notify_emails:
        key = f"{subject_key}:{address.lower()}"
        existing = email_outbox.get_by_key(session, key)
        if existing is not None:
            queued.append(existing)
            continue
        draft = drafts.compose_handover_notification(
            conversation=conversation,
            contact=contact,
            reason=reason,
            transcript=transcript,
            requested_at=requested_at,
            to_address=address,
            settings=settings,
        )
        queued.append(_store(session, key=key, draft=draft, contact_id=None, settings=settings))
    return queued


def enqueue_marketing_email(
    session: Session,
    *,
    contact_id: int,
    template: str,
    variables: Mapping[str, Any],
    idempotency_key: str,
    settings: MailSettings,
) -> EmailMessage:
    """Queue a marketing email (the campaign engine's "email" action).

    Sent only while the contact's latest marketing consent is a grant; otherwise recorded
    as skipped. Raises LookupError for an unknown contact, TemplateProblem for a template
    that cannot be filled, IdempotencyConflict when the key belongs to another email.
    """
    if not idempotency_key.strip():
        raise ValueError("idempotency_key must not be empty")
    existing = email_outbox.get_by_key(session, idempotency_key)
    if existing is not None:
        if existing.contact_id != contact_id or existing.template != template:
            raise IdempotencyConflict(
                f"idempotency key {idempotency_key!r} was used for another email"
                f" (contact {existing.contact_id}, template {existing.template!r})"
            )
        return existing
    contact = _contact(session, contact_id)
    token = make_token(settings.signing_secret, contact_id=contact.id, address=contact.email or "")
    draft = drafts.compose_marketing(
        contact,
        template=template,
        variables=variables,
        settings=settings,
        unsubscribe_link=unsubscribe_url(settings.public_base_url, token),
    )
    return _store(
        session, key=idempotency_key, draft=draft, contact_id=contact.id, settings=settings
    )


def skip_reason(
    session: Session, *, draft: Draft, contact_id: int | None, settings: MailSettings
) -> EmailSkipReason | None:
    """Why `draft` must not be sent now, or None when it may go out."""
    if not draft.to_address:
        return EmailSkipReason.no_address
    if draft.category is EmailCategory.marketing and not _has_marketing_consent(
        session, contact_id
    ):
        return EmailSkipReason.no_consent
    if email_outbox.is_suppressed(session, draft.to_address):
        return EmailSkipReason.suppressed
    if not settings.enabled:
        return EmailSkipReason.email_off
    return None


def _has_marketing_consent(session: Session, contact_id: int | None) -> bool:
    if contact_id is None:
        return False
    return consents.has_consent(session, contact_id=contact_id, kind=ConsentKind.marketing) is True


def _contact(session: Session, contact_id: int) -> Contact:
    contact = contacts.get_contact(session, contact_id)
    if contact is None:
        raise LookupError(f"no contact {contact_id}")
    return contact


def _store(
    session: Session, *, key: str, draft: Draft, contact_id: int | None, settings: MailSettings
) -> EmailMessage:
    reason = skip_reason(session, draft=draft, contact_id=contact_id, settings=settings)
    message, created = email_outbox.add_message(
        session,
        idempotency_key=key,
        category=draft.category,
        template=draft.template,
        contact_id=contact_id,
        to_address=draft.to_address,
        subject=draft.subject,
        text_body=draft.text,
        html_body=draft.html,
        headers=draft.headers,
        message_id=drafts.message_id_for(key, settings),
        skip_reason=reason,
    )
    if created and reason is EmailSkipReason.email_off:
        logger.info("Email is off (no SMTP_HOST): %s recorded as skipped, not sent.", key)
    elif created and reason is not None:
        logger.info("Email %s to contact %s skipped: %s.", key, contact_id, reason)
    return message
