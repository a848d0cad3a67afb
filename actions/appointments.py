"""Call-back and demo slots offered to a hot lead, and booking the one they pick.

Slots are the next working days (Monday to Friday) at the configured hours in the
shop's time zone, at least `MIN_NOTICE` from now. A button sends the slot as an ISO
time, which is checked against the slots on offer before anything is stored, so a
hand-typed payload cannot book 3 am or last year.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions.formatting import Button, button
from actions.services import Store, get_store
from actions.settings import LeadSettings, get_lead_settings
from crm_bridge import conversations
from crm_bridge.enums import LeadStatus
from crm_bridge.errors import StoreUnavailable
from crm_bridge.models import Lead

logger = logging.getLogger(__name__)

MIN_NOTICE = timedelta(hours=2)
SEARCH_DAYS = 14
ENTITY = "appointment"
NO_LEAD_TEXT = (
    'I can book a call or a demo once I know what you\'re looking for. Say "get a quote", '
    '"book a demo" or "call me back" to start.'
)
PICK_TEXT = "Please pick one of these times:"
STORE_DOWN_TEXT = (
    "Sorry, I couldn't book that just now. Our team has your details and will suggest a "
    "time by email."
)


def offered_slots(now: datetime, settings: LeadSettings) -> list[datetime]:
    """The next bookable times, earliest first (aware datetimes in the shop's zone)."""
    zone = ZoneInfo(settings.lead_timezone)
    local_now = now.astimezone(zone)
    slots: list[datetime] = []
    for day in range(SEARCH_DAYS):
        date = (local_now + timedelta(days=day)).date()
        if date.weekday() >= 5:
            continue
        for hour in settings.lead_slot_hours:
            slot = datetime(date.year, date.month, date.day, hour, tzinfo=zone)
            if slot - local_now >= MIN_NOTICE:
                slots.append(slot)
            if len(slots) == settings.lead_slots_offered:
                return slots
    return slots


def slot_buttons(slots: list[datetime]) -> list[Button]:
    """One button per slot, e.g. "Tue 24 Nov, 10:00"."""
    return [
        button(
            slot.strftime("%a %d %b, %H:%M"),
            f'/book_appointment{{"{ENTITY}": "{slot.isoformat()}"}}',
        )
        for slot in slots
    ]


def chosen_slot(value: Any, now: datetime, settings: LeadSettings) -> datetime | None:
    """The slot a payload names, if it is one still on offer."""
    try:
        picked = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if picked.tzinfo is None:
        return None
    offered = {slot.astimezone(ZoneInfo("UTC")) for slot in offered_slots(now, settings)}
    return picked if picked.astimezone(ZoneInfo("UTC")) in offered else None


def _latest_qualified(session: Session, session_key: str) -> Lead | None:
    conversation = conversations.get_by_session_key(session, session_key)
    if conversation is None:
        return None
    statement = (
        sa.select(Lead)
        .where(Lead.conversation_id == conversation.id, Lead.status == LeadStatus.qualified)
        .order_by(Lead.id.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


def book(store: Store, *, session_key: str, slot: datetime | None) -> Lead | None:
    """Store the picked slot on the conversation's newest qualified lead (returns it)."""

    def write(session: Session) -> Lead | None:
        lead = _latest_qualified(session, session_key)
        if lead is None or slot is None:
            return lead
        kind = "demo" if lead.data.get("request") == "demo" else "call"
        lead.data = {**lead.data, "appointment": {"at": slot.isoformat(), "kind": kind}}
        session.flush()
        session.expunge(lead)
        return lead

    return store.run(write)


class ActionBookAppointment(Action):
    """Books the call back or demo slot a hot lead picked from the offered buttons."""

    def name(self) -> str:
        return "action_book_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        settings = get_lead_settings()
        now = datetime.now(ZoneInfo("UTC"))
        value = next(tracker.get_latest_entity_values(ENTITY), None)
        slot = chosen_slot(value, now, settings) if value is not None else None
        try:
            lead = await asyncio.to_thread(
                book, get_store(), session_key=tracker.sender_id, slot=slot
            )
        except (SQLAlchemyError, StoreUnavailable):
            logger.exception("Could not book a slot for %s.", tracker.sender_id)
            dispatcher.utter_message(text=STORE_DOWN_TEXT)
            return []
        if lead is None:
            dispatcher.utter_message(text=NO_LEAD_TEXT)
        elif slot is None:
            prefix = "That time is no longer available. " if value is not None else ""
            dispatcher.utter_message(
                text=prefix + PICK_TEXT, buttons=slot_buttons(offered_slots(now, settings))
            )
        else:
            dispatcher.utter_message(text=confirmation(lead, slot, settings))
        return []


def confirmation(lead: Lead, slot: datetime, settings: LeadSettings) -> str:
    """ "Booked: ..." with how the team will get in touch."""
    when = slot.strftime("%A %d %B at %H:%M")
    zone = settings.lead_timezone
    if lead.data.get("request") == "demo":
        how = f"We'll send the demo invitation to {lead.data.get('email') or 'you'}."
    elif lead.data.get("phone"):
        how = f"We'll call you on {lead.data['phone']}."
    else:
        how = "We'll call you on the number you gave us, or email you a link."
    return f"Booked: {when} ({zone}). {how}"
