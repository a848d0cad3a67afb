"""The greeting: a VIP welcome for high-value customers, else the greeting under test.

`action_greet` answers a hello in this order:

1. A high-value customer (`high_value.is_high_value`) is welcomed back by first name.
   They never enter the greeting experiment: their conversations convert far more often
   whatever they are told, so a few of them would decide which variant looks best.
2. Otherwise the variant of the running (or fixed) `greeting` experiment for this
   conversation (`automation.experiments.pick_variant`), the same on every greet.
3. Otherwise, and whenever the store cannot be read, the domain's `utter_greet`.

Every greeting carries the same buttons as `utter_greet` (`GREETING_BUTTONS`, checked
against domain.yml by the tests).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import numpy as np
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions.formatting import Button, button
from actions.high_value import is_high_value
from actions.services import Store, get_store
from actions.suggestion_events import conversation_of
from automation.experiments import pick_variant
from crm_bridge import contacts
from crm_bridge.errors import StoreUnavailable
from crm_bridge.models import Contact

logger = logging.getLogger(__name__)

EXPERIMENT_KEY = "greeting"
DEFAULT_RESPONSE = "utter_greet"
GREETING_BUTTONS: list[Button] = [
    button("Shipping costs", "How much does shipping cost?"),
    button("Returns", "How do I return an item?"),
    button("Quote for a business", "/request_quote"),
    button("Talk to a person", "/request_human"),
]


def vip_text(first_name: str | None) -> str:
    """The welcome of a high-value customer, by first name when we know it."""
    hello = f"Welcome back, {first_name}!" if first_name else "Welcome back!"
    return (
        f"{hello} As one of our best customers, you get suggestions picked for you: just ask "
        "me for ideas. I can also check prices and stock, or help with shipping and returns."
    )


def first_name(session: Session, contact: Contact) -> str | None:
    """The first word of the contact's name, else of a channel's display name."""
    names = [contact.name] + [
        identity.display_name for identity in contacts.list_identities(session, contact.id)
    ]
    return next((name.split()[0] for name in names if name and name.strip()), None)


def greeting_text(session: Session, sender_id: str, rng: np.random.Generator) -> str | None:
    """The text to greet this conversation with; None means the domain's `utter_greet`."""
    conversation = conversation_of(session, sender_id)
    if conversation is None:
        return None
    contact = conversation.contact
    if is_high_value(session, contact.id):
        return vip_text(first_name(session, contact))
    chosen = pick_variant(session, key=EXPERIMENT_KEY, conversation_id=conversation.id, rng=rng)
    return chosen.text if chosen is not None else None


def _greeting(store: Store, sender_id: str) -> str | None:
    return store.run(lambda session: greeting_text(session, sender_id, np.random.default_rng()))


class ActionGreet(Action):
    """Greets a customer: VIP welcome, the greeting experiment's variant, or `utter_greet`."""

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            text = await asyncio.to_thread(_greeting, get_store(), tracker.sender_id)
        except (SQLAlchemyError, StoreUnavailable):
            logger.exception("The CRM store failed while greeting; using the plain greeting.")
            text = None
        if text is None:
            dispatcher.utter_message(response=DEFAULT_RESPONSE)
        else:
            dispatcher.utter_message(text=text, buttons=GREETING_BUTTONS)
        return []
