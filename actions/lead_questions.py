"""The lead form's questions, one action per field (`action_ask_<slot>`)."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.form_base import AskFieldAction
from actions.formatting import Button, button
from actions.lead_fields import CONSENT_WORDING, LEAD_FIELDS, PRIVATE_CUSTOMER

NEED_QUESTIONS = {
    "quote": "What would you like a quote for? Tell me the products, rough quantities "
    "and what they're for.",
    "demo": "What would you like to see in the demo?",
    "callback": "What would you like to talk about on the call?",
}


class _LeadQuestion(AskFieldAction):
    """A lead form question; the example comes from the field's spec."""

    attempts_slot = "lead_attempts"
    text: str = ""

    def question(self, tracker: Tracker) -> str:
        return self.text

    def example(self) -> str:
        return LEAD_FIELDS[self.slot].example


class ActionAskLeadNeed(_LeadQuestion):
    slot = "lead_need"

    def question(self, tracker: Tracker) -> str:
        return NEED_QUESTIONS.get(
            tracker.get_slot("lead_request") or "quote", NEED_QUESTIONS["quote"]
        )


class ActionAskLeadCompany(_LeadQuestion):
    slot = "lead_company"
    text = "Which company are you with? (If you're buying for yourself, just say so.)"


class ActionAskLeadTeamSize(_LeadQuestion):
    slot = "lead_team_size"

    def question(self, tracker: Tracker) -> str:
        company = tracker.get_slot("lead_company")
        if isinstance(company, str) and company not in (PRIVATE_CUSTOMER, "skipped"):
            return f"How many people work at {company}?"
        return "How many people are in your team?"


class ActionAskLeadRole(_LeadQuestion):
    slot = "lead_role"
    text = "What's your role there?"


class ActionAskLeadBudget(_LeadQuestion):
    slot = "lead_budget"
    text = (
        "Do you have a budget in mind? A rough figure or a range is fine, or tell me if "
        "there's no budget yet."
    )


class ActionAskLeadTimeline(_LeadQuestion):
    slot = "lead_timeline"
    text = (
        'When would you like to have it? For example "as soon as possible", "next month" '
        'or "just looking".'
    )


class ActionAskLeadName(_LeadQuestion):
    slot = "lead_name"
    text = "Who should our team ask for? Your name, please."


class ActionAskLeadEmail(_LeadQuestion):
    slot = "lead_email"
    text = "What's the best email address to reach you?"


class ActionAskLeadPhone(_LeadQuestion):
    slot = "lead_phone"
    text = "Which phone number should we call?"


class ActionAskLeadConsent(_LeadQuestion):
    slot = "lead_consent"
    text = CONSENT_WORDING

    def buttons(self, tracker: Tracker) -> list[Button]:
        return [button("Yes, please", "/affirm"), button("No, thanks", "/deny")]
