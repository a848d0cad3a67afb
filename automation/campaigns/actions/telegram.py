"""The ``telegram_message`` action: a template filled for the contact, sent to their chat.

Checked in this order: a Telegram conversation to write to (else ``no_channel``), the
latest ``proactive_messages`` consent (granted: go; withdrawn, e.g. by /stop: ``opted_out``;
never asked: ``no_consent``), quiet hours (``deferred`` until they end), the template
(an error is ``failed``). A link becomes an inline button to the tracked ``/c/<token>``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from automation.campaigns.actions.base import Outcome, Outgoing, Step
from automation.campaigns.templates import TemplateFailed, render
from crm_bridge import consents
from crm_bridge.enums import CampaignSendStatus, CampaignSkipReason, Channel, ConsentKind
from crm_bridge.models import ChannelIdentity, Conversation

_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")


def prepare(session: Session, step: Step) -> Outcome | Outgoing:
    """The message to send now, or why not."""
    session_key = telegram_session_key(session, step.contact.id)
    if session_key is None:
        return Outcome.skipped(CampaignSkipReason.no_channel, "no Telegram chat with this contact")
    consent = consents.has_consent(
        session, contact_id=step.contact.id, kind=ConsentKind.proactive_messages
    )
    if consent is False:
        return Outcome.skipped(CampaignSkipReason.opted_out, "the contact withdrew consent")
    if consent is None:
        return Outcome.skipped(CampaignSkipReason.no_consent, "the contact was never asked")
    quiet = step.context.quiet_hours
    if quiet is not None and quiet.is_quiet(step.now):
        retry_at = quiet.ends_after(step.now)
        return Outcome(
            CampaignSendStatus.deferred,
            CampaignSkipReason.quiet_hours,
            f"quiet hours: sent after {retry_at:%Y-%m-%d %H:%M} UTC",
            retry_at=retry_at,
        )
    try:
        text = render(step.action["text"], step.variables)
    except TemplateFailed as error:
        return Outcome.failed(str(error))
    if not text:
        return Outcome.failed("the template gave an empty message")
    link_url = step.action.get("link_url")
    if not link_url:
        return Outgoing(session_key, text)
    label = str(step.action.get("link_label") or "Open")
    if not is_public(step.context.public_base_url):
        # Telegram cannot open a link to this machine: send the plain link, untracked.
        return Outgoing(session_key, text, [{"title": label, "payload": link_url}])
    tracked = step.context.tracked_link(step.click_token)
    return Outgoing(session_key, text, [{"title": label, "payload": tracked}], True)


def telegram_session_key(session: Session, contact_id: int) -> str | None:
    """The session key of the contact's latest Telegram conversation, when they have an
    identity on Telegram and have written to the bot."""
    identity = session.scalar(
        sa.select(ChannelIdentity.id).where(
            ChannelIdentity.contact_id == contact_id, ChannelIdentity.channel == Channel.telegram
        )
    )
    if identity is None:
        return None
    return session.scalar(
        sa.select(Conversation.session_key)
        .where(Conversation.contact_id == contact_id, Conversation.channel == Channel.telegram)
        .order_by(Conversation.last_message_at.desc().nulls_last(), Conversation.id.desc())
        .limit(1)
    )


def is_public(base_url: str) -> bool:
    """False for a loopback base URL, which no phone can open."""
    host = urlsplit(base_url).hostname or ""
    return host not in _LOCAL_HOSTS
