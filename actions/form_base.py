"""Shared behaviour of forms whose answers are free text read by a parser.

How to write such a form: subclass `ParsedFieldsForm`, give `fields` (one `FieldSpec`
per slot, in the order asked) and the form's `name()`; write one `AskFieldAction` per
slot for the questions. Each customer message while a slot is requested becomes one of:

- an **answer**: the field's parser read it; the parsed value fills the slot;
- a **failed attempt**: the parser could not; the count and the parser's reason go to
  the `attempts` slot, and the question is asked again, with an example and a "Skip"
  button after `MAX_FAILED_ATTEMPTS`;
- a **skip**: "skip", "I'd rather not say" or the Skip button; the slot gets `SKIPPED`;
- an **interruption**: a question (an FAQ, a price) or "stop"; nothing is filled, so the
  form rejects and Rasa's rules answer it, after which the form asks again.

Every answer, failed or not, is kept verbatim in the `raw_answers` slot.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.formatting import Button, button

SKIPPED = "skipped"
MAX_FAILED_ATTEMPTS = 2
MAX_RAW_ANSWER_CHARS = 1000
REQUESTED_SLOT = "requested_slot"
SKIP_BUTTON: Button = button("Skip this question", "/skip_question")

# Always leave the question to the rules: "stop" and "talk to a person".
ALWAYS_INTERRUPT = frozenset({"stop_form", "request_human"})
# Questions the rules answer mid-form, when the text does not answer the field.
QUESTION_INTENTS = frozenset(
    {"faq", "ask_price", "ask_stock", "ask_category", "ask_recommendation", "bot_challenge"}
)
SKIP_INTENT = "skip_question"
# A sure classifier and no answer in the text: a question without a question mark.
CONFIDENT = 0.8
_QUESTION_START = re.compile(
    r"^(how|what|which|where|when|why|who|do|does|did|can|could|is|are|will|would|should|"
    r"may|have|has)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Parsed:
    """A parser's verdict: a `value` (with `extra` slots it implies), or a `problem`."""

    value: Any = None
    problem: str | None = None
    extra: dict[str, Any] | None = None


@dataclass(frozen=True)
class ParseContext:
    """What a parser may need besides the text."""

    today: date
    intent: str | None
    slots: dict[str, Any]


Parser = Callable[[str, ParseContext], Parsed]


@dataclass(frozen=True)
class FieldSpec:
    """One question of a form.

    `structured` parsers can fail (a budget, an email); for them a confident question
    intent on unreadable text is an interruption. Free-text fields (a need, a company)
    take any text that is not phrased as a question.
    """

    slot: str
    parse: Parser
    example: str
    structured: bool = True


def looks_like_question(text: str) -> bool:
    """ "Do you ship to Norway", "what's the price?": phrased as a question."""
    stripped = text.strip()
    return stripped.endswith("?") or bool(_QUESTION_START.match(stripped))


# Actions that run between a customer's message and the form reading it.
_BOOKKEEPING_ACTIONS = frozenset({"action_extract_slots", "action_listen"})


def answered_text(tracker: Tracker, form_name: str) -> str | None:
    """The customer's latest text when the form is reading it as an answer; None when
    the form runs again after a rule answered that text (an FAQ in the middle).

    Rasa hands the validation action a copy of the tracker that ends with the form's own
    `ActionExecuted`, so the test is whether any other action ran since the message.
    """
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            return event.get("text") or ""
        if kind == "action" and event.get("name") not in _BOOKKEEPING_ACTIONS | {form_name}:
            return None
    return None


class ParsedFieldsForm(FormValidationAction, ABC):
    """Validation action of a form whose fields are parsed from free text (see module)."""

    attempts_slot = "form_attempts"
    raw_answers_slot = "form_raw_answers"

    @property
    @abstractmethod
    def fields(self) -> dict[str, FieldSpec]:
        """Field specs by slot name."""

    def today(self) -> date:
        """The date timelines are counted from (a method, so tests can fix it)."""
        return date.today()

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Read the requested field from the customer's latest text (see module)."""
        requested = tracker.get_slot(REQUESTED_SLOT)
        text = answered_text(tracker, self.form_name())
        if requested not in self.fields or text is None:
            return []
        spec = self.fields[requested]
        intent, confidence = _intent(tracker)
        if intent in ALWAYS_INTERRUPT:
            return []
        raw_answers = _append_raw(tracker.get_slot(self.raw_answers_slot), requested, text)
        attempts = dict(tracker.get_slot(self.attempts_slot) or {})
        if intent == SKIP_INTENT:
            attempts.pop(requested, None)
            return [
                SlotSet(requested, SKIPPED),
                SlotSet(self.raw_answers_slot, raw_answers),
                SlotSet(self.attempts_slot, attempts),
            ]
        context = ParseContext(today=self.today(), intent=intent, slots=dict(tracker.slots))
        parsed = spec.parse(text, context)
        if intent in QUESTION_INTENTS and _is_interruption(spec, parsed, text, confidence):
            return []
        events: list[dict[str, Any]] = [SlotSet(self.raw_answers_slot, raw_answers)]
        if parsed.problem is not None:
            failures = int((attempts.get(requested) or {}).get("count", 0)) + 1
            attempts[requested] = {"count": failures, "problem": parsed.problem}
            events += [SlotSet(requested, None), SlotSet(self.attempts_slot, attempts)]
            return events
        attempts.pop(requested, None)
        events += [SlotSet(requested, parsed.value), SlotSet(self.attempts_slot, attempts)]
        events += [SlotSet(slot, value) for slot, value in (parsed.extra or {}).items()]
        return events

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Values were checked while extracting; pass on what this turn set."""
        return [SlotSet(slot, value) for slot, value in tracker.slots_to_validate().items()]


def _is_interruption(spec: FieldSpec, parsed: Parsed, text: str, confidence: float) -> bool:
    """A question-intent message that does not answer the field: leave it to the rules."""
    if looks_like_question(text):
        return parsed.problem is not None or not spec.structured
    return parsed.problem is not None and spec.structured and confidence >= CONFIDENT


def _intent(tracker: Tracker) -> tuple[str | None, float]:
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def _append_raw(current: Any, slot: str, text: str) -> dict[str, list[str]]:
    raw = {key: list(values) for key, values in (current or {}).items()}
    raw.setdefault(slot, []).append(text[:MAX_RAW_ANSWER_CHARS])
    return raw


class AskFieldAction(Action, ABC):
    """Asks for one field: the question, again with the reason after a failed answer,
    and with an example and a Skip button once the customer failed twice."""

    attempts_slot = "form_attempts"

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot asked for (a class attribute in subclasses)."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    @abstractmethod
    def question(self, tracker: Tracker) -> str:
        """The question as first asked."""

    def buttons(self, tracker: Tracker) -> list[Button]:
        """Buttons shown with the question (none by default)."""
        return []

    @abstractmethod
    def example(self) -> str:
        """An answer that would work, shown after repeated failures."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        failure = (tracker.get_slot(self.attempts_slot) or {}).get(self.slot) or {}
        count = int(failure.get("count", 0))
        buttons = self.buttons(tracker)
        if count == 0:
            text = self.question(tracker)
        elif count < MAX_FAILED_ATTEMPTS:
            problem = failure.get("problem") or "Sorry, I could not read that."
            text = f"{problem} {self.question(tracker)}"
        else:
            text = (
                f"{failure.get('problem') or 'Sorry, I still could not read that.'} "
                f'An answer like "{self.example()}" works, or you can skip this question.'
            )
            buttons = [*buttons, SKIP_BUTTON]
        dispatcher.utter_message(text=text, buttons=buttons or None)
        return []
