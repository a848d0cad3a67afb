"""Engagement snapshots for scoring and closed leads as training rows."""

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from crm_bridge import messages, recommendations
from crm_bridge.enums import Channel, LeadStatus, OrderStatus, SuggestionEventKind
from crm_bridge.lead_history import engagement_for, training_rows
from crm_bridge.recommendations import ShownSuggestion
from tests.utils.factories import (
    lead_data,
    make_closed_lead,
    make_contact,
    make_conversation,
    make_lead,
    make_order,
    make_product,
)


def _customer_says(
    session: Session,
    conversation_id: int,
    text: str,
    intent: str | None,
    product_id: int | None = None,
) -> None:
    message = messages.record_incoming(session, conversation_id=conversation_id, text=text)
    entities = [{"entity": "product_id", "value": str(product_id)}] if product_id else []
    messages.set_nlu_result(session, message, intent=intent, confidence=0.9, entities=entities)


def test_engagement_of_a_busy_returning_customer(store_session: Session) -> None:
    contact = make_contact(store_session)
    make_conversation(store_session, contact=contact)  # an earlier visit
    chat = make_conversation(store_session, contact=contact, channel=Channel.telegram)
    lamp, vase, mug = (make_product(store_session) for _ in range(3))
    recommendations.record_shown(
        store_session,
        conversation_id=chat.id,
        contact_id=contact.id,
        model_version="v000001",
        shown=[ShownSuggestion(lamp.id, 1), ShownSuggestion(vase.id, 2)],
    )
    for product, kind in [
        (lamp, SuggestionEventKind.clicked),
        (lamp, SuggestionEventKind.asked),
        (vase, SuggestionEventKind.clicked),
    ]:
        recommendations.record_follow_up(
            store_session, conversation_id=chat.id, product_id=product.id, kind=kind
        )
    _customer_says(store_session, chat.id, "hi", "greet")
    _customer_says(store_session, chat.id, "details", "product_details", product_id=mug.id)
    _customer_says(store_session, chat.id, "How much is the  Moon lamp?", "ask_price")
    _customer_says(store_session, chat.id, "how much is the moon lamp?", "ask_stock")
    _customer_says(store_session, chat.id, "again about the lamp", "product_details", lamp.id)
    messages.record_outgoing(store_session, conversation_id=chat.id, text="Here you are")
    make_order(store_session, contact=contact)
    make_order(store_session, contact=contact, status=OrderStatus.cancelled)

    engagement = engagement_for(store_session, contact_id=contact.id, conversation_id=chat.id)

    assert engagement == {
        "messages": 5,  # the customer's, not the bot's
        "products_asked": 4,  # lamp, vase (events), mug (entity), "moon lamp" (wording)
        "suggestions_clicked": 2,
        "returning_visitor": True,
        "channel": "telegram",
        "orders": 1,  # the cancelled one does not count
    }


def test_engagement_of_a_first_visit(store_session: Session) -> None:
    chat = make_conversation(store_session)
    other = make_conversation(store_session)  # someone else's chat says nothing about this one
    _customer_says(store_session, other.id, "price?", "ask_price")

    engagement = engagement_for(store_session, contact_id=chat.contact_id, conversation_id=chat.id)

    assert engagement == {
        "messages": 0,
        "products_asked": 0,
        "suggestions_clicked": 0,
        "returning_visitor": False,
        "channel": "web",
        "orders": 0,
    }


def test_engagement_without_a_conversation(store_session: Session) -> None:
    contact = make_contact(store_session)
    lonely = make_contact(store_session)
    make_conversation(store_session, contact=contact, channel=Channel.telegram)

    seen = engagement_for(store_session, contact_id=contact.id, conversation_id=None)
    unseen = engagement_for(store_session, contact_id=lonely.id, conversation_id=None)

    assert (seen["returning_visitor"], seen["channel"], seen["messages"]) == (True, "telegram", 0)
    assert (unseen["returning_visitor"], unseen["channel"]) == (False, None)


def test_training_rows_are_closed_leads_as_plain_data(store_session: Session) -> None:
    won = make_closed_lead(
        store_session,
        converted=True,
        data=lead_data(authority="decision_maker"),
        qualified_at=datetime(2026, 3, 4, 23, 30, tzinfo=UTC),
    )
    make_closed_lead(store_session, converted=False, qualified_at=datetime(2026, 5, 6, tzinfo=UTC))
    for status in (LeadStatus.draft, LeadStatus.new, LeadStatus.qualified, LeadStatus.contacted):
        make_lead(store_session, data=lead_data()).status = status
    store_session.flush()

    rows = training_rows(store_session)

    assert [(row.created, row.label) for row in rows] == [
        (date(2026, 3, 4), 1),  # the day it was qualified, not when the row was written
        (date(2026, 5, 6), 0),
    ]
    assert rows[0].data["authority"] == "decision_maker"
    rows[0].data["authority"] = "changed"
    assert won.data["authority"] == "decision_maker"  # a copy, not the stored value


def test_training_rows_fall_back_to_the_creation_day(store_session: Session) -> None:
    lead = make_lead(store_session, data=lead_data())
    lead.status = LeadStatus.lost
    store_session.flush()

    (row,) = training_rows(store_session)

    assert (row.created, row.label) == (lead.created_at.date(), 0)
