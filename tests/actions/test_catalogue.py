"""The catalogue actions answer from the CRM store, with buttons when unsure."""

from decimal import Decimal

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue import (
    LAST_PRODUCT_SLOT,
    STORE_DOWN_TEXT,
    ActionListCategory,
    ActionProductPrice,
    ActionProductStock,
)
from actions.services import Store, get_store
from crm_bridge import products
from tests.actions.conftest import TrackerFactory

pytestmark = pytest.mark.usefixtures("store")


async def test_price_of_named_product(
    dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    events = await ActionProductPrice().run(
        dispatcher, make_tracker("how much is the ceramic lantren?"), domain
    )

    [message] = dispatcher.messages
    assert message["text"] == "The Ceramic Lantern costs €26.99. It's in stock."
    assert message["buttons"] == []
    assert events == [{"event": "slot", "timestamp": None, "name": LAST_PRODUCT_SLOT,
                       "value": "Ceramic Lantern"}]  # fmt: skip


async def test_price_of_ambiguous_product_offers_close_matches(
    dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    events = await ActionProductPrice().run(dispatcher, make_tracker("how much is the mug"), domain)

    [message] = dispatcher.messages
    assert message["text"].startswith("I did not find that product")
    assert message["buttons"] == [
        {"title": "Cosy Mug", "payload": "How much is the Cosy Mug?"},
        {"title": "Titanium Camping Mug", "payload": "How much is the Titanium Camping Mug?"},
    ]
    assert events == []


async def test_price_of_unknown_product_offers_categories(
    dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    await ActionProductPrice().run(dispatcher, make_tracker("how much is the fish tank"), domain)

    [message] = dispatcher.messages
    assert message["text"].startswith("I did not find that product")
    assert [b["title"] for b in message["buttons"]] == ["Camping", "Garden", "Gifts", "Lighting"]


async def test_price_follows_up_on_last_product(
    dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    tracker = make_tracker("and how much is it?", slots={LAST_PRODUCT_SLOT: "Brass Table Lamp"})

    await ActionProductPrice().run(dispatcher, tracker, domain)

    assert dispatcher.messages[0]["text"] == "The Brass Table Lamp costs €62.50. It's in stock."


async def test_price_after_fallback_button_reads_the_earlier_message(
    dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    # The customer picked "Ask about a price" after an unclear "terracotta pot cost??".
    tracker = make_tracker(
        "/ask_price", earlier_texts=("terracotta pot cost??", "/ask_price"), confidence=1.0
    )

    await ActionProductPrice().run(dispatcher, tracker, domain)

    assert dispatcher.messages[0]["text"].startswith("The Terracotta Plant Pot costs €13.99.")


async def test_price_reflects_store_changes_without_restart(
    store: Store, dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    store.catalogue()  # warm the cache: prices are read fresh anyway
    with store.transaction() as session:
        products.upsert_product(
            session, sku="LGT-1", name="Ceramic Lantern", category="lighting",
            price=Decimal("19.00"), stock=0,
        )  # fmt: skip

    await ActionProductPrice().run(dispatcher, make_tracker("price of the ceramic lantern"), domain)

    assert dispatcher.messages[0]["text"] == (
        "The Ceramic Lantern costs €19.00. It's out of stock right now."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "is the titanium camping mug in stock",
            "Yes, the Titanium Camping Mug is in stock (12 available).",
        ),
        (
            "do you still have the brass table lamp",
            "The Brass Table Lamp is in stock, but only 3 left.",
        ),
    ],
)
async def test_stock_of_named_product(
    text: str,
    expected: str,
    dispatcher: CollectingDispatcher,
    make_tracker: TrackerFactory,
    domain: dict,
) -> None:
    await ActionProductStock().run(dispatcher, make_tracker(text, "ask_stock"), domain)

    assert dispatcher.messages[0]["text"] == expected


async def test_stock_of_sold_out_product_suggests_alternatives(
    dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    tracker = make_tracker("is the oak pendant light available?", "ask_stock")

    await ActionProductStock().run(dispatcher, tracker, domain)

    [message] = dispatcher.messages
    assert message["text"].startswith("Sorry, the Oak Pendant Light is out of stock")
    assert [b["title"] for b in message["buttons"]] == ["Brass Table Lamp", "Ceramic Lantern"]


async def test_stock_of_unknown_product_offers_stock_buttons(
    dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    await ActionProductStock().run(dispatcher, make_tracker("any mugs left?", "ask_stock"), domain)

    buttons = dispatcher.messages[0]["buttons"]
    assert {"title": "Cosy Mug", "payload": "Is the Cosy Mug in stock?"} in buttons


async def test_category_lists_products_with_prices(
    dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    tracker = make_tracker("what garden products do you have", "ask_category")

    await ActionListCategory().run(dispatcher, tracker, domain)

    [message] = dispatcher.messages
    assert message["text"] == (
        "Here are some of our garden products:\n"
        "• Heritage Garden Gloves: €12.00\n"
        "• Terracotta Plant Pot: €13.99"
    )
    assert message["buttons"][0] == {
        "title": "Heritage Garden Gloves",
        "payload": "Is the Heritage Garden Gloves in stock?",
    }


async def test_category_by_synonym_and_kind(
    dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    await ActionListCategory().run(dispatcher, make_tracker("which lamps do you have"), domain)

    assert dispatcher.messages[0]["text"] == "Here is what I found:\n• Brass Table Lamp: €62.50"


async def test_category_unknown_lists_categories(
    dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    await ActionListCategory().run(dispatcher, make_tracker("what do you sell?"), domain)

    [message] = dispatcher.messages
    assert message["text"] == (
        "We sell camping, garden, gifts and lighting. Which would you like to see?"
    )
    assert message["buttons"][0] == {"title": "Camping", "payload": "Show me camping"}


async def test_store_outage_gives_an_apology(
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
    dispatcher: CollectingDispatcher,
    make_tracker: TrackerFactory,
    domain: dict,
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}")
    get_store.cache_clear()

    events = await ActionProductPrice().run(
        dispatcher, make_tracker("price of the lantern"), domain
    )

    assert dispatcher.messages[0]["text"] == STORE_DOWN_TEXT
    assert events == []
    get_store.cache_clear()
