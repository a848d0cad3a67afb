"""Preview an email for a contact without sending or storing anything (the staff console).

How to use it from a console route (the caller owns the session; nothing is written)::

    preview = preview_email(session, contact_id=7, template="marketing",
                            variables={"subject": "Spring sale", "body": "..."},
                            settings=mail_settings)
    preview.subject, preview.text, preview.html   # exactly what would be sent
    preview.would_send, preview.skip_reason        # e.g. False, EmailSkipReason.no_consent

``lead_confirmation`` previews the contact's newest lead and ``handover_notification``
their newest conversation (LookupError when they have none). The unsubscribe link in a
marketing preview is a dummy that the gateway refuses, so clicking it in the console
cannot unsubscribe the customer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from crm_bridge import contacts, conversations, handovers, leads
from crm_bridge.enums import EmailSkipReason
from mailer import drafts, outbox
from mailer.drafts import Draft
from mailer.settings import MailSettings
from mailer.unsubscribe import unsubscribe_url

PREVIEW_TOKEN = "preview-only-not-a-valid-link"


@dataclass(frozen=True, slots=True)
class EmailPreview:
    """A rendered email and whether it would go out to this contact right now."""

    draft: Draft
    skip_reason: EmailSkipReason | None

    @property
    def would_send(self) -> bool:
        return self.skip_reason is None

    @property
    def subject(self) -> str:
        return self.draft.subject

    @property
    def text(self) -> str:
        return self.draft.text

    @property
    def html(self) -> str:
        return self.draft.html


def preview_email(
    session: Session,
    *,
    contact_id: int,
    template: str,
    variables: Mapping[str, Any] | None = None,
    settings: MailSettings,
) -> EmailPreview:
    """Render `template` for the contact as it would be sent; raises TemplateProblem."""
    contact = contacts.get_contact(session, contact_id)
    if contact is None:
        raise LookupError(f"no contact {contact_id}")
    if template == drafts.LEAD_CONFIRMATION:
        [lead] = leads.list_leads(session, contact_id=contact_id, limit=1) or [None]
        if lead is None:
            raise LookupError(f"contact {contact_id} has no lead to confirm")
        draft = drafts.compose_lead_confirmation(lead, contact, settings=settings)
    elif template == drafts.HANDOVER_NOTIFICATION:
        [conversation] = conversations.list_conversations(
            session, contact_id=contact_id, limit=1
        ) or [None]
        if conversation is None:
            raise LookupError(f"contact {contact_id} has no conversation")
        handover = handovers.get_open(session, conversation_id=conversation.id)
        draft = drafts.compose_handover_notification(
            conversation=conversation,
            contact=contact,
            reason=handover.reason if handover else None,
            transcript=[],
            requested_at=handover.requested_at if handover else conversation.started_at,
            to_address=", ".join(settings.staff_notify_emails) or "(no STAFF_NOTIFY_EMAILS)",
            settings=settings,
        )
    else:
        draft = drafts.compose_marketing(
            contact,
            template=template,
            variables=variables or {},
            settings=settings,
            unsubscribe_link=unsubscribe_url(settings.public_base_url, PREVIEW_TOKEN),
        )
    reason = outbox.skip_reason(session, draft=draft, contact_id=contact.id, settings=settings)
    return EmailPreview(draft=draft, skip_reason=reason)
