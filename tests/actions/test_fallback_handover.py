"""Two unclear messages in a row put the conversation in the staff queue."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import (
    ASK_TEXT,
    HANDOVER_TEXT,
    NO_GUESS_TEXT,
    ActionDefaultAskAffirmation,
    ActionDefaultFallback,
    fallbacks_in_a_row,
)
from actions.services import Store
from crm_bridge import conversations, handovers
from crm_bridge.enums import ConversationStatus
from tests.actions.conftest import SENDER
from tests.utils.factories import make_conversation


def _user(text: str, intent: str, confidence: float = 0.3) -> dict[str, Any]:
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": [],
    }
    return {"event": "user", "text": text, "parse_data": parse}


def _tracker(events: list[dict[str, Any]]) -> Tracker:
    latest = next(e for e in reversed(events) if e["event"] == "user")["parse_data"]
    return Tracker(
        sender_id=SENDER,
        slots={},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


LISTEN = {"event": "action", "name": "action_listen"}
REWIND = {"event": "rewind"}


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([_user("zzz", "nlu_fallback")], 1),
        ([_user("zzz", "nlu_fallback"), _user("qqq", "nlu_fallback")], 2),
        # "Something else", then the rephrased message is unclear as well.
        (
            [
                _user("zzz", "nlu_fallback"),
                _user("/out_of_scope", "out_of_scope"),
                _user("qqq", "nlu_fallback"),
            ],
            2,
        ),
        # Understood in between: the row starts again.
        (
            [
                _user("zzz", "nlu_fallback"),
                _user("hi", "greet", 0.99),
                _user("qqq", "nlu_fallback"),
            ],
            1,
        ),
        # Rasa gave up and took the second message back; a third unclear one follows.
        (
            [
                _user("zzz", "nlu_fallback"),
                _user("qqq", "nlu_fallback"),
                REWIND,
                LISTEN,
                _user("www", "nlu_fallback"),
            ],
            2,
        ),
        (
            [
                _user("zzz", "nlu_fallback"),
                {"event": "session_started"},
                _user("qqq", "nlu_fallback"),
            ],
            1,
        ),
        # "Acme Ltd" answered the lead form: an answer, not an unclear message.
        (
            [
                _user("Acme Ltd", "nlu_fallback"),
                {"event": "action", "name": "action_extract_slots"},
                {"event": "action", "name": "lead_form"},
                _user("qqq", "nlu_fallback"),
            ],
            1,
        ),
    ],
)
def test_fallbacks_in_a_row(events: list[dict[str, Any]], expected: int) -> None:
    assert fallbacks_in_a_row(events) == expected


def _conversation(store: Store) -> int:
    with store.transaction() as session:
        return make_conversation(session, session_key=SENDER).id


def _status(store: Store, conversation_id: int) -> tuple[ConversationStatus, str | None]:
    with store.transaction() as session:
        conversation = conversations.get_conversation(session, conversation_id)
        handover = handovers.get_open(session, conversation_id=conversation_id)
        assert conversation is not None
        return ConversationStatus(conversation.status), handover.reason if handover else None


async def test_second_unclear_message_after_rephrasing_queues_the_conversation(
    store: Store, dispatcher: CollectingDispatcher
) -> None:
    conversation_id = _conversation(store)
    tracker = _tracker(
        [
            _user("zzz", "nlu_fallback"),
            _user("/out_of_scope", "out_of_scope"),
            _user("qqq again", "nlu_fallback"),
        ]
    )

    events = await ActionDefaultAskAffirmation().run(dispatcher, tracker, {})

    assert events == []
    assert [m["text"] for m in dispatcher.messages] == [HANDOVER_TEXT]
    status, reason = _status(store, conversation_id)
    assert status == ConversationStatus.waiting
    assert reason is not None and reason.endswith("qqq again")


async def test_first_unclear_message_still_asks(
    store: Store, dispatcher: CollectingDispatcher
) -> None:
    conversation_id = _conversation(store)
    tracker = _tracker([_user("hi", "greet", 0.99), _user("zzz", "nlu_fallback")])

    await ActionDefaultAskAffirmation().run(dispatcher, tracker, {})

    assert dispatcher.messages[0]["text"] != HANDOVER_TEXT
    assert dispatcher.messages[0]["text"] in (ASK_TEXT, NO_GUESS_TEXT)
    assert _status(store, conversation_id) == (ConversationStatus.bot, None)


async def test_give_up_step_hands_over_after_two_in_a_row(
    store: Store, dispatcher: CollectingDispatcher
) -> None:
    conversation_id = _conversation(store)
    tracker = _tracker([_user("zzz", "nlu_fallback"), _user("qqq", "nlu_fallback")])

    events = await ActionDefaultFallback().run(dispatcher, tracker, {})

    assert events == [{"event": "rewind", "timestamp": None}]
    assert [m["text"] for m in dispatcher.messages] == [HANDOVER_TEXT]
    assert _status(store, conversation_id)[0] == ConversationStatus.waiting


async def test_give_up_step_without_a_row_only_apologises(
    store: Store, dispatcher: CollectingDispatcher
) -> None:
    conversation_id = _conversation(store)
    tracker = _tracker([_user("show me lamps", "ask_category", 0.2)])

    await ActionDefaultFallback().run(dispatcher, tracker, {})

    assert dispatcher.messages[0]["response"] == "utter_default"
    assert _status(store, conversation_id)[0] == ConversationStatus.bot
