"""The lead form: starting (or resuming) it, reading the answers, asking, stopping.

`action_start_lead_form` runs before the form: it notes what was asked for (a quote, a
demo, a call back) and fills what the CRM store already knows, so those questions are
skipped; a form stopped earlier resumes with its answers. `validate_lead_form` reads
each answer (see `actions.form_base`) and keeps the answers so far on a draft lead, so
nothing is lost if the customer leaves. "Stop" keeps them as an abandoned lead.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.form_base import REQUESTED_SLOT, FieldSpec, ParsedFieldsForm
from actions.lead_data import ALL_LEAD_SLOTS, FIELD_SLOTS, REQUEST_SLOT, REQUESTS
from actions.lead_fields import LEAD_FIELDS
from actions.lead_store import KnownFields, abandon, known_fields, save_draft
from actions.services import get_store
from crm_bridge.errors import StoreUnavailable

logger = logging.getLogger(__name__)

STORE_ERRORS = (SQLAlchemyError, StoreUnavailable)
INTROS = {
    "quote": "Happy to put a quote together for you.",
    "demo": "Happy to set up a demo for you.",
    "callback": "Sure, I'll arrange a call back.",
}
QUESTIONS_NOTE = 'Just a few quick questions; say "stop" at any time and I\'ll keep your answers.'
RESUMED_TEXT = "Welcome back! Let's pick up where we left off."
STOPPED_TEXT = (
    "No problem, I've kept what you told me so far. Say \"get a quote\" whenever you'd "
    "like to continue."
)


class ValidateLeadForm(ParsedFieldsForm):
    """Reads the lead form's answers and keeps them on a draft lead."""

    attempts_slot = "lead_attempts"
    raw_answers_slot = "lead_raw_answers"

    def name(self) -> str:
        return "validate_lead_form"

    @property
    def fields(self) -> dict[str, FieldSpec]:
        return LEAD_FIELDS

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Every field in order; a phone number only when a call back was asked for."""
        wants_call = tracker.get_slot(REQUEST_SLOT) == "callback"
        return [slot for slot in FIELD_SLOTS if slot != "lead_phone" or wants_call]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        events = await super().run(dispatcher, tracker, domain)
        answered = any(event.get("name") in FIELD_SLOTS for event in events)
        if not answered:
            return events
        slots = {**tracker.slots, **{event["name"]: event.get("value") for event in events}}
        try:
            lead_id = await asyncio.to_thread(
                save_draft,
                get_store(),
                session_key=tracker.sender_id,
                lead_id=tracker.get_slot("lead_id"),
                slots=slots,
            )
        except STORE_ERRORS:
            # The answers stay in the slots; the next answer (or the submit) saves them.
            logger.exception("Could not save the lead draft of %s.", tracker.sender_id)
            return events
        return [*events, SlotSet("lead_id", lead_id)] if lead_id is not None else events


class ActionStartLeadForm(Action):
    """Before the form: what was asked for, and what is known already."""

    def name(self) -> str:
        return "action_start_lead_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        try:
            known = await asyncio.to_thread(
                known_fields, get_store(), session_key=tracker.sender_id
            )
        except STORE_ERRORS:
            logger.exception("Could not read what is known about %s.", tracker.sender_id)
            known = KnownFields(slots={})
        slots: dict[str, Any] = dict.fromkeys(ALL_LEAD_SLOTS)
        slots.update(known.slots)
        # Answers still in the tracker (a stop, or a submit the store refused) are newest.
        slots.update(_carried_over(tracker))
        slots["lead_id"] = known.resumed_lead_id
        slots["lead_attempts"] = {}
        slots["lead_raw_answers"] = known.raw_answers
        if intent in REQUESTS and (intent != "tell_need" or not slots.get(REQUEST_SLOT)):
            slots[REQUEST_SLOT] = REQUESTS[intent]
        if intent == "tell_need":
            slots["lead_need"] = (tracker.latest_message or {}).get("text")
        request = slots.get(REQUEST_SLOT) or "quote"
        slots[REQUEST_SLOT] = request
        if known.resumed_lead_id is not None or _carried_over(tracker):
            dispatcher.utter_message(text=RESUMED_TEXT)
        else:
            dispatcher.utter_message(text=f"{INTROS[request]} {QUESTIONS_NOTE}")
        return [SlotSet(slot, value) for slot, value in slots.items()] + [
            SlotSet(REQUESTED_SLOT, None)
        ]


def _carried_over(tracker: Tracker) -> dict[str, Any]:
    """Answers still in the tracker: the form was stopped, or its submit failed."""
    return {slot: tracker.get_slot(slot) for slot in FIELD_SLOTS if tracker.get_slot(slot)}


class ActionStopLeadForm(Action):
    """ "Stop" in the form: leave it, keeping the answers as an abandoned lead."""

    def name(self) -> str:
        return "action_stop_lead_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            await asyncio.to_thread(
                abandon,
                get_store(),
                session_key=tracker.sender_id,
                lead_id=tracker.get_slot("lead_id"),
                slots=dict(tracker.slots),
            )
        except STORE_ERRORS:
            logger.exception("Could not keep the stopped lead form of %s.", tracker.sender_id)
        dispatcher.utter_message(text=STOPPED_TEXT)
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
