"""The gateway's side of the campaign engine: its `MessageSender` and its scheduler.

`CampaignDelivery.send` pushes a campaign message through the channel registry
(`bot.outbound.OutboundChannels`, Telegram here) and, when it left, records it in the
conversation's transcript as a ``system`` message, so staff see it beside the chat.
`start_campaigns` builds the engine's context and starts `automation.scheduler` in the
gateway's event loop when CAMPAIGNS_ENABLED.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from automation.campaigns.context import CampaignContext
from automation.scheduler import CampaignScheduler
from automation.settings import AutomationSettings
from bot.messages import Button, OutboundMessage
from bot.outbound import OutboundChannels
from bot.store import SessionFactory, run_in_session
from crm_bridge import conversations, messages
from crm_bridge.enums import SenderType
from mailer.settings import MailSettings

logger = logging.getLogger(__name__)


class CampaignDelivery:
    """Campaign messages to a conversation's own channel, recorded once they left."""

    def __init__(self, session_factory: SessionFactory, outbound: OutboundChannels) -> None:
        self._session_factory = session_factory
        self._outbound = outbound

    async def send(self, session_key: str, text: str, buttons: list[dict[str, str]]) -> bool:
        conversation = await run_in_session(
            self._session_factory,
            lambda session: conversations.get_by_session_key(session, session_key),
        )
        if conversation is None:
            logger.warning("No conversation %s for a campaign message", session_key)
            return False
        message = OutboundMessage(
            text=text,
            buttons=tuple(Button(b["title"], b["payload"]) for b in buttons),
            sender=SenderType.system,
        )
        if not await self._outbound.deliver(conversation.channel, session_key, [message]):
            return False

        def record(session: Session) -> None:
            messages.record_outgoing(
                session,
                conversation_id=conversation.id,
                text=text,
                buttons=[dict(b) for b in buttons] or None,
                sender=SenderType.system,
            )

        try:
            await run_in_session(self._session_factory, record, commit=True)
        except Exception:  # it left; a missing transcript line must not make it "failed"
            logger.exception("Recording campaign message to %s failed", session_key)
        return True


def start_campaigns(
    settings: AutomationSettings,
    *,
    engine: Engine,
    session_factory: SessionFactory,
    outbound: OutboundChannels,
    mail_settings: MailSettings,
) -> CampaignScheduler | None:
    """Start the campaign scheduler, or None when CAMPAIGNS_ENABLED is false."""
    if not settings.campaigns_enabled:
        logger.info("Campaigns are off (CAMPAIGNS_ENABLED=false)")
        return None
    context = CampaignContext(
        session_factory=session_factory,
        sender=CampaignDelivery(session_factory, outbound),
        public_base_url=mail_settings.public_base_url,
        quiet_hours=settings.quiet_hours,
        mail_settings=mail_settings,
    )
    scheduler = CampaignScheduler(context, settings, engine=engine)
    try:
        scheduler.start()
    except SQLAlchemyError as error:
        # The gateway still serves the chat (and /healthz says the store is down); campaigns
        # start with the next gateway start.
        scheduler.shutdown()
        logger.error("Campaign scheduler not started, the CRM store is unreachable: %s", error)
        return None
    return scheduler
