"""Hand-over to a person: records the request in the CRM store and tells the customer.

The conversation is found by its session key, which is the Rasa sender id the gateway
uses. A conversation that is not in the store (`rasa shell`, a test sender) still gets
an answer; the request is only logged, since there is nothing to attach it to.
"""

from __future__ import annotations

import asyncio
import logging
from enum import Enum
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.customer_text import latest_customer_text
from actions.services import Store, get_mail_settings, get_store
from crm_bridge import conversations, handovers
from crm_bridge.errors import StoreUnavailable
from mailer.outbox import enqueue_handover_notification
from mailer.settings import MailSettings

logger = logging.getLogger(__name__)

REASON_MAX_CHARS = 500

REQUESTED_TEXT = (
    "I've asked a member of our team to join this chat. During opening hours (Mon-Fri "
    "9 am-6 pm, Sat 10 am-2 pm CET) someone usually replies within a few minutes; until "
    "then I'm still here if you have other questions."
)
STORE_DOWN_TEXT = (
    "Sorry, I couldn't reach our team just now. Please e-mail support@example-shop.com "
    "or call +49 30 1234 5678 (Mon-Fri 9 am-6 pm CET), and we'll get back to you."
)


class HandoverOutcome(Enum):
    """What became of a hand-over request."""

    recorded = "recorded"
    unknown_conversation = "unknown_conversation"


def record_handover(
    store: Store, *, session_key: str, reason: str, mail_settings: MailSettings | None = None
) -> HandoverOutcome:
    """Open (or keep) a hand-over for the conversation with this session key.

    With `mail_settings`, the staff notification is queued in the same transaction; a
    problem with it is logged and never costs the customer their hand-over.
    """
    with store.transaction() as session:
        conversation = conversations.get_by_session_key(session, session_key)
        if conversation is None:
            return HandoverOutcome.unknown_conversation
        handover = handovers.request_handover(
            session, conversation_id=conversation.id, reason=reason[:REASON_MAX_CHARS] or None
        )
        if mail_settings is not None:
            try:
                with session.begin_nested():
                    enqueue_handover_notification(
                        session,
                        conversation_id=conversation.id,
                        reason=handover.reason,
                        settings=mail_settings,
                    )
            except Exception:
                logger.exception("Could not queue the hand-over email for %s.", session_key)
        return HandoverOutcome.recorded


class ActionRequestHuman(Action):
    """Answers "talk to a human" by queueing the conversation for staff."""

    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        reason = latest_customer_text(tracker)
        try:
            outcome = await asyncio.to_thread(
                record_handover,
                get_store(),
                session_key=tracker.sender_id,
                reason=reason,
                mail_settings=get_mail_settings(),
            )
        except (SQLAlchemyError, StoreUnavailable):
            logger.exception("Could not record the hand-over of %s.", tracker.sender_id)
            dispatcher.utter_message(text=STORE_DOWN_TEXT)
            return []
        if outcome is HandoverOutcome.unknown_conversation:
            logger.warning(
                "Hand-over asked by %s, which has no conversation in the CRM store; "
                "answered without recording it.",
                tracker.sender_id,
            )
        dispatcher.utter_message(text=REQUESTED_TEXT)
        return []
