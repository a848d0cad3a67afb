"""Fixtures for the custom actions: a seeded store behind `get_store()` and tracker builders.

Trackers are built the way the Rasa server sends them to the action server, as in
RasaHQ/financial-demo: a sender id, the latest parsed message, slots and the event list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import Store, get_store
from crm_bridge import products

SENDER = "web-" + "0" * 32

# (sku, name, category, price, stock)
PRODUCTS = [
    ("LGT-1", "Ceramic Lantern", "lighting", "26.99", 111),
    ("LGT-2", "Brass Table Lamp", "lighting", "62.50", 3),
    ("LGT-3", "Oak Pendant Light", "lighting", "79.00", 0),
    ("CMP-1", "Titanium Camping Mug", "camping", "23.99", 12),
    ("GFT-1", "Cosy Mug", "gifts", "14.99", 40),
    ("GDN-1", "Heritage Garden Gloves", "garden", "12.00", 8),
    ("GDN-2", "Terracotta Plant Pot", "garden", "13.99", 25),
]


@pytest.fixture
def store(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The store `get_store()` returns, on a migrated SQLite file seeded with PRODUCTS."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_store.cache_clear()
    store = get_store()
    with store.transaction() as session:
        for sku, name, category, price, stock in PRODUCTS:
            products.upsert_product(
                session, sku=sku, name=name, category=category, price=Decimal(price), stock=stock
            )
    yield store
    store.dispose()
    get_store.cache_clear()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain() -> dict[str, Any]:
    return {}


TrackerFactory = Callable[..., Tracker]


@pytest.fixture
def make_tracker() -> TrackerFactory:
    """Build a tracker whose latest message is `text`, parsed as `intent`."""

    def build(
        text: str,
        intent: str = "ask_price",
        *,
        confidence: float = 0.95,
        sender_id: str = SENDER,
        slots: dict[str, Any] | None = None,
        earlier_texts: tuple[str, ...] = (),
        parse_extra: dict[str, Any] | None = None,
    ) -> Tracker:
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}],
            "entities": [],
            **(parse_extra or {}),
        }
        events: list[dict[str, Any]] = [{"event": "action", "name": "action_session_start"}]
        for earlier in earlier_texts:
            events.append({"event": "user", "text": earlier, "parse_data": {}})
            events.append({"event": "action", "name": "action_listen"})
        events.append({"event": "user", "text": text, "parse_data": latest})
        return Tracker(
            sender_id=sender_id,
            slots=slots or {},
            latest_message=latest,
            events=events,
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )

    return build
