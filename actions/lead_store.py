"""The lead form's reads and writes in the CRM store: what is known, drafts, stopping.

All functions find the conversation by its session key (the Rasa sender id). For a
sender the store does not know (`rasa shell`, a test sender) they do nothing and return
None or an empty result, so the form still works, unrecorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from actions.lead_data import company_details, data_from_slots, slots_from_data
from actions.lead_parsing import check_email
from actions.services import Store
from crm_bridge import consents, contacts, conversations, leads
from crm_bridge.enums import ConsentKind
from crm_bridge.models import Conversation


@dataclass(frozen=True)
class KnownFields:
    """Slots the form need not ask, and whether they come from a stopped form."""

    slots: dict[str, Any]
    resumed_lead_id: int | None = None
    raw_answers: dict[str, Any] = field(default_factory=dict)


def _conversation(session: Session, session_key: str) -> Conversation | None:
    return conversations.get_by_session_key(session, session_key)


def known_fields(store: Store, *, session_key: str) -> KnownFields:
    """What the store already knows for this customer's form.

    An unfinished form (in progress or stopped, in this or an earlier conversation) is
    resumed with its answers; otherwise the contact's name, email and phone, the company
    details of their last lead and a consent answer they already gave are filled in.
    """

    def read(session: Session) -> KnownFields:
        conversation = _conversation(session, session_key)
        if conversation is None:
            return KnownFields(slots={})
        contact = conversation.contact
        draft = leads.find_resumable(session, contact_id=contact.id)
        if draft is not None and draft.data:
            return KnownFields(
                slots=slots_from_data(draft.data),
                resumed_lead_id=draft.id,
                raw_answers=dict(draft.raw_answers or {}),
            )
        known: dict[str, Any] = {}
        finished = leads.latest_finished(session, contact_id=contact.id)
        if finished is not None:
            known.update(slots_from_data(company_details(finished.data)))
        if contact.name:
            known["lead_name"] = contact.name
        if contact.email:
            checked = check_email(contact.email)
            if checked.is_valid:
                known["lead_email"] = {"address": checked.address, "kind": str(checked.kind)}
        if contact.phone:
            known["lead_phone"] = contact.phone
        consent = consents.has_consent(session, contact_id=contact.id, kind=ConsentKind.marketing)
        if consent is not None:
            known["lead_consent"] = consent
        return KnownFields(slots=known)

    return store.run(read)


def save_draft(
    store: Store, *, session_key: str, lead_id: int | None, slots: dict[str, Any]
) -> int | None:
    """Keep the answers so far on the draft lead; returns its id (None: unknown sender)."""

    def write(session: Session) -> int | None:
        conversation = _conversation(session, session_key)
        if conversation is None:
            return None
        lead = leads.save_draft(
            session,
            lead_id=lead_id,
            contact_id=conversation.contact_id,
            conversation_id=conversation.id,
            channel=conversation.channel,
            data=data_from_slots(slots),
            raw_answers=slots.get("lead_raw_answers") or {},
        )
        return lead.id

    return store.run(write)


def abandon(store: Store, *, session_key: str, lead_id: int | None, slots: dict[str, Any]) -> None:
    """The customer stopped the form: keep the answers as an abandoned lead."""

    def write(session: Session) -> None:
        conversation = _conversation(session, session_key)
        if conversation is None:
            return
        lead = leads.save_draft(
            session,
            lead_id=lead_id,
            contact_id=conversation.contact_id,
            conversation_id=conversation.id,
            channel=conversation.channel,
            data=data_from_slots(slots),
            raw_answers=slots.get("lead_raw_answers") or {},
        )
        leads.mark_abandoned(session, lead)

    store.run(write)


def remember_contact_details(session: Session, *, contact_id: int, data: dict[str, Any]) -> int:
    """Put the name, phone and email the customer gave on their contact; returns the id of
    the contact that remains (an email another contact has merges the two)."""
    contact = contacts.get_contact(session, contact_id)
    if contact is None:
        return contact_id
    if data.get("name") and not contact.name:
        contact.name = data["name"]
    if data.get("phone") and not contact.phone:
        contact.phone = data["phone"]
    if data.get("company"):
        contact.attributes = {**(contact.attributes or {}), "company": data["company"]}
    session.flush()
    if data.get("email"):
        contact = contacts.link_by_email(session, contact_id=contact.id, email=data["email"])
    return contact.id
