"""The first question of the two-stage fallback: "did you want to ...?" with readable buttons.

Rasa's default asks "Did you mean 'ask_price'?". This asks with phrases a customer
understands and offers the two likeliest intents. Buttons carry what makes the
conversation continue correctly once the customer picks one:

- ordinary intents: the payload `/intent`; the product actions then read the product name
  from the customer's earlier message (see `customer_text`);
- FAQ sub-intents: a canonical question in words, because the ResponseSelector needs text
  to pick the answer (a `/faq/...` payload carries no response-selector result);
- "Something else": `/out_of_scope`, which makes Rasa ask the customer to rephrase.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.formatting import Button, button

NLU_FALLBACK = "nlu_fallback"
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
        keys = likely_choices(tracker.latest_message or {})
        if not keys:
            dispatcher.utter_message(text=NO_GUESS_TEXT, buttons=[SOMETHING_ELSE])
            return []
        buttons = [button(*CHOICES[key]) for key in keys] + [SOMETHING_ELSE]
        dispatcher.utter_message(text=ASK_TEXT, buttons=buttons)
        return []
