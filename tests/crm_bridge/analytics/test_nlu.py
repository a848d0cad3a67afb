"""Fallback rate, top intents and low-confidence messages, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from crm_bridge.analytics.nlu import (
    IntentCount,
    fallback_rate,
    low_confidence_messages,
    top_intents,
)
from crm_bridge.enums import SenderType
from tests.crm_bridge.analytics.data import END, START, at, conversation, say


@pytest.fixture
def history(store_session: Session) -> dict[str, int]:
    """Five customer messages in the range (four parsed, one fallback), and noise around."""
    chat = conversation(store_session, at(1))
    other = conversation(store_session, at(2))
    ids = {
        "greet_1": say(store_session, chat, at_time=at(1, 9), intent="greet", confidence=0.9),
        "greet_2": say(store_session, other, at_time=at(2, 9), intent="greet", confidence=0.7),
        "price": say(store_session, chat, at_time=at(3), intent="ask_price", confidence=0.45),
        "fallback": say(store_session, other, at_time=at(4), intent="nlu_fallback", confidence=0.4),
        "human_mode": say(store_session, chat, at_time=at(5)),
    }
    say(store_session, chat, at_time=at(5), sender=SenderType.agent, text="hi, Lena here")
    say(store_session, chat, at_time=END, intent="nlu_fallback", confidence=0.4)
    say(store_session, chat, at_time=at(31, month=10), intent="greet", confidence=0.1)
    return {name: message.id for name, message in ids.items()}


def test_fallback_rate_is_fallbacks_over_parsed_customer_messages(
    store_session: Session, history: dict[str, int]
) -> None:
    figures = fallback_rate(store_session, start=START, end=END)

    assert (figures.customer_messages, figures.parsed, figures.fallbacks) == (5, 4, 1)
    assert figures.rate == pytest.approx(0.25)


def test_fallback_rate_without_messages_is_none(store_session: Session) -> None:
    assert fallback_rate(store_session, start=START, end=END).rate is None


def test_top_intents_counts_share_and_mean_confidence(
    store_session: Session, history: dict[str, int]
) -> None:
    intents = top_intents(store_session, start=START, end=END)

    assert [(row.intent, row.messages, row.share) for row in intents] == [
        ("greet", 2, 0.5),
        ("ask_price", 1, 0.25),
        ("nlu_fallback", 1, 0.25),
    ]
    assert intents[0].average_confidence == pytest.approx(0.8)
    assert top_intents(store_session, start=START, end=END, limit=1) == [
        IntentCount("greet", 2, 0.5, pytest.approx(0.8))  # type: ignore[arg-type]
    ]


def test_low_confidence_messages_are_latest_first_below_the_threshold(
    store_session: Session, history: dict[str, int]
) -> None:
    rows = low_confidence_messages(store_session, start=START, end=END)

    assert [row.message_id for row in rows] == [history["fallback"], history["price"]]
    assert rows[0].intent == "nlu_fallback" and rows[0].confidence == pytest.approx(0.4)
    assert rows[0].created_at == at(4)
    stricter = low_confidence_messages(store_session, start=START, end=END, threshold=0.42)
    assert [row.message_id for row in stricter] == [history["fallback"]]
    capped = low_confidence_messages(store_session, start=START, end=END, threshold=1.0, limit=3)
    assert [row.message_id for row in capped] == [
        history["fallback"],
        history["price"],
        history["greet_2"],
    ]
