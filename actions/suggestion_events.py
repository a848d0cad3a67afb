"""Write what happens to suggestions into the CRM store: shown, clicked, asked about.

The conversation is found by the Rasa sender id (the gateway's session key); without one
(e.g. `rasa shell`) nothing is recorded, since there is no contact to attribute it to.
`bought` is derived later from orders (`crm_bridge.recommendations.record_conversions`).
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions.services import Store
from crm_bridge import conversations, products, recommendations
from crm_bridge.enums import SuggestionEventKind
from crm_bridge.errors import StoreUnavailable
from crm_bridge.models import Conversation

logger = logging.getLogger(__name__)


def conversation_of(session: Session, sender_id: str) -> Conversation | None:
    """The CRM conversation of a Rasa sender id, or None when the gateway did not open one."""
    return conversations.get_by_session_key(session, sender_id)


def record_clicked(session: Session, sender_id: str, product_id: int) -> bool:
    """Record a press on a card's button; False when that card was never shown here."""
    conversation = conversation_of(session, sender_id)
    if conversation is None:
        return False
    row = recommendations.record_follow_up(
        session,
        conversation_id=conversation.id,
        product_id=product_id,
        kind=SuggestionEventKind.clicked,
    )
    return row is not None


def record_asked(store: Store, sender_id: str, product_name: str) -> None:
    """Record a price or stock question about a suggested product; never fails the answer."""
    try:
        entry = store.catalogue().by_name(product_name)
        if entry is None:
            return
        with store.transaction() as session:
            conversation = conversation_of(session, sender_id)
            product = products.get_by_sku(session, entry.sku)
            if conversation is None or product is None:
                return
            recommendations.record_follow_up(
                session,
                conversation_id=conversation.id,
                product_id=product.id,
                kind=SuggestionEventKind.asked,
            )
    except (SQLAlchemyError, StoreUnavailable):
        logger.exception("Could not record a question about a suggested product.")
