"""Recording messages and their NLU parse."""

import pytest
from sqlalchemy.orm import Session

from crm_bridge import messages
from crm_bridge.enums import MessageDirection, SenderType
from tests.utils.factories import make_conversation


def test_record_incoming_stores_text_and_marks_last_activity(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    message = messages.record_incoming(
        store_session, conversation_id=conversation.id, text="Lamps?", payload="/ask_lamps"
    )
    assert (message.direction, message.sender_type) == (
        MessageDirection.incoming,
        SenderType.customer,
    )
    assert message.payload == "/ask_lamps"
    store_session.expire(conversation)
    assert conversation.last_message_at == message.created_at


def test_record_outgoing_keeps_buttons_image_and_custom(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    buttons = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    sent = messages.record_outgoing(
        store_session,
        conversation_id=conversation.id,
        text="Shall I?",
        buttons=buttons,
        image_url="/media/products/LGT-001.svg",
        custom={"carousel": [1, 2]},
    )
    store_session.expire_all()
    [stored] = messages.list_messages(store_session, conversation.id)
    assert stored.id == sent.id
    assert stored.buttons == buttons
    assert stored.custom == {"carousel": [1, 2]}
    assert stored.image_url == "/media/products/LGT-001.svg"
    assert (stored.direction, stored.sender_type) == (MessageDirection.outgoing, SenderType.bot)
    assert conversation.last_message_at == stored.created_at


def test_record_outgoing_by_agent(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    message = messages.record_outgoing(
        store_session, conversation_id=conversation.id, text="Hi, Sam here", sender=SenderType.agent
    )
    assert message.sender_type == SenderType.agent


def test_set_nlu_result_is_stored(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    message = messages.record_incoming(store_session, conversation_id=conversation.id, text="hi")
    entities = [{"entity": "category", "value": "lighting", "start": 0, "end": 5}]
    messages.set_nlu_result(
        store_session, message, intent="greet", confidence=0.93, entities=entities
    )
    store_session.expire(message)
    assert (message.intent, message.confidence, message.entities) == ("greet", 0.93, entities)


def test_list_messages_in_order_and_only_for_that_conversation(store_session: Session) -> None:
    conversation, other = make_conversation(store_session), make_conversation(store_session)
    texts = ["one", "two", "three", "four"]
    for text in texts:
        messages.record_incoming(store_session, conversation_id=conversation.id, text=text)
    messages.record_incoming(store_session, conversation_id=other.id, text="elsewhere")
    assert [m.text for m in messages.list_messages(store_session, conversation.id)] == texts


def test_recording_for_unknown_conversation_fails(store_session: Session) -> None:
    with pytest.raises(LookupError):
        messages.record_incoming(store_session, conversation_id=999_999, text="?")
