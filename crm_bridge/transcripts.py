"""Everything staff see about one conversation, loaded in one go for the transcript view."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import consents, contacts, handovers, messages, orders, reviews
from crm_bridge.enums import ConsentKind, SuggestionEventKind
from crm_bridge.models import (
    ChannelIdentity,
    Consent,
    Contact,
    Conversation,
    ConversationNote,
    Handover,
    IntentCorrection,
    Lead,
    Message,
    Order,
    Product,
    SuggestionEvent,
)


@dataclass(frozen=True, slots=True)
class SuggestionLine:
    """A suggestion event of this conversation with the product's name."""

    event: SuggestionEvent
    product_name: str


@dataclass(frozen=True, slots=True)
class Transcript:
    """A conversation with its messages, review data, lead and the contact's profile.

    Every attribute is loaded, so the objects can be read after the session is closed.
    """

    conversation: Conversation
    contact: Contact
    messages: list[Message]
    corrections: dict[int, IntentCorrection]
    suggestions: list[SuggestionLine]
    leads: list[Lead]
    identities: list[ChannelIdentity]
    consents: dict[str, list[Consent]]
    orders: list[Order]
    tags: list[str]
    notes: list[ConversationNote]
    handovers: list[Handover]
    open_handover: Handover | None

    @property
    def clicked_product_ids(self) -> set[int]:
        """Products whose card buttons the customer pressed here."""
        return {
            line.event.product_id
            for line in self.suggestions
            if line.event.kind == SuggestionEventKind.clicked
        }


def load(session: Session, conversation_id: int) -> Transcript | None:
    """The whole view of a conversation, or None when there is no such conversation."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    contact = session.get(Contact, conversation.contact_id)
    assert contact is not None  # the foreign key cascades
    return Transcript(
        conversation=conversation,
        contact=contact,
        messages=messages.list_messages(session, conversation_id),
        corrections=reviews.corrections_of(session, conversation_id),
        suggestions=_suggestions(session, conversation_id),
        leads=_leads(session, conversation),
        identities=contacts.list_identities(session, contact.id),
        consents={
            str(kind): consents.consent_history(session, contact_id=contact.id, kind=kind)
            for kind in ConsentKind
        },
        orders=orders.list_for_contact(session, contact.id),
        tags=reviews.tags_of(session, [conversation_id])[conversation_id],
        notes=reviews.list_notes(session, conversation_id),
        handovers=_handovers(session, conversation_id),
        open_handover=handovers.get_open(session, conversation_id=conversation_id),
    )


def _suggestions(session: Session, conversation_id: int) -> list[SuggestionLine]:
    statement = (
        sa.select(SuggestionEvent, Product.name)
        .join(Product, Product.id == SuggestionEvent.product_id)
        .where(SuggestionEvent.conversation_id == conversation_id)
        .order_by(SuggestionEvent.created_at, SuggestionEvent.id)
    )
    return [SuggestionLine(event, name) for event, name in session.execute(statement)]


def _leads(session: Session, conversation: Conversation) -> list[Lead]:
    """Leads from this conversation first, then the contact's other leads, newest first."""
    statement = (
        sa.select(Lead)
        .where(Lead.contact_id == conversation.contact_id)
        .order_by(
            sa.case((Lead.conversation_id == conversation.id, 0), else_=1),
            Lead.created_at.desc(),
            Lead.id.desc(),
        )
    )
    return list(session.scalars(statement))


def _handovers(session: Session, conversation_id: int) -> list[Handover]:
    statement = (
        sa.select(Handover)
        .where(Handover.conversation_id == conversation_id)
        .order_by(Handover.requested_at, Handover.id)
    )
    return list(session.scalars(statement))
