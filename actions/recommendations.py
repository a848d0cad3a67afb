"""Product suggestions in the chat: cards picked by the recommender for this customer.

`action_recommend_products` answers "what would you recommend?", "a gift for my dad under
30 euros", "show me more", "cheaper ones" and "something like the blue lantern" (or a
card's "More like this" button): the intent says how the running request changes
(`recommendation_request`), the recommender picks products within its constraints, each
is re-checked against the live catalogue (stock, price, still sold), and every card sent
is recorded as `shown` with its rank and the model version. `action_product_details`
answers a card's "Details" button and records the `clicked`.

The model is the newest version under `$DATA_DIR/recommender`, loaded once per process
and followed when a new one is trained (`services.get_model_loader`). Known customers
(contacts with orders) get personal picks and never a product they already bought unless
it is a consumable; anonymous visitors get picks from their own words and clicks here.

High-value customers (`high_value.is_high_value`) are shown the three highest-priced of
the model's six best live picks, in the model's order: premium within what suits them,
never outside their request. The line above the cards may be under test: a running
`suggestion_intro` experiment supplies its opening words (`automation.experiments`),
except for high-value customers, whose different cards would skew it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions import product_matching
from actions import recommendation_request as requests
from actions.catalogue import LAST_PRODUCT_SLOT
from actions.formatting import Button, button, category_button, format_price, stock_phrase
from actions.high_value import is_high_value
from actions.recommendation_cards import PRODUCT_ENTITY, CardProduct, intent_payload, product_card
from actions.recommendation_parsing import parse_wish, without_gift_words
from actions.recommendation_request import Request
from actions.services import Store, get_model_loader, get_store
from actions.suggestion_events import conversation_of, record_clicked
from automation.experiments import pick_variant
from crm_bridge import orders, products, recommendations
from crm_bridge.enums import SuggestionEventKind
from crm_bridge.errors import StoreUnavailable
from crm_bridge.models import Conversation, Product
from crm_bridge.recommender_data import is_consumable
from recommender import Constraints, Context, LoadedModel, NoModelError, Recommendation

logger = logging.getLogger(__name__)

CARDS = 3
# Ask the model for more than we show: some picks may have sold out since it was trained.
CANDIDATES = CARDS * 4
# High-value customers get the pricier half of this many of the best live picks.
PREMIUM_POOL = CARDS * 2
INTRO_EXPERIMENT = "suggestion_intro"
DEFAULT_INTRO = "Here are some ideas"
STORE_DOWN_TEXT = "Sorry, I can't look at our catalogue right now. Please try again in a minute."
NO_MODEL_TEXT = "I can't pick suggestions right now, but you can browse a category:"


@dataclass(frozen=True)
class Turn:
    """The parts of the tracker a recommendation turn needs (plain, so tests stay simple)."""

    sender_id: str
    intent: str
    text: str  # what the customer typed; empty for a button payload
    product_id: int | None  # from a card button's payload
    slots: dict[str, Any]


@dataclass
class Answer:
    """Messages to send and slots to set."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str, buttons: list[Button] | None = None) -> None:
        self.messages.append({"text": text, "buttons": buttons or None})

    def send(self, dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
        for message in self.messages:
            if "card" in message:
                dispatcher.utter_message(json_message=message["card"])
            else:
                dispatcher.utter_message(text=message["text"], buttons=message["buttons"])
        return [SlotSet(name, value) for name, value in self.slots.items()]


def turn_of(tracker: Tracker) -> Turn:
    """Read the latest message: typed text, or a card button's product id."""
    latest = tracker.latest_message or {}
    text = latest.get("text") or ""
    product_id = next(tracker.get_latest_entity_values(PRODUCT_ENTITY), None)
    return Turn(
        sender_id=tracker.sender_id,
        intent=(latest.get("intent") or {}).get("name") or requests.ASK,
        text="" if text.startswith("/") else text,
        product_id=_as_id(product_id),
        slots={name: tracker.get_slot(name) for name in requests.SLOTS},
    )


def recommend(
    store: Store, loaded: LoadedModel, turn: Turn, *, rng: np.random.Generator | None = None
) -> Answer:
    """Update the running request for this turn, pick products, record them as shown."""
    with store.transaction() as session:
        conversation = conversation_of(session, turn.sender_id)
        request = _next_request(session, store, turn)
        if turn.product_id is not None and turn.intent == requests.SIMILAR:
            record_clicked(session, turn.sender_id, turn.product_id)
        clicked = _clicked_here(session, conversation.id if conversation else None)
        user = conversation.contact_id if conversation else None
        high_value = user is not None and is_high_value(session, user)
        # "Cheaper ones" asks for lower prices: no premium tilt then.
        premium = high_value and turn.intent != requests.CHEAPER
        picks = _live_picks(session, loaded, request, user, clicked, premium=premium)
        answer = Answer()
        if not picks:
            answer.say(_nothing_text(request), [button("Start over", "/ask_recommendation")])
            answer.slots = request.slot_values()
            return answer
        recommendations.record_shown(
            session,
            conversation_id=conversation.id if conversation else None,
            contact_id=user,
            model_version=loaded.version,
            shown=[
                recommendations.ShownSuggestion(product.id, rank, rec.reason)
                for rank, (product, rec) in enumerate(picks, start=1)
            ],
        )
        opening = None
        if request.anchor is None and turn.intent != requests.CHEAPER:  # a plain "ideas" line
            opening = _intro_opening(session, conversation, enrol=not high_value, rng=rng)
        answer.say(_intro_text(session, request, turn.intent, opening))
        for rank, (product, rec) in enumerate(picks, start=1):
            answer.messages.append(
                {"card": product_card(_card_product(product), reason=rec.reason, rank=rank)}
            )
        answer.slots = request.after_showing([p.id for p, _ in picks]).slot_values()
        return answer


def _next_request(session: Session, store: Store, turn: Turn) -> Request:
    """How this turn changes the request kept in the slots."""
    request = Request.from_slots(turn.slots)
    # "Show me more" with nothing asked before is a first request.
    fresh = not request.shown and not request.text
    if turn.intent == requests.SIMILAR:
        anchor = turn.product_id or _named_product_id(session, store, turn.text)
        if anchor is not None:
            return requests.similar_to(request, anchor)
    if turn.intent == requests.ASK or fresh or turn.intent == requests.SIMILAR:
        wish = parse_wish(turn.text)
        category = product_matching.match_category(
            without_gift_words(turn.text), store.catalogue().categories
        )
        return requests.started(turn.text, wish, category, request.excluded)
    request = _with_rejections(session, store, request, turn.text)
    if turn.intent == requests.CHEAPER:
        asked = parse_wish(turn.text).price.high
        if asked is not None:
            return replace(request, max_price=asked)
        return requests.cheaper(request, _prices(session, request.last_shown))
    return request


def _live_picks(
    session: Session,
    loaded: LoadedModel,
    request: Request,
    user: int | None,
    clicked: tuple[int, ...],
    *,
    premium: bool = False,
) -> list[tuple[Product, Recommendation]]:
    """The model's picks that are still sold, in stock and within the budget, best first.

    `premium` keeps the highest-priced `CARDS` of the best `PREMIUM_POOL` live picks.
    """
    constraints = Constraints.of(
        categories=[request.category] if request.category else None,
        min_price=request.min_price,
        max_price=request.max_price,
        exclude_ids=set(request.shown) | set(request.excluded),
    )
    model = loaded.model
    if request.anchor is not None and request.anchor in model.catalogue_.index:
        # `similar_items` knows no customer: leave out what they bought here.
        bought = _bought_durables(session, user) if user is not None else set()
        constraints = replace(constraints, exclude_ids=constraints.exclude_ids | bought)
        suggestions = model.similar_items(request.anchor, constraints=constraints, k=CANDIDATES)
    else:
        context = Context(text=request.context_text, item_ids=clicked)
        suggestions = model.recommend(user, context=context, constraints=constraints, k=CANDIDATES)
    wanted = PREMIUM_POOL if premium else CARDS
    picks = []
    for suggestion in suggestions:
        product = products.get_product(session, int(suggestion.item_id))
        if product is not None and _fits(product, request):
            picks.append((product, suggestion))
        if len(picks) == wanted:
            break
    return _highest_priced(picks) if premium else picks


def _highest_priced(
    picks: list[tuple[Product, Recommendation]],
) -> list[tuple[Product, Recommendation]]:
    """The `CARDS` priciest picks, still in the model's order (its best first)."""
    keep = sorted(range(len(picks)), key=lambda index: -picks[index][0].price)[:CARDS]
    return [picks[index] for index in sorted(keep)]


def _intro_opening(
    session: Session,
    conversation: Conversation | None,
    *,
    enrol: bool,
    rng: np.random.Generator | None,
) -> str | None:
    """The opening words of the `suggestion_intro` experiment's variant, or None."""
    if conversation is None:
        return None
    chosen = pick_variant(
        session,
        key=INTRO_EXPERIMENT,
        conversation_id=conversation.id,
        rng=rng or np.random.default_rng(),
        enrol=enrol,
    )
    return chosen.text.strip().rstrip(".:!;,… ") if chosen is not None else None


def _bought_durables(session: Session, contact_id: int) -> frozenset[int]:
    """Products the contact bought that are not consumables (those may be bought again)."""
    return frozenset(
        item.product_id
        for order in orders.list_for_contact(session, contact_id)
        if order.status not in orders.NOT_PURCHASED
        for item in order.items
        if not is_consumable(item.product)
    )


def _fits(product: Product, request: Request) -> bool:
    price = float(product.price)
    return (
        product.active
        and product.stock > 0
        and (request.min_price is None or price >= request.min_price)
        and (request.max_price is None or price <= request.max_price)
    )


def _with_rejections(session: Session, store: Store, request: Request, text: str) -> Request:
    """ "Not the blue lantern": rule out a shown product the customer names after "not"."""
    rest = requests.rejected_text(text)
    if not rest or not request.shown:
        return request
    shown = {p.name: p.id for p in _products(session, request.shown)}
    name = product_matching.find_product(rest, shown)
    if name is None:
        return request
    return replace(request, excluded=(*request.excluded, shown[name]))


def _named_product_id(session: Session, store: Store, text: str) -> int | None:
    catalogue = store.catalogue()
    entry = catalogue.by_name(product_matching.find_product(text, catalogue.names) or "")
    product = products.get_by_sku(session, entry.sku) if entry else None
    return product.id if product else None


def _clicked_here(session: Session, conversation_id: int | None) -> tuple[int, ...]:
    if conversation_id is None:
        return ()
    events = recommendations.list_events(
        session, conversation_id=conversation_id, kind=SuggestionEventKind.clicked
    )
    return tuple(dict.fromkeys(event.product_id for event in events))


def _products(session: Session, ids: tuple[int, ...]) -> list[Product]:
    found = (products.get_product(session, product_id) for product_id in ids)
    return [product for product in found if product is not None]


def _prices(session: Session, ids: tuple[int, ...]) -> list[float]:
    return [float(product.price) for product in _products(session, ids)]


def _card_product(product: Product) -> CardProduct:
    return CardProduct(
        product.id, product.sku, product.name, product.price, product.currency, product.image_url
    )


def _budget_text(request: Request) -> str:
    low, high = request.min_price, request.max_price
    if low is not None and high is not None:
        return f" between {_euros(low)} and {_euros(high)}"
    if high is not None:
        return f" under {_euros(high)}"
    if low is not None:
        return f" from {_euros(low)}"
    return ""


def _euros(amount: float) -> str:
    return f"€{amount:g}" if float(amount).is_integer() else f"€{amount:.2f}"


def _intro_text(session: Session, request: Request, intent: str, opening: str | None = None) -> str:
    if request.anchor is not None:
        anchor = products.get_product(session, request.anchor)
        like = f" like the {anchor.name}" if anchor else " like that"
        return f"Here are some ideas{like}{_budget_text(request)}:"
    who = f" for your {request.recipient}" if request.recipient else ""
    occasion = f" for a {request.occasion}" if request.occasion else ""
    category = f" in {request.category}" if request.category else ""
    lead = "Here are some cheaper ones" if intent == requests.CHEAPER else opening or DEFAULT_INTRO
    return f"{lead}{who}{occasion}{category}{_budget_text(request)}:"


def _nothing_text(request: Request) -> str:
    wanted = (f" in {request.category}" if request.category else "") + _budget_text(request)
    more = "more " if request.shown else ""
    return (
        f"Sorry, I have no {more}suggestions{wanted}. "
        "Try another budget or category, or ask me for something else."
    )


def details(store: Store, turn: Turn) -> Answer:
    """A product's price, stock and description; a card's button press counts as `clicked`."""
    with store.transaction() as session:
        product_id = turn.product_id or _named_product_id(session, store, turn.text)
        product = products.get_product(session, product_id) if product_id else None
        answer = Answer()
        if product_id is None:
            answer.say("Which product would you like to know more about?")
            return answer
        if product is None or not product.active:
            answer.say("Sorry, I can't find that product any more.")
            return answer
        if turn.product_id is not None:
            record_clicked(session, turn.sender_id, product.id)
        price = format_price(product.price, product.currency)
        description = f" {product.description}" if product.description else ""
        answer.say(
            f"{product.name} ({price}).{description} {stock_phrase(product.name, product.stock)}",
            [button("More like this", intent_payload(requests.SIMILAR, product.id))],
        )
        answer.slots = {LAST_PRODUCT_SLOT: product.name}
        return answer


async def _answer(compute: Callable[..., Answer], *args: Any) -> Answer:
    """Run blocking work off the event loop; outages become a polite answer."""
    try:
        return await asyncio.to_thread(compute, get_store(), *args)
    except (SQLAlchemyError, StoreUnavailable):
        logger.exception("The CRM store failed while suggesting products.")
        answer = Answer()
        answer.say(STORE_DOWN_TEXT)
        return answer


def _recommend_with_model(store: Store, turn: Turn) -> Answer:
    try:
        loaded = get_model_loader().get()
    except NoModelError:
        logger.warning("No recommender model yet: run `python -m launcher train-recommender`.")
        answer = Answer()
        answer.say(NO_MODEL_TEXT, [category_button(c) for c in store.catalogue().categories])
        return answer
    return recommend(store, loaded, turn)


class ActionRecommendProducts(Action):
    """Suggests products as cards, and changes the suggestion on "more", "cheaper", "like this"."""

    def name(self) -> str:
        return "action_recommend_products"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        answer = await _answer(_recommend_with_model, turn_of(tracker))
        return answer.send(dispatcher)


class ActionProductDetails(Action):
    """Answers a card's "Details" button (or "tell me more about the oak lamp")."""

    def name(self) -> str:
        return "action_product_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        answer = await _answer(details, turn_of(tracker))
        return answer.send(dispatcher)


def _as_id(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
