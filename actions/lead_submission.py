"""Saving a finished lead form: the lead with its score, and what follows from it.

In one transaction: the contact gets the name, email and phone given (an email another
contact has merges the two), a consent answer given in the form is recorded with its
wording, the lead is scored from its answers and the conversation's engagement and
saved as `qualified`, the confirmation email and the webhook post are queued in the
outboxes, and a hot lead gets a hand-over to staff. The customer is then told what
happens next; a hot lead is offered call-back or demo slots.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions.appointments import offered_slots, slot_buttons
from actions.lead_data import ALL_LEAD_SLOTS, data_from_slots
from actions.lead_fields import CONSENT_WORDING
from actions.lead_store import remember_contact_details
from actions.services import Store, get_mail_settings, get_store
from actions.settings import LeadSettings, get_lead_settings
from crm_bridge import consents, conversations, handovers, leads, webhooks
from crm_bridge.enums import ConsentKind
from crm_bridge.errors import StoreUnavailable
from crm_bridge.lead_history import engagement_for
from crm_bridge.models import Contact, Lead
from crm_bridge.settings import StoreSettings, WebhookSettings
from mailer.outbox import enqueue_lead_confirmation
from mailer.settings import MailSettings
from marketing.lead_scoring import GradeThresholds, ScorerLoader, lead_features, score_lead

logger = logging.getLogger(__name__)

WEBHOOK_EVENT = "lead.qualified"
SCORER_FOLDER = "lead_scoring"
SCORER_CHECK_SECONDS = 30.0
STORE_DOWN_TEXT = (
    "Sorry, I couldn't save your request just now. Your answers are kept: say \"get a "
    "quote\" again in a minute and I'll send it, or email sales@example-shop.com."
)


@dataclass(frozen=True)
class SubmittedLead:
    """What the customer is told about: the lead's id, grade and contact details."""

    lead_id: int
    grade: str
    is_hot: bool
    name: str | None
    email: str | None
    request: str


@functools.cache
def get_scorer_loader() -> ScorerLoader:
    """The process-wide scoring model loader (follows newly trained versions)."""
    root = StoreSettings().data_dir.resolve() / SCORER_FOLDER
    return ScorerLoader(root, check_interval=SCORER_CHECK_SECONDS)


def lead_payload(lead: Lead, contact: Contact) -> dict[str, Any]:
    """The webhook body: the lead with every field, its score and its contact."""
    return {
        "event": WEBHOOK_EVENT,
        "lead": {
            "id": lead.id,
            "status": str(lead.status),
            "channel": str(lead.channel),
            "conversation_id": lead.conversation_id,
            "score": lead.score,
            "grade": lead.grade,
            "score_reasons": list(lead.score_reasons or []),
            "scored_by": lead.scored_by,
            "data": lead.data,
            "raw_answers": lead.raw_answers,
            "qualified_at": lead.qualified_at.isoformat() if lead.qualified_at else None,
        },
        "contact": {"id": contact.id, "name": contact.name, "email": contact.email},
    }


def submit_lead(
    store: Store,
    *,
    session_key: str,
    slots: dict[str, Any],
    today: date,
    settings: LeadSettings,
    webhook_settings: WebhookSettings,
    mail_settings: MailSettings | None,
) -> SubmittedLead | None:
    """Save and score the finished form (None for a sender the store does not know)."""
    scorer = get_scorer_loader().get()
    thresholds = GradeThresholds(*settings.lead_grade_thresholds)

    def write(session: Session) -> SubmittedLead | None:
        conversation = conversations.get_by_session_key(session, session_key)
        if conversation is None:
            return None
        data = data_from_slots(slots)
        raw_answers = slots.get("lead_raw_answers") or {}
        contact_id = remember_contact_details(
            session, contact_id=conversation.contact_id, data=data
        )
        if "lead_consent" in raw_answers and data.get("marketing_consent") is not None:
            consents.record_consent(
                session,
                contact_id=contact_id,
                kind=ConsentKind.marketing,
                granted=data["marketing_consent"],
                wording=CONSENT_WORDING,
                channel=conversation.channel,
            )
        data["engagement"] = engagement_for(
            session, contact_id=contact_id, conversation_id=conversation.id
        )
        score = score_lead(scorer, lead_features(data, as_of=today), thresholds)
        lead = leads.save_draft(
            session,
            lead_id=slots.get("lead_id"),
            contact_id=contact_id,
            conversation_id=conversation.id,
            channel=conversation.channel,
            data=data,
            raw_answers=raw_answers,
        )
        leads.qualify(
            session,
            lead,
            data=data,
            raw_answers=raw_answers,
            score=score.probability,
            grade=score.grade,
            reasons=score.reasons,
            scored_by=score.scored_by,
        )
        if webhook_settings.enabled:
            webhooks.enqueue(
                session,
                event=WEBHOOK_EVENT,
                url=str(webhook_settings.lead_webhook_url),
                payload=lead_payload(lead, session.get_one(Contact, contact_id)),
                lead_id=lead.id,
            )
        if data.get("email") and mail_settings is not None:
            enqueue_lead_confirmation(session, lead=lead, settings=mail_settings)
        is_hot = score.grade in settings.lead_hot_grades
        if is_hot:
            handovers.request_handover(
                session,
                conversation_id=conversation.id,
                reason=f"Hot lead #{lead.id} (grade {score.grade}): {data.get('need', '')}"[:500],
            )
        return SubmittedLead(
            lead_id=lead.id,
            grade=score.grade,
            is_hot=is_hot,
            name=data.get("name"),
            email=data.get("email"),
            request=data.get("request", "quote"),
        )

    return store.run(write)


class ActionSubmitLead(Action):
    """After the form: save, score and route the lead, and tell the customer what's next."""

    def name(self) -> str:
        return "action_submit_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        settings = get_lead_settings()
        now = datetime.now(ZoneInfo(settings.lead_timezone))
        try:
            submitted = await asyncio.to_thread(
                submit_lead,
                get_store(),
                session_key=tracker.sender_id,
                slots=dict(tracker.slots),
                today=now.date(),
                settings=settings,
                webhook_settings=WebhookSettings(),
                mail_settings=get_mail_settings(),
            )
        except (SQLAlchemyError, StoreUnavailable):
            logger.exception("Could not save the lead of %s.", tracker.sender_id)
            dispatcher.utter_message(text=STORE_DOWN_TEXT)
            return []
        if submitted is None:
            logger.warning("Lead form of %s finished without a conversation in the store.",
                           tracker.sender_id)  # fmt: skip
            dispatcher.utter_message(text=thanks_text(None))
        elif submitted.is_hot:
            dispatcher.utter_message(
                text=hot_lead_text(submitted),
                buttons=slot_buttons(offered_slots(now, settings)),
            )
        else:
            dispatcher.utter_message(text=thanks_text(submitted))
        return [SlotSet(slot, None) for slot in ALL_LEAD_SLOTS]


def thanks_text(submitted: SubmittedLead | None) -> str:
    """What a lead that is not hot hears: thanks, and when to expect an answer."""
    name = f", {submitted.name}" if submitted and submitted.name else ""
    if submitted and submitted.email:
        follow_up = f"Our sales team will email you at {submitted.email} within one working day"
    else:
        follow_up = "Our sales team will get back to you in this chat within one working day"
    return f"Thank you{name}! I've passed your request to our sales team. {follow_up}."


def hot_lead_text(submitted: SubmittedLead) -> str:
    """What a hot lead hears: a person is on the way, and a slot to pick now."""
    name = f", {submitted.name}" if submitted.name else ""
    what = "a demo" if submitted.request == "demo" else "a call with our sales team"
    return (
        f"Thank you{name}! This sounds like a great fit, so I've asked a colleague from "
        f"sales to join this chat. If you prefer, pick a time for {what}:"
    )
