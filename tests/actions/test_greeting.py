"""The greeting action: VIP welcome, the greeting experiment, the domain's `utter_greet`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.greeting import GREETING_BUTTONS, ActionGreet, vip_text
from actions.high_value import is_high_value
from actions.services import Store, get_store
from crm_bridge import contacts, experiments
from crm_bridge.column_types import utcnow
from crm_bridge.enums import Channel
from crm_bridge.models import Contact, ExperimentAssignment
from tests.actions.conftest import SENDER, TrackerFactory
from tests.utils.factories import (
    make_contact,
    make_conversation,
    make_customer_value,
    make_experiment,
)

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = ("Hello! Looking for a gift? Ask me for ideas.", "Hi! Ask me anything about our shop.")


@pytest.fixture
def contact_id(store: Store) -> int:
    """Anna's contact, with the web conversation the gateway opened for SENDER."""
    with store.transaction() as session:
        contact = make_contact(session, name="Anna Schmidt")
        make_conversation(session, contact=contact, session_key=SENDER)
        return contact.id


async def _greet(make_tracker: TrackerFactory, sender_id: str = SENDER) -> dict:
    dispatcher = CollectingDispatcher()
    events = await ActionGreet().run(
        dispatcher, make_tracker("hi", "greet", sender_id=sender_id), {}
    )
    assert events == []
    assert len(dispatcher.messages) == 1
    return dispatcher.messages[0]


def _assignments(store: Store) -> int:
    with store.transaction() as session:
        return session.scalar(select(func.count()).select_from(ExperimentAssignment)) or 0


def test_greeting_buttons_are_those_of_utter_greet() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())

    assert domain["responses"]["utter_greet"][0]["buttons"] == GREETING_BUTTONS
    assert "action_greet" in domain["actions"]


async def test_a_champion_gets_the_vip_greeting_and_no_experiment(
    store: Store, contact_id: int, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        make_customer_value(
            session, contact=session.get(Contact, contact_id), rfm_segment="champions"
        )
        make_experiment(session, texts=VARIANTS)

    message = await _greet(make_tracker)

    assert message["text"].startswith("Welcome back, Anna! As one of our best customers")
    assert message["text"] == vip_text("Anna")
    assert message["buttons"] == GREETING_BUTTONS
    assert _assignments(store) == 0  # VIPs would skew the greeting experiment


async def test_a_vip_without_a_name_is_greeted_by_the_channel_name(
    store: Store, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        contact, _ = contacts.get_or_create_for_identity(
            session, channel=Channel.telegram, external_id="42", display_name="Björn Borg"
        )
        make_conversation(session, contact=contact, session_key="telegram-42")
        make_customer_value(session, contact=contact, rfm_segment="loyal")

    message = await _greet(make_tracker, sender_id="telegram-42")

    assert message["text"].startswith("Welcome back, Björn!")


def test_clv_in_the_top_ten_percent_is_high_value(store: Store) -> None:
    with store.transaction() as session:
        ids = [
            make_customer_value(session, rfm_segment="need_attention", clv=Decimal(clv)).contact_id
            for clv in range(1, 21)
        ]
        make_customer_value(session, rfm_segment="hibernating", clv=None)  # not valued: ignored
        unvalued = make_contact(session).id

        flags = [is_high_value(session, contact_id) for contact_id in ids]

        assert flags[-2:] == [True, True]  # CLV 20 and 19: at most 1 of 20 above them
        assert not any(flags[:-2])  # CLV 18 has 2 of 20 (10 %) above it
        assert is_high_value(session, unvalued) is False


async def test_an_ordinary_customer_gets_the_experiment_variant_once_per_conversation(
    store: Store, contact_id: int, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        make_customer_value(
            session, contact=session.get(Contact, contact_id), rfm_segment="at_risk", clv="5"
        )
        make_customer_value(session, rfm_segment="at_risk", clv="500")  # Anna is not top
        experiment = make_experiment(session, texts=VARIANTS)

    first = await _greet(make_tracker)
    again = await _greet(make_tracker)

    assert first["text"] in VARIANTS
    assert again["text"] == first["text"]
    assert first["buttons"] == GREETING_BUTTONS
    with store.transaction() as session:
        rows = session.scalars(select(ExperimentAssignment)).all()
        assert len(rows) == 1
        shown = next(
            v
            for v in experiments.list_variants(session, experiment.id)
            if v.id == rows[0].variant_id
        )
        assert shown.text == first["text"]


async def test_a_fixed_winner_greets_everyone(
    store: Store, contact_id: int, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        experiment = make_experiment(session, texts=VARIANTS)
        experiments.stop_experiment(session, experiment, winner_key="b", by="m", now=utcnow())

    message = await _greet(make_tracker)

    assert message["text"] == VARIANTS[1]
    assert _assignments(store) == 0


async def test_without_an_experiment_the_domain_greeting_is_used(
    store: Store, contact_id: int, make_tracker: TrackerFactory
) -> None:
    message = await _greet(make_tracker)

    assert message["response"] == "utter_greet"
    assert message["text"] is None


async def test_an_unknown_sender_gets_the_domain_greeting(
    store: Store, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        make_experiment(session, texts=VARIANTS)

    message = await _greet(make_tracker, sender_id="default")

    assert message["response"] == "utter_greet"
    assert _assignments(store) == 0


async def test_a_broken_store_still_greets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_tracker: TrackerFactory
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}")
    get_store.cache_clear()
    try:
        message = await _greet(make_tracker)
    finally:
        get_store().dispose()
        get_store.cache_clear()

    assert message["response"] == "utter_greet"
