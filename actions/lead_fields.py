"""The lead form's questions: which slot, how its answer is parsed, and an example.

Slot values are what the lead stores: plain strings and numbers, and the budget and
timeline as dicts (`Budget.as_dict()`, `Timeline.as_dict()`).
"""

from __future__ import annotations

import re

from actions.form_base import FieldSpec, ParseContext, Parsed
from actions.lead_parsing import (
    Authority,
    check_email,
    parse_authority,
    parse_budget,
    parse_company,
    parse_name,
    parse_team_size,
    parse_timeline,
)
from actions.lead_parsing.people import is_private_customer

# The company answer of a customer buying for themselves: the slot must hold something,
# or the form would ask again.
PRIVATE_CUSTOMER = "private customer"
MAX_NEED_CHARS = 1000
CONSENT_WORDING = (
    "May we send you occasional emails with offers and news from Example Shop? "
    "You can unsubscribe at any time."
)
_YES = re.compile(r"^\s*(yes|yeah|yep|sure|ok|okay|of course|please do|fine|y|go ahead)\b", re.I)
_NO = re.compile(r"^\s*(no|nope|nah|n|no thanks|don'?t|do not|never)\b", re.I)
_PHONE = re.compile(r"^\+?[\d\s().-]{6,24}$")


def _need(text: str, context: ParseContext) -> Parsed:
    need = " ".join(text.split())[:MAX_NEED_CHARS]
    if len(need) < 3:
        return Parsed(problem="Could you tell me a little more?")
    return Parsed(value=need)


def _company(text: str, context: ParseContext) -> Parsed:
    if is_private_customer(text):
        # Buying for themselves: one person, who decides.
        extra = {
            "lead_team_size": 1,
            "lead_role": {"title": "private customer", "authority": Authority.decision_maker},
        }
        return Parsed(value=PRIVATE_CUSTOMER, extra=extra)
    company = parse_company(text)
    if company is None:
        return Parsed(problem="Sorry, I didn't catch the company name.")
    return Parsed(value=company)


def _team_size(text: str, context: ParseContext) -> Parsed:
    size = parse_team_size(text)
    if size is None:
        return Parsed(problem="Sorry, I couldn't read a number of people in that.")
    return Parsed(value=size)


def _role(text: str, context: ParseContext) -> Parsed:
    title = " ".join(text.split())[:200]
    if len(title) < 2:
        return Parsed(problem="Sorry, I didn't catch your role.")
    return Parsed(value={"title": title, "authority": parse_authority(title).value})


def _budget(text: str, context: ParseContext) -> Parsed:
    budget = parse_budget(text)
    if budget is None:
        return Parsed(problem="Sorry, I couldn't read an amount in that.")
    return Parsed(value=budget.as_dict())


def _timeline(text: str, context: ParseContext) -> Parsed:
    timeline = parse_timeline(text, today=context.today)
    if timeline is None:
        return Parsed(problem="Sorry, I couldn't tell when from that.")
    return Parsed(value=timeline.as_dict())


def _name(text: str, context: ParseContext) -> Parsed:
    name = parse_name(text)
    if name is None:
        return Parsed(problem="Sorry, that doesn't look like a name to me.")
    return Parsed(value=name)


def _email(text: str, context: ParseContext) -> Parsed:
    checked = check_email(text)
    if not checked.is_valid:
        return Parsed(problem=checked.problem)
    return Parsed(value={"address": checked.address, "kind": str(checked.kind)})


def _phone(text: str, context: ParseContext) -> Parsed:
    candidate = text.strip()
    digits = re.sub(r"\D", "", candidate)
    if not _PHONE.match(candidate) or not 6 <= len(digits) <= 15:
        return Parsed(problem="Sorry, that doesn't look like a phone number.")
    return Parsed(value=candidate)


def _consent(text: str, context: ParseContext) -> Parsed:
    if context.intent == "affirm" or _YES.match(text):
        return Parsed(value=True)
    if context.intent == "deny" or _NO.match(text):
        return Parsed(value=False)
    return Parsed(problem="Please answer yes or no.")


LEAD_FIELDS: dict[str, FieldSpec] = {
    spec.slot: spec
    for spec in (
        FieldSpec("lead_need", _need, "20 desk lamps for our new office", structured=False),
        FieldSpec("lead_company", _company, "Acme Design Ltd", structured=False),
        FieldSpec("lead_team_size", _team_size, "about 25 people"),
        FieldSpec("lead_role", _role, "office manager", structured=False),
        FieldSpec("lead_budget", _budget, "around €2,000", structured=True),
        FieldSpec("lead_timeline", _timeline, "next month"),
        FieldSpec("lead_name", _name, "Ann Lee"),
        FieldSpec("lead_email", _email, "ann@acme-design.com"),
        FieldSpec("lead_phone", _phone, "+49 30 1234 5678"),
        FieldSpec("lead_consent", _consent, "yes"),
    )
}
