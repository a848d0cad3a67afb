"""The ask-affirmation step offers readable choices that continue the conversation."""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import (
    NO_GUESS_TEXT,
    SOMETHING_ELSE,
    ActionDefaultAskAffirmation,
    likely_choices,
)
from tests.actions.conftest import TrackerFactory


def _parse(ranking: list[tuple[str, float]], faq_key: str | None = None) -> dict[str, Any]:
    parse: dict[str, Any] = {
        "intent": {"name": "nlu_fallback", "confidence": 0.5},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.5}]
        + [{"name": name, "confidence": confidence} for name, confidence in ranking],
    }
    if faq_key:
        parse["response_selector"] = {
            "faq": {"response": {"intent_response_key": faq_key, "confidence": 0.9}}
        }
    return parse


def test_likely_choices_resolves_faq_sub_intent() -> None:
    parse = _parse([("faq", 0.4), ("ask_price", 0.3), ("greet", 0.1)], faq_key="faq/shipping")

    assert likely_choices(parse) == ["faq/shipping", "ask_price"]


def test_likely_choices_skips_unmapped_and_improbable_intents() -> None:
    parse = _parse([("out_of_scope", 0.45), ("request_human", 0.3), ("thank", 0.01)])

    assert likely_choices(parse) == ["request_human"]


async def test_ask_affirmation_buttons(
    dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    tracker = make_tracker(
        "retrun thing??",
        "nlu_fallback",
        parse_extra=_parse([("faq", 0.35), ("ask_stock", 0.25)], faq_key="faq/returns"),
    )

    await ActionDefaultAskAffirmation().run(dispatcher, tracker, domain)

    [message] = dispatcher.messages
    assert message["text"].startswith("Sorry, I'm not sure I understood")
    assert message["buttons"] == [
        {"title": "Ask about returns", "payload": "How do I return an item?"},
        {"title": "Check if something is in stock", "payload": "/ask_stock"},
        SOMETHING_ELSE,
    ]


async def test_ask_affirmation_without_candidates_asks_for_more(
    dispatcher: CollectingDispatcher, make_tracker: TrackerFactory, domain: dict
) -> None:
    tracker = make_tracker("zzz", "nlu_fallback", parse_extra=_parse([("out_of_scope", 0.2)]))

    await ActionDefaultAskAffirmation().run(dispatcher, tracker, domain)

    assert dispatcher.messages[0]["text"] == NO_GUESS_TEXT
    assert dispatcher.messages[0]["buttons"] == [SOMETHING_ELSE]
