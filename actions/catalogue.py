"""Catalogue questions: a product's price, its stock, and what a category holds.

The product is found in the customer's own words (see `product_matching`); when it is
not clear which product they mean, the reply offers up to three close matches as
buttons. The last product talked about is kept in the `last_product` slot so that "how
much is it?" after a stock answer still works. Database work runs in a worker thread so
the action server's event loop keeps serving other conversations.
"""

from __future__ import annotations

import abc
import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions import product_matching
from actions.customer_text import latest_customer_text
from actions.formatting import (
    Button,
    category_button,
    format_price,
    price_button,
    stock_button,
    stock_phrase,
)
from actions.services import Catalogue, CatalogueEntry, Store, get_store
from actions.suggestion_events import record_asked
from crm_bridge import products
from crm_bridge.errors import StoreUnavailable
from crm_bridge.models import Product

logger = logging.getLogger(__name__)

LAST_PRODUCT_SLOT = "last_product"
CATEGORY_SHOWN = 5
SUGGESTIONS = 3


@dataclass
class Reply:
    """One bot message, plus the product it was about (for the `last_product` slot)."""

    text: str
    buttons: list[Button] = field(default_factory=list)
    product: str | None = None

    def send(self, dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=self.text, buttons=self.buttons or None)
        return [SlotSet(LAST_PRODUCT_SLOT, self.product)] if self.product else []


def resolve_product(text: str, last_product: str | None, catalogue: Catalogue) -> str | None:
    """The product meant: named in the text, or the last one when the text names none."""
    name = product_matching.find_product(text, catalogue.names)
    names_nothing = not product_matching.has_product_words(text)
    if name is None and names_nothing and last_product and catalogue.by_name(last_product):
        return last_product
    return name


def not_found_reply(text: str, catalogue: Catalogue, make_button: Callable[[str], Button]) -> Reply:
    """Say "I did not find that product", offering close matches or else the categories."""
    suggestions = product_matching.suggest_products(text, catalogue.names, limit=SUGGESTIONS)
    if suggestions:
        return Reply(
            "I did not find that product. Did you mean one of these?",
            [make_button(name) for name in suggestions],
        )
    return Reply(
        "I did not find that product. Could you give me its full name, or browse a category?",
        [category_button(category) for category in catalogue.categories],
    )


def _named_product(
    store: Store, session: Session, text: str, last_product: str | None
) -> Product | None:
    """The live, still-sold product the customer means, or None."""
    catalogue = store.catalogue()
    entry = _entry(catalogue, resolve_product(text, last_product, catalogue))
    if entry is None:
        return None
    product = products.get_by_sku(session, entry.sku)
    return product if product is not None and product.active else None


def price_reply(store: Store, text: str, last_product: str | None) -> Reply:
    """Price of the named product, with a word on its availability."""
    with store.transaction() as session:
        product = _named_product(store, session, text, last_product)
        if product is None:
            return not_found_reply(text, store.catalogue(), price_button)
        price = format_price(product.price, product.currency)
        availability = "It's in stock." if product.stock > 0 else "It's out of stock right now."
        return Reply(f"The {product.name} costs {price}. {availability}", product=product.name)


def stock_reply(store: Store, text: str, last_product: str | None) -> Reply:
    """Availability of the named product; in-stock alternatives when it has run out."""
    with store.transaction() as session:
        product = _named_product(store, session, text, last_product)
        if product is None:
            return not_found_reply(text, store.catalogue(), stock_button)
        reply = Reply(stock_phrase(product.name, product.stock), product=product.name)
        if product.stock <= 0:
            alternatives = [
                p
                for p in products.list_products(
                    session, category=product.category, in_stock=True, limit=SUGGESTIONS + 1
                )
                if p.sku != product.sku
            ][:SUGGESTIONS]
            if alternatives:
                reply.text += f" Other {product.category} products you can order now:"
                reply.buttons = [price_button(p.name) for p in alternatives]
        return reply


def category_reply(store: Store, text: str) -> Reply:
    """A few products of the category asked about, of the product kind named, or a menu."""
    catalogue = store.catalogue()
    category = product_matching.match_category(text, catalogue.categories)
    # "garden gloves" asks for gloves, "show me garden" for the whole category.
    rest = product_matching.without_words(text, category or "")
    candidates = [e.name for e in catalogue.entries if category in (None, e.category)]
    named = product_matching.find_products_by_word(rest, candidates, CATEGORY_SHOWN)
    with store.transaction() as session:
        if named:
            shown = [p for p in (_by_name(session, catalogue, n) for n in named) if p is not None]
            heading = "Here is what I found:"
        elif category is not None:
            shown = products.list_products(
                session, category=category, in_stock=True, limit=CATEGORY_SHOWN
            ) or products.list_products(session, category=category, limit=CATEGORY_SHOWN)
            heading = f"Here are some of our {category} products:"
        else:
            shown = []
            heading = ""
        if not shown:
            return Reply(
                "We sell " + _join(catalogue.categories) + ". Which would you like to see?",
                [category_button(c) for c in catalogue.categories],
            )
        lines = [f"• {p.name}: {format_price(p.price, p.currency)}" for p in shown]
        return Reply("\n".join([heading, *lines]), [stock_button(p.name) for p in shown])


def _entry(catalogue: Catalogue, name: str | None) -> CatalogueEntry | None:
    return catalogue.by_name(name) if name else None


def _by_name(session: Session, catalogue: Catalogue, name: str) -> Product | None:
    entry = catalogue.by_name(name)
    return products.get_by_sku(session, entry.sku) if entry else None


def _join(items: tuple[str, ...]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


STORE_DOWN_TEXT = "Sorry, I can't look at our catalogue right now. Please try again in a minute."


async def _reply_in_thread(compute: Callable[..., Reply], *args: Any) -> Reply:
    """Run a blocking reply builder off the event loop; a store outage becomes an apology."""
    try:
        return await asyncio.to_thread(compute, get_store(), *args)
    except (SQLAlchemyError, StoreUnavailable):
        logger.exception("The CRM store failed while answering a catalogue question.")
        return Reply(STORE_DOWN_TEXT)


async def _note_asked(tracker: Tracker, reply: Reply) -> None:
    """A question about a product the assistant suggested here counts as `asked`."""
    if reply.product:
        await asyncio.to_thread(record_asked, get_store(), tracker.sender_id, reply.product)


class _ProductQuestion(Action, abc.ABC):
    """A question about one product, named in the message or answered about just before.

    Subclasses set the action's name and `build_reply`, which builds the reply from the
    customer's text and the `last_product` slot. Abstract, so that rasa-sdk, which
    registers every Action subclass it finds, skips this base.
    """

    action_name: str

    @staticmethod
    @abc.abstractmethod
    def build_reply(store: Store, text: str, last_product: str | None) -> Reply:
        """The answer to the customer's question."""

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = latest_customer_text(tracker)
        last = tracker.get_slot(LAST_PRODUCT_SLOT)
        reply = await _reply_in_thread(self.build_reply, text, last)
        await _note_asked(tracker, reply)
        return reply.send(dispatcher)


class ActionProductPrice(_ProductQuestion):
    """Answers "how much is the ceramic lantern"."""

    action_name = "action_product_price"
    build_reply = staticmethod(price_reply)


class ActionProductStock(_ProductQuestion):
    """Answers "do you have the titanium camping mug in stock"."""

    action_name = "action_product_stock"
    build_reply = staticmethod(stock_reply)


class ActionListCategory(Action):
    """Answers "what garden products do you have" and "show me lighting"."""

    def name(self) -> str:
        return "action_list_category"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        reply = await _reply_in_thread(category_reply, latest_customer_text(tracker))
        return reply.send(dispatcher)
