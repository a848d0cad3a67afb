"""The first question of the two-stage fallback: "did you want to ...?" with readable buttons.

Rasa's default asks "Did you mean 'ask_price'?". This asks with phrases a customer
understands and offers the two likeliest intents. Buttons carry what makes the
conversation continue correctly once the customer picks one:

- ordinary intents: the payload `/intent`; the product actions then read the product name
  from the customer's earlier message (see `customer_text`);
- FAQ sub-intents: a canonical question in words, because the ResponseSelector needs text
  to pick the answer (a `/faq/...` payload carries no response-selector result);
- "Something else": `/out_of_scope`, which makes Rasa ask the customer to rephrase.

Two messages in a row that the assistant did not understand put the conversation in the
staff queue (`actions.handover.record_handover`) instead of asking again: the second
fallback of a row reaches this action when the rephrased message is unclear too, and
`action_default_fallback` (Rasa's "give up" step, overridden below) when two unclear
messages follow each other directly. A "Something else" in between does not break the row.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.formatting import Button, button
from actions.handover import (
    REQUESTED_TEXT,
    STORE_DOWN_TEXT,
    get_mail_settings,
    record_handover,
)
from actions.services import get_store
from crm_bridge.errors import StoreUnavailable

logger = logging.getLogger(__name__)

NLU_FALLBACK = "nlu_fallback"
DENY_INTENT = "out_of_scope"  # "Something else": Rasa's two-stage fallback treats it as "no"
FALLBACKS_BEFORE_HANDOVER = 2
FORM_SUFFIX = "_form"
FORM_ANSWER = "form_answer"
RETRIEVAL_INTENT = "faq"
MAX_CHOICES = 2
MIN_CONFIDENCE = 0.05

# intent (or retrieval sub-intent) -> (button title, payload). Small talk (greet, thank,
# affirm, deny, goodbye) is left out on purpose: "Did you want to: Say no?" helps nobody,
# and a customer who meant it just says it again.
CHOICES: dict[str, tuple[str, str]] = {
    "bot_challenge": ("Ask whether I'm a bot", "/bot_challenge"),
    "ask_price": ("Ask about a price", "/ask_price"),
    "ask_stock": ("Check if something is in stock", "/ask_stock"),
    "ask_category": ("Browse our products", "/ask_category"),
    "request_human": ("Talk to a person", "/request_human"),
    # "More like this" and "Details" need a product, so only a card's button sends them.
    "ask_recommendation": ("Get product suggestions", "/ask_recommendation"),
    "show_more": ("See more suggestions", "/show_more"),
    "cheaper": ("See cheaper suggestions", "/cheaper"),
    "request_quote": ("Get a quote", "/request_quote"),
    "request_demo": ("Book a demo", "/request_demo"),
    "request_callback": ("Ask for a call back", "/request_callback"),
    # The first example of each sub-intent in nlu_data/nlu/faq.yml.
    "faq/shipping": ("Ask about shipping", "How much does shipping cost?"),
    "faq/returns": ("Ask about returns", "How do I return an item?"),
    "faq/payment": ("Ask about payment", "Which payment methods do you accept?"),
    "faq/delivery_time": ("Ask about delivery times", "How long does delivery take?"),
    "faq/warranty": ("Ask about the warranty", "What warranty do your products have?"),
    "faq/contact": ("Get our contact details", "How can I contact you?"),
    "faq/opening_hours": ("Ask about opening hours", "What are your opening hours?"),
    "faq/terms": ("Read our terms and conditions", "what are your terms and conditions?"),
}
SOMETHING_ELSE: Button = button("Something else", "/out_of_scope")

ASK_TEXT = "Sorry, I'm not sure I understood. Did you want to:"
NO_GUESS_TEXT = "Sorry, I'm not sure I understood. Could you tell me a bit more?"
HANDOVER_TEXT = "Sorry, I still don't understand. " + REQUESTED_TEXT
HANDOVER_REASON = "Two messages in a row the assistant did not understand; the last: "


def likely_choices(parse_data: dict[str, Any], limit: int = MAX_CHOICES) -> list[str]:
    """Keys of `CHOICES` for the likeliest intents of a parse, best first."""
    keys: list[str] = []
    for ranked in parse_data.get("intent_ranking") or []:
        name = ranked.get("name")
        if name == NLU_FALLBACK or (ranked.get("confidence") or 0.0) < MIN_CONFIDENCE:
            continue
        key = _retrieval_key(parse_data) if name == RETRIEVAL_INTENT else name
        if key in CHOICES and key not in keys:
            keys.append(key)
        if len(keys) == limit:
            break
    return keys


def fallbacks_in_a_row(events: Iterable[dict[str, Any]]) -> int:
    """How many of the customer's latest messages in a row were not understood.

    Messages Rasa took back (`rewind`, its UserUtteranceReverted) do not count; a restart
    or a new session starts afresh; a "Something else" between two unclear messages does
    not break the row, any understood message does, and so does an answer a form read.
    """
    intents: list[str | None] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            intents.append(((event.get("parse_data") or {}).get("intent") or {}).get("name"))
        elif kind == "rewind" and intents:
            intents.pop()
        elif kind in ("restart", "session_started"):
            intents.clear()
        elif kind == "action" and intents and str(event.get("name")).endswith(FORM_SUFFIX):
            # A form read the message as an answer ("Acme Ltd" has no intent of its own).
            intents[-1] = FORM_ANSWER
    count = 0
    for intent in reversed(intents):
        if intent == NLU_FALLBACK:
            count += 1
        elif intent != DENY_INTENT:
            break
    return count


async def hand_over(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Queue the conversation for staff and tell the customer (or how to reach us)."""
    text = (tracker.latest_message or {}).get("text") or ""
    try:
        await asyncio.to_thread(
            record_handover,
            get_store(),
            session_key=tracker.sender_id,
            reason=HANDOVER_REASON + text,
            mail_settings=get_mail_settings(),
        )
    except (SQLAlchemyError, StoreUnavailable):
        logger.exception("Could not record the fallback hand-over of %s.", tracker.sender_id)
        dispatcher.utter_message(text=STORE_DOWN_TEXT)
        return
    dispatcher.utter_message(text=HANDOVER_TEXT)


def _retrieval_key(parse_data: dict[str, Any]) -> str | None:
    """The full FAQ sub-intent the ResponseSelector picked, e.g. `faq/shipping`."""
    selector = (parse_data.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    return (selector.get("response") or {}).get("intent_response_key")


class ActionDefaultAskAffirmation(Action):
    """Replaces Rasa's `action_default_ask_affirmation` in the two-stage fallback."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if fallbacks_in_a_row(tracker.events) >= FALLBACKS_BEFORE_HANDOVER:
            await hand_over(dispatcher, tracker)
            return []
        keys = likely_choices(tracker.latest_message or {})
        if not keys:
            dispatcher.utter_message(text=NO_GUESS_TEXT, buttons=[SOMETHING_ELSE])
            return []
        buttons = [button(*CHOICES[key]) for key in keys] + [SOMETHING_ELSE]
        dispatcher.utter_message(text=ASK_TEXT, buttons=buttons)
        return []


class ActionDefaultFallback(Action):
    """Rasa's "give up" step of the two-stage fallback, reached after two unclear messages
    in a row: hands the conversation over instead of only apologising.

    Listed under `actions:` in domain.yml, which makes Rasa call it instead of its
    built-in (which only says `utter_default`). Like the built-in it takes
    the unclear message back, so the dialogue continues as if it had not been said.
    """

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if fallbacks_in_a_row(tracker.events) >= FALLBACKS_BEFORE_HANDOVER:
            await hand_over(dispatcher, tracker)
        else:
            dispatcher.utter_message(response="utter_default")
        return [UserUtteranceReverted()]
