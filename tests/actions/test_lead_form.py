"""The lead form's actions: reading answers, interruptions, skips, known fields, drafts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.form_base import SKIPPED
from actions.lead_fields import PRIVATE_CUSTOMER
from actions.lead_form import ActionStartLeadForm, ActionStopLeadForm, ValidateLeadForm
from actions.lead_questions import ActionAskLeadBudget, ActionAskLeadConsent
from actions.services import Store
from crm_bridge import consents, leads
from crm_bridge.enums import ConsentKind, LeadStatus
from tests.actions.conftest import SENDER, TrackerFactory
from tests.utils.factories import make_contact, make_conversation

DOMAIN: dict[str, Any] = {
    "forms": {"lead_form": {"required_slots": ["lead_need", "lead_budget", "lead_consent"]}},
    "slots": {},
}


@pytest.fixture(autouse=True)
def _isolated_store(store: Store) -> Store:
    """Every test runs against its own store (senders unknown to it are not recorded)."""
    return store


class _FixedDayForm(ValidateLeadForm):
    def today(self) -> date:
        return date(2026, 11, 23)


def _events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event.get("value") for event in events if event["event"] == "slot"}


async def _validate(tracker_factory: TrackerFactory, text: str, intent: str, **slots: Any) -> dict:
    tracker = tracker_factory(text, intent, slots={"lead_request": "quote", **slots})
    events = await _FixedDayForm().run(CollectingDispatcher(), tracker, DOMAIN)
    return _events(events)


async def test_validate_reads_a_budget_answer_into_its_slot(make_tracker: TrackerFactory) -> None:
    slots = await _validate(
        make_tracker, "around 5k a month", "nlu_fallback", requested_slot="lead_budget",
        lead_need="lamps", lead_company="Acme", lead_team_size=5,
        lead_role={"title": "CEO", "authority": "decision_maker"},
    )  # fmt: skip

    assert slots["lead_budget"] == {
        "min": 5000.0, "max": 5000.0, "currency": None, "period": "month", "no_budget": False
    }  # fmt: skip
    assert slots["lead_raw_answers"] == {"lead_budget": ["around 5k a month"]}
    assert slots["requested_slot"] == "lead_timeline"


async def test_validate_counts_a_failed_answer_and_asks_again(make_tracker: TrackerFactory) -> None:
    first = await _validate(make_tracker, "purple", "nlu_fallback", requested_slot="lead_budget")
    second = await _validate(
        make_tracker, "banana", "nlu_fallback", requested_slot="lead_budget",
        lead_attempts=first["lead_attempts"],
    )  # fmt: skip

    assert first["lead_budget"] is None
    assert second["lead_attempts"]["lead_budget"]["count"] == 2
    assert second["lead_budget"] is None


async def test_ask_shows_an_example_and_skip_after_two_failures(
    make_tracker: TrackerFactory,
) -> None:
    failures = {"lead_budget": {"count": 2, "problem": "Sorry, I couldn't read an amount."}}
    tracker = make_tracker("x", "nlu_fallback", slots={"lead_attempts": failures})
    dispatcher = CollectingDispatcher()

    await ActionAskLeadBudget().run(dispatcher, tracker, {})

    (message,) = dispatcher.messages
    assert "around €2,000" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/skip_question"]


async def test_ask_consent_offers_yes_and_no(make_tracker: TrackerFactory) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAskLeadConsent().run(dispatcher, make_tracker("x", "nlu_fallback"), {})
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny"]


async def test_validate_skips_a_question_on_request(make_tracker: TrackerFactory) -> None:
    slots = await _validate(make_tracker, "skip", "skip_question", requested_slot="lead_budget")
    assert slots["lead_budget"] == SKIPPED


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("how much does shipping cost?", "faq", 0.99),
        ("do you ship to norway", "faq", 0.95),
        ("what's the price of the brass lamp", "ask_price", 0.9),
        ("stop", "stop_form", 0.99),
        ("talk to a human", "request_human", 0.99),
    ],
)
async def test_validate_leaves_questions_and_stop_to_the_rules(
    make_tracker: TrackerFactory, text: str, intent: str, confidence: float
) -> None:
    tracker = make_tracker(text, intent, confidence=confidence,
                           slots={"requested_slot": "lead_budget"})  # fmt: skip
    events = await _FixedDayForm().run(CollectingDispatcher(), tracker, DOMAIN)
    # Nothing but the requested slot itself: Rasa rejects the form and the rules answer.
    assert set(_events(events)) <= {"requested_slot"}


async def test_validate_takes_a_product_need_even_if_it_sounds_like_a_category(
    make_tracker: TrackerFactory,
) -> None:
    slots = await _validate(
        make_tracker, "60 ceramic lanterns for our terrace", "ask_category",
        requested_slot="lead_need",
    )  # fmt: skip
    assert slots["lead_need"] == "60 ceramic lanterns for our terrace"


async def test_validate_a_private_customer_skips_team_and_role(
    make_tracker: TrackerFactory,
) -> None:
    slots = await _validate(make_tracker, "just me", "nlu_fallback", requested_slot="lead_company")
    assert slots["lead_company"] == PRIVATE_CUSTOMER
    assert slots["lead_team_size"] == 1
    assert slots["lead_role"]["authority"] == "decision_maker"


async def test_validate_ignores_text_that_an_interruption_already_answered(
    make_tracker: TrackerFactory,
) -> None:
    tracker = make_tracker("how much is shipping?", "faq", slots={"requested_slot": "lead_need"})
    tracker.events.append({"event": "action", "name": "utter_faq"})
    tracker.events.append({"event": "action", "name": "lead_form"})
    events = await _FixedDayForm().run(CollectingDispatcher(), tracker, DOMAIN)
    assert "lead_need" not in _events(events)


async def test_validate_keeps_the_answers_on_a_draft_lead(
    store: Store, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        make_conversation(session, session_key=SENDER)

    slots = await _validate(
        make_tracker, "20 lamps for the office", "nlu_fallback", requested_slot="lead_need"
    )

    with store.transaction() as session:
        draft = leads.get_lead(session, slots["lead_id"])
        assert draft is not None and draft.status == LeadStatus.draft
        assert draft.data["need"] == "20 lamps for the office"
        assert draft.raw_answers == {"lead_need": ["20 lamps for the office"]}


async def _start(make_tracker: TrackerFactory, text: str, intent: str) -> tuple[dict, list]:
    dispatcher = CollectingDispatcher()
    events = await ActionStartLeadForm().run(dispatcher, make_tracker(text, intent), {})
    return _events(events), [message["text"] for message in dispatcher.messages]


async def test_start_fills_in_what_the_store_knows(
    store: Store, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        contact = make_contact(session, name="Ann Lee", email="ann@acme-design.com")
        make_conversation(session, contact=contact, session_key=SENDER)
        consents.record_consent(session, contact_id=contact.id, kind=ConsentKind.marketing,
                                granted=False, wording="offers?")  # fmt: skip
        finished = leads.create_lead(
            session, contact_id=contact.id, conversation_id=None, channel="web",
            data={"company": "Acme Design", "team_size": 12, "role": "CEO",
                  "authority": "decision_maker", "need": "an old need"},
        )  # fmt: skip
        leads.set_lead_status(session, finished, LeadStatus.qualified)

    slots, texts = await _start(make_tracker, "can I book a demo", "request_demo")

    assert slots["lead_request"] == "demo"
    assert slots["lead_name"] == "Ann Lee"
    assert slots["lead_email"] == {"address": "ann@acme-design.com", "kind": "business"}
    assert slots["lead_company"] == "Acme Design"
    assert slots["lead_team_size"] == 12
    assert slots["lead_consent"] is False
    assert slots["lead_need"] is None  # a new lead, a new need
    assert texts[0].startswith("Happy to set up a demo")


async def test_stop_then_start_resumes_where_the_form_stopped(
    store: Store, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        make_conversation(session, session_key=SENDER)
    answered = {
        "lead_request": "quote",
        "lead_need": "50 mugs",
        "lead_budget": {"min": 500.0, "max": 500.0, "currency": "EUR", "period": None,
                        "no_budget": False},
        "lead_raw_answers": {"lead_need": ["50 mugs"], "lead_budget": ["500 euros"]},
    }  # fmt: skip
    dispatcher = CollectingDispatcher()
    stop_events = await ActionStopLeadForm().run(
        dispatcher, make_tracker("stop", "stop_form", slots=answered), {}
    )

    with store.transaction() as session:
        (stopped,) = leads.list_leads(session, status=LeadStatus.abandoned)
        assert stopped.data["need"] == "50 mugs"
    assert {"event": "active_loop", "name": None, "timestamp": None} in stop_events
    assert "kept what you told me" in dispatcher.messages[0]["text"]

    slots, texts = await _start(make_tracker, "I'd like that quote", "request_quote")

    assert texts == ["Welcome back! Let's pick up where we left off."]
    assert slots["lead_need"] == "50 mugs"
    assert slots["lead_budget"]["min"] == 500.0
    assert slots["lead_id"] == stopped.id
    assert slots["lead_raw_answers"]["lead_budget"] == ["500 euros"]


async def test_start_for_an_unknown_sender_still_starts_the_form(
    store: Store, make_tracker: TrackerFactory
) -> None:
    slots, texts = await _start(make_tracker, "we need 40 lamps", "tell_need")
    assert slots["lead_need"] == "we need 40 lamps"
    assert texts[0].startswith("Happy to put a quote together")


async def test_a_form_stopped_in_an_earlier_conversation_resumes_in_a_new_one(
    store: Store, make_tracker: TrackerFactory
) -> None:
    """Telegram keeps the contact across sessions: the next conversation picks it up."""
    with store.transaction() as session:
        contact = make_contact(session)
        earlier = make_conversation(session, contact=contact)
        make_conversation(session, contact=contact, session_key=SENDER)
        draft = leads.save_draft(
            session, lead_id=None, contact_id=contact.id, conversation_id=earlier.id,
            channel="telegram", data={"request": "demo", "need": "a sample box"},
            raw_answers={"lead_need": ["a sample box"]},
        )  # fmt: skip
        leads.mark_abandoned(session, draft)

    slots, texts = await _start(make_tracker, "can we do that demo now", "request_demo")

    assert texts == ["Welcome back! Let's pick up where we left off."]
    assert slots["lead_need"] == "a sample box" and slots["lead_id"] == draft.id
