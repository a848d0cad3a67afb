"""Compose emails from CRM records: recipient, rendered parts and headers, nothing stored.

The outbox stores drafts and the staff console previews them; both go through here, so
what staff see is what is sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from crm_bridge.enums import EmailCategory
from crm_bridge.models import Contact, Conversation, Lead
from mailer.lead_summary import summarize_lead
from mailer.rendering import TemplateProblem, render_email
from mailer.settings import MailSettings, check_address

LEAD_CONFIRMATION = "lead_confirmation"
HANDOVER_NOTIFICATION = "handover_notification"
DEFAULT_MARKETING_TEMPLATE = "marketing"
# Filled from the contact and the settings; a campaign cannot override them.
RESERVED_VARIABLES = frozenset({"name", "first_name", "email", "shop_name", "unsubscribe_url"})
ONE_CLICK = "List-Unsubscribe=One-Click"


@dataclass(frozen=True, slots=True)
class Draft:
    """One composed email; ``to_address`` is None when the contact has no address."""

    category: EmailCategory
    template: str
    to_address: str | None
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


def shop_name(settings: MailSettings) -> str:
    """Who the email is from, in words: MAIL_FROM's display name, else its domain."""
    name, address = parseaddr(settings.mail_from or "")
    return name or address.rpartition("@")[2] or "the shop"


def message_id_for(idempotency_key: str, settings: MailSettings) -> str:
    """A Message-ID fixed by the idempotency key, so a re-send carries the same id."""
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:40]
    domain = settings.from_address.rpartition("@")[2] or "localhost"
    return f"<{digest}@{domain}>"


def usable_address(value: str | None) -> str | None:
    """The address if it looks deliverable, else None (recorded as ``no_address``)."""
    try:
        return check_address(value) if value else None
    except ValueError:
        return None


def contact_variables(contact: Contact) -> dict[str, Any]:
    """The variables every template may use about its recipient."""
    name = (contact.name or "").strip()
    return {"name": name or None, "first_name": name.split()[0] if name else None}


def compose_marketing(
    contact: Contact,
    *,
    template: str,
    variables: Mapping[str, Any],
    settings: MailSettings,
    unsubscribe_link: str,
) -> Draft:
    """A marketing email with the one-click unsubscribe link in the body and the headers.

    Raises TemplateProblem for a transactional template, a reserved variable name, a
    non-web button link, or a template that does not show ``unsubscribe_url``.
    """
    if template in (LEAD_CONFIRMATION, HANDOVER_NOTIFICATION):
        raise TemplateProblem(f"{template!r} is not a marketing template")
    clashing = RESERVED_VARIABLES & set(variables)
    if clashing:
        raise TemplateProblem(f"variables {sorted(clashing)} are filled in by the mailer")
    button_url = variables.get("button_url")
    if button_url is not None and not str(button_url).startswith(("https://", "http://")):
        raise TemplateProblem("button_url must be an http:// or https:// link")
    rendered = render_email(
        template,
        {
            **variables,
            **contact_variables(contact),
            "email": contact.email,
            "shop_name": shop_name(settings),
            "unsubscribe_url": unsubscribe_link,
        },
    )
    if unsubscribe_link not in rendered.text or unsubscribe_link not in rendered.html:
        raise TemplateProblem(
            f"marketing template {template!r} must show {{{{ unsubscribe_url }}}} in both parts"
        )
    return Draft(
        category=EmailCategory.marketing,
        template=template,
        to_address=usable_address(contact.email),
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        headers={"List-Unsubscribe": f"<{unsubscribe_link}>", "List-Unsubscribe-Post": ONE_CLICK},
    )


def compose_lead_confirmation(lead: Lead, contact: Contact, *, settings: MailSettings) -> Draft:
    """The transactional confirmation of what a qualified lead asked for."""
    data = lead.data or {}
    summary = summarize_lead(data)
    rendered = render_email(
        LEAD_CONFIRMATION,
        {
            "name": summary.name or contact_variables(contact)["name"],
            "request_label": summary.request_label,
            "details": summary.details,
            "next_steps": summary.next_steps,
            "marketing_consent": summary.marketing_consent,
            "shop_name": shop_name(settings),
        },
    )
    address = usable_address(str(data.get("email") or "")) or usable_address(contact.email)
    return Draft(
        category=EmailCategory.transactional,
        template=LEAD_CONFIRMATION,
        to_address=address,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
    )


def compose_handover_notification(
    *,
    conversation: Conversation,
    contact: Contact | None,
    reason: str | None,
    transcript: Sequence[tuple[str, str]],
    requested_at: datetime,
    to_address: str,
    settings: MailSettings,
) -> Draft:
    """The staff notification that a customer asked for a person."""
    name = (contact.name if contact else None) or None
    rendered = render_email(
        HANDOVER_NOTIFICATION,
        {
            "contact_label": name or f"Customer #{conversation.contact_id}",
            "contact_email": contact.email if contact else None,
            "channel": str(conversation.channel),
            "conversation_id": conversation.id,
            "requested_at": requested_at.strftime("%Y-%m-%d %H:%M UTC"),
            "reason": reason,
            "transcript": list(transcript),
            "shop_name": shop_name(settings),
        },
    )
    return Draft(
        category=EmailCategory.notification,
        template=HANDOVER_NOTIFICATION,
        to_address=to_address,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
    )
