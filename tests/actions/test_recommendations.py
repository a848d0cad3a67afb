"""Product suggestions through the real actions: demo shop store, a model trained from it.

The store is a migrated SQLite file with the demo shop; the model is trained from it by
the launcher's own training code into `$DATA_DIR/recommender`, as `make run` does.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import services
from actions.catalogue import ActionProductPrice
from actions.recommendation_cards import intent_payload
from actions.recommendations import (
    NO_MODEL_TEXT,
    ActionProductDetails,
    ActionRecommendProducts,
)
from actions.services import Store, get_model_loader, get_store
from crm_bridge import contacts, conversations, orders, products, recommendations
from crm_bridge.db import make_engine, make_session_factory, upgrade_to_head
from crm_bridge.demo_shop import seed_demo_shop
from crm_bridge.enums import Channel, SuggestionEventKind
from crm_bridge.models import ExperimentAssignment, SuggestionEvent
from launcher.recommender_training import recommender_root, train
from tests.actions.conftest import SENDER, TrackerFactory
from tests.utils.factories import make_customer_value, make_experiment

Kind = SuggestionEventKind


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with a migrated, seeded store and one trained model (built once)."""
    data_dir = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{data_dir / 'crm.sqlite3'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        seed_demo_shop(session)
        session.commit()
    engine.dispose()
    train(url, recommender_root(data_dir))
    return data_dir


@pytest.fixture
def data_dir(
    demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """This test's own copy of the template, behind `get_store()` and `get_model_loader()`."""
    target = tmp_path / "data"
    shutil.copytree(demo_template, target)
    monkeypatch.setenv("DATA_DIR", str(target))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{target / 'crm.sqlite3'}")
    monkeypatch.setattr(services, "MODEL_CHECK_SECONDS", 0.0)
    get_store.cache_clear()
    get_model_loader.cache_clear()
    yield target
    get_store().dispose()
    get_store.cache_clear()
    get_model_loader.cache_clear()


@pytest.fixture
def store(data_dir: Path) -> Store:
    return get_store()


@pytest.fixture
def conversation_id(store: Store) -> int:
    """The web conversation the gateway opened for SENDER (an anonymous visitor)."""
    with store.transaction() as session:
        contact, _ = contacts.get_or_create_for_identity(
            session, channel=Channel.web, external_id="visitor-1"
        )
        conversation = conversations.open_conversation(
            session, contact_id=contact.id, channel=Channel.web, session_key=SENDER
        )
        return conversation.id


def _button_tracker(make_tracker: TrackerFactory, payload: str, slots: dict[str, Any]) -> Tracker:
    intent, _, raw = payload[1:].partition("{")
    product_id = int(re.findall(r"\d+", raw)[0])
    entities = [{"entity": "product_id", "value": product_id}]
    return make_tracker(payload, intent, slots=slots, parse_extra={"entities": entities})


def _slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def _cards(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    return [m["custom"] for m in dispatcher.messages if m.get("custom")]


def _price(card: dict[str, Any]) -> float:
    return float(card["price"].lstrip("€"))


async def _ask(
    make_tracker: TrackerFactory, text: str, intent: str = "ask_recommendation", **slots: Any
) -> tuple[CollectingDispatcher, dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionRecommendProducts().run(
        dispatcher, make_tracker(text, intent, slots=slots), {}
    )
    return dispatcher, _slots(events)


def _events(store: Store, conversation_id: int, kind: SuggestionEventKind) -> list[SuggestionEvent]:
    with store.transaction() as session:
        return recommendations.list_events(session, conversation_id=conversation_id, kind=kind)


async def test_gift_under_budget_gets_cards_within_budget_recorded_as_shown(
    store: Store, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    dispatcher, slots = await _ask(make_tracker, "a gift for my dad under 30 euros")

    assert dispatcher.messages[0]["text"] == "Here are some ideas for your dad under €30:"
    cards = _cards(dispatcher)
    assert len(cards) == 3
    assert all(card["type"] == "product_card" and _price(card) <= 30 for card in cards)
    assert all(card["reason"] and card["image"].endswith(".svg") for card in cards)
    assert [b["title"] for b in cards[0]["buttons"]] == ["Details", "More like this"]
    assert cards[0]["buttons"][1]["payload"] == intent_payload(
        "more_like_this", cards[0]["product_id"]
    )
    shown = _events(store, conversation_id, Kind.shown)
    assert [(e.product_id, e.rank, e.model_version) for e in shown] == [
        (card["product_id"], rank, "v000001") for rank, card in enumerate(cards, 1)
    ]
    assert slots["rec_max_price"] == 30
    assert slots["rec_recipient"] == "dad"
    assert slots["rec_shown"] == [card["product_id"] for card in cards]
    with store.transaction() as session:
        stocked = [products.get_product(session, c["product_id"]).stock for c in cards]
    assert all(stock > 0 for stock in stocked)


async def test_show_more_keeps_budget_and_shows_new_products(
    store: Store, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    _, slots = await _ask(make_tracker, "something for the kitchen between 10 and 40 euros")

    _, more = await _ask(make_tracker, "show me more", "show_more", **slots)

    first, second = slots["rec_shown"], more["rec_last_shown"]
    assert len(second) == 3 and not set(first) & set(second)
    with store.transaction() as session:
        shown = [products.get_product(session, pid) for pid in first + second]
    assert all(p.category == "kitchen" and 10 <= p.price <= 40 for p in shown)
    assert more["rec_shown"] == first + second


async def test_cheaper_goes_below_the_cheapest_card_shown(
    store: Store, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    first, slots = await _ask(make_tracker, "what would you recommend?")
    cheapest = min(_price(card) for card in _cards(first))

    dispatcher, cheaper = await _ask(make_tracker, "cheaper ones", "cheaper", **slots)

    assert dispatcher.messages[0]["text"].startswith("Here are some cheaper ones")
    assert _cards(dispatcher)
    assert all(_price(card) < cheapest for card in _cards(dispatcher))
    assert cheaper["rec_max_price"] == pytest.approx(cheapest - 0.01)


async def test_more_like_this_button_records_click_and_suggests_similar(
    store: Store, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    first, slots = await _ask(make_tracker, "a gift under 30 euros")
    card = _cards(first)[1]
    pressed = _button_tracker(make_tracker, card["buttons"][1]["payload"], slots)

    dispatcher = CollectingDispatcher()
    events = await ActionRecommendProducts().run(dispatcher, pressed, {})

    assert dispatcher.messages[0]["text"].startswith(f"Here are some ideas like the {card['name']}")
    similar = _cards(dispatcher)
    assert similar and card["product_id"] not in [c["product_id"] for c in similar]
    assert all(_price(c) <= 30 for c in similar)
    [click] = _events(store, conversation_id, Kind.clicked)
    assert (click.product_id, click.rank, click.model_version) == (card["product_id"], 2, "v000001")
    assert _slots(events)["rec_anchor"] == card["product_id"]


async def test_details_button_describes_product_and_records_click(
    store: Store, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    first, slots = await _ask(make_tracker, "what would you recommend?")
    card = _cards(first)[0]
    pressed = _button_tracker(make_tracker, card["buttons"][0]["payload"], slots)

    dispatcher = CollectingDispatcher()
    events = await ActionProductDetails().run(dispatcher, pressed, {})

    [message] = dispatcher.messages
    assert message["text"].startswith(f"{card['name']} ({card['price']}).")
    assert [b["title"] for b in message["buttons"]] == ["More like this"]
    assert [e.product_id for e in _events(store, conversation_id, Kind.clicked)] == [
        card["product_id"]
    ]
    assert _slots(events) == {"last_product": card["name"]}


async def test_price_question_about_a_suggested_product_is_recorded_as_asked(
    store: Store, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    first, _ = await _ask(make_tracker, "what would you recommend?")
    card = _cards(first)[2]

    dispatcher = CollectingDispatcher()
    await ActionProductPrice().run(dispatcher, make_tracker(f"how much is the {card['name']}"), {})
    await ActionProductPrice().run(dispatcher, make_tracker("how much is the cast iron pan"), {})

    [asked] = _events(store, conversation_id, Kind.asked)
    assert (asked.product_id, asked.rank) == (card["product_id"], 3)


async def test_known_customer_is_not_offered_what_they_bought_unless_consumable(
    store: Store, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        customer = contacts.get_by_external_ref(session, "DEMO-C0001")
        assert customer is not None
        conversations.open_conversation(
            session, contact_id=customer.id, channel=Channel.web, session_key=SENDER
        )
        bought = {
            item.product_id: bool(item.product.attributes.get("consumable"))
            for order in orders.list_for_contact(session, customer.id)
            if order.status not in orders.NOT_PURCHASED
            for item in order.items
        }
    assert bought

    _, slots = await _ask(make_tracker, "what would you recommend?")
    for _ in range(4):
        _, slots = await _ask(make_tracker, "more please", "show_more", **slots)

    offered = set(slots["rec_shown"])
    assert len(offered) == 15
    assert not {pid for pid in offered & set(bought) if not bought[pid]}


async def test_new_product_is_suggested_from_the_visitors_words(
    store: Store, data_dir: Path, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        new = products.upsert_product(
            session,
            sku="NEW-1",
            name="Moonstone Lantern",
            category="lighting",
            price=Decimal("24.99"),
            stock=5,
            description="a lantern with a milky moonstone glass shade",
        )
    train(f"sqlite:///{data_dir / 'crm.sqlite3'}", recommender_root(data_dir))

    dispatcher, _ = await _ask(make_tracker, "can you recommend something with moonstone?")

    assert _cards(dispatcher)[0]["product_id"] == new.id
    shown = _events(store, conversation_id, Kind.shown)
    assert {e.model_version for e in shown} == {"v000002"}


async def test_a_new_model_version_is_picked_up_without_restart(
    store: Store, data_dir: Path, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    await _ask(make_tracker, "what would you recommend?")
    loader = get_model_loader()
    assert loader.get().version == "v000001"

    train(f"sqlite:///{data_dir / 'crm.sqlite3'}", recommender_root(data_dir))
    await _ask(make_tracker, "what would you recommend?")

    assert get_model_loader() is loader
    versions = [e.model_version for e in _events(store, conversation_id, Kind.shown)]
    assert versions == ["v000001"] * 3 + ["v000002"] * 3


async def test_without_a_model_the_customer_is_offered_categories(
    store: Store, data_dir: Path, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    shutil.rmtree(recommender_root(data_dir))

    dispatcher, slots = await _ask(make_tracker, "what would you recommend?")

    [message] = dispatcher.messages
    assert message["text"] == NO_MODEL_TEXT
    assert "Lighting" in [b["title"] for b in message["buttons"]]
    assert slots == {}
    assert _events(store, conversation_id, Kind.shown) == []


async def test_a_rejected_product_stays_out_of_later_requests(
    store: Store, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    first, slots = await _ask(make_tracker, "what would you recommend?")
    rejected = _cards(first)[0]

    _, slots = await _ask(
        make_tracker, f"not the {rejected['name']}, show me others", "show_more", **slots
    )
    again, slots = await _ask(make_tracker, "what would you recommend?", **slots)

    assert slots["rec_excluded"] == [rejected["product_id"]]
    assert rejected["product_id"] not in [card["product_id"] for card in _cards(again)]
    assert len(_cards(again)) == 3


async def test_show_more_after_a_bare_request_does_not_repeat_it(
    store: Store, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    _, slots = await _ask(make_tracker, "/ask_recommendation")

    _, more = await _ask(make_tracker, "/show_more", "show_more", **slots)

    assert len(slots["rec_shown"]) == 3
    assert not set(slots["rec_shown"]) & set(more["rec_last_shown"])


async def test_more_like_this_leaves_out_what_the_customer_bought(
    store: Store, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        customer = contacts.get_by_external_ref(session, "DEMO-C0003")
        assert customer is not None
        conversations.open_conversation(
            session, contact_id=customer.id, channel=Channel.web, session_key=SENDER
        )
        durables = [
            item.product
            for order in orders.list_for_contact(session, customer.id)
            if order.status not in orders.NOT_PURCHASED
            for item in order.items
            if not item.product.attributes["consumable"] and item.product.stock > 0
        ]
    # A product whose nearest neighbours include one the customer bought.
    model = get_model_loader().get().model
    anchor, durable = next(
        (like.item_id, bought)
        for bought in durables
        for like in model.similar_items(bought.id, k=3)
        if bought.id in [r.item_id for r in model.similar_items(like.item_id, k=2)]
    )

    payload = intent_payload("more_like_this", int(anchor))
    dispatcher = CollectingDispatcher()
    await ActionRecommendProducts().run(dispatcher, _button_tracker(make_tracker, payload, {}), {})

    offered = [card["product_id"] for card in _cards(dispatcher)]
    assert len(offered) == 3 and durable.id not in offered


INTROS = ("Picked just for you.", "You might like these:")


def _assignments(store: Store) -> list[ExperimentAssignment]:
    with store.transaction() as session:
        return list(session.scalars(select(ExperimentAssignment)))


async def test_a_running_intro_experiment_opens_the_line_above_the_cards(
    store: Store, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        make_experiment(session, key="suggestion_intro", texts=INTROS)

    first, slots = await _ask(make_tracker, "a gift for my dad under 30 euros")
    more, slots = await _ask(make_tracker, "show me more", "show_more", **slots)
    cheaper, _ = await _ask(make_tracker, "cheaper ones", "cheaper", **slots)

    line = first.messages[0]["text"]
    assert line in {
        "Picked just for you for your dad under €30:",
        "You might like these for your dad under €30:",
    }
    assert more.messages[0]["text"] == line  # the conversation keeps its variant
    assert cheaper.messages[0]["text"].startswith("Here are some cheaper ones")
    [assignment] = _assignments(store)
    assert assignment.conversation_id == conversation_id
    assert len(_cards(first)) == 3


async def test_without_an_intro_experiment_the_line_is_unchanged(
    store: Store, conversation_id: int, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        make_experiment(session, key="greeting", texts=INTROS)  # another place

    dispatcher, _ = await _ask(make_tracker, "a gift for my dad under 30 euros")

    assert dispatcher.messages[0]["text"] == "Here are some ideas for your dad under €30:"
    assert _assignments(store) == []


def _demo_customer_conversation(store: Store, ref: str) -> int:
    with store.transaction() as session:
        customer = contacts.get_by_external_ref(session, ref)
        assert customer is not None
        conversations.open_conversation(
            session, contact_id=customer.id, channel=Channel.web, session_key=SENDER
        )
        return customer.id


async def test_a_high_value_customer_is_shown_pricier_picks_and_no_intro_experiment(
    store: Store, make_tracker: TrackerFactory
) -> None:
    customer_id = _demo_customer_conversation(store, "DEMO-C0002")
    ordinary, _ = await _ask(make_tracker, "what would you recommend?")
    with store.transaction() as session:
        make_customer_value(
            session, contact=contacts.get_contact(session, customer_id), rfm_segment="champions"
        )
        make_experiment(session, key="suggestion_intro", texts=INTROS)

    vip, _ = await _ask(make_tracker, "what would you recommend?")

    plain_prices = sorted(_price(card) for card in _cards(ordinary))
    vip_prices = sorted(_price(card) for card in _cards(vip))
    assert len(vip_prices) == 3
    assert all(v >= p for v, p in zip(vip_prices, plain_prices, strict=True))
    assert sum(vip_prices) > sum(plain_prices)
    # The default line, and the VIP stays out of the intro experiment.
    assert vip.messages[0]["text"] == "Here are some ideas:"
    assert _assignments(store) == []
    assert [card["rank"] for card in _cards(vip)] == [1, 2, 3]


async def test_a_high_value_customer_asking_for_cheaper_gets_no_premium_tilt(
    store: Store, make_tracker: TrackerFactory
) -> None:
    customer_id = _demo_customer_conversation(store, "DEMO-C0002")
    _, slots = await _ask(make_tracker, "what would you recommend?")
    ordinary, _ = await _ask(make_tracker, "cheaper ones", "cheaper", **slots)
    with store.transaction() as session:
        make_customer_value(
            session, contact=contacts.get_contact(session, customer_id), rfm_segment="loyal"
        )

    vip, _ = await _ask(make_tracker, "cheaper ones", "cheaper", **slots)

    assert [c["product_id"] for c in _cards(vip)] == [c["product_id"] for c in _cards(ordinary)]
