"""Hand-overs from the bot to a person."""

import pytest
from sqlalchemy.orm import Session

from crm_bridge import handovers
from crm_bridge.enums import ConversationStatus, HandoverStatus
from crm_bridge.errors import InvalidTransition
from tests.utils.factories import make_conversation


def test_request_handover_moves_conversation_to_waiting(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    handover = handovers.request_handover(
        store_session, conversation_id=conversation.id, reason="wants a person"
    )
    store_session.expire_all()
    assert handover.status == HandoverStatus.requested
    assert handover.reason == "wants a person"
    assert conversation.status == ConversationStatus.waiting
    assert handovers.list_open(store_session) == [handover]


def test_request_handover_is_idempotent_while_open(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    first = handovers.request_handover(store_session, conversation_id=conversation.id, reason="a")
    again = handovers.request_handover(store_session, conversation_id=conversation.id, reason="b")
    assert again.id == first.id and again.reason == "a"
    assert len(handovers.list_open(store_session)) == 1


def test_request_after_resolution_opens_a_new_one(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    first = handovers.request_handover(store_session, conversation_id=conversation.id)
    handovers.resolve_handover(store_session, first)
    assert conversation.status == ConversationStatus.bot
    second = handovers.request_handover(store_session, conversation_id=conversation.id)
    assert second.id != first.id
    assert handovers.list_open(store_session) == [second]


def test_accept_gives_the_conversation_to_a_person(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    handover = handovers.request_handover(store_session, conversation_id=conversation.id)
    handovers.accept_handover(store_session, handover, assignee="sam@shop.example")
    assert conversation.status == ConversationStatus.human
    assert handover.accepted_at is not None and handover.assignee == "sam@shop.example"
    # asking again while a person has it changes nothing
    assert handovers.request_handover(store_session, conversation_id=conversation.id) == handover
    assert conversation.status == ConversationStatus.human
    with pytest.raises(InvalidTransition):
        handovers.accept_handover(store_session, handover, assignee="other")


def test_cancelled_handover_is_no_longer_open(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    handover = handovers.request_handover(store_session, conversation_id=conversation.id)
    handovers.resolve_handover(store_session, handover, status=HandoverStatus.cancelled)
    assert handover.status == HandoverStatus.cancelled and handover.resolved_at is not None
    assert handovers.list_open(store_session) == []
    with pytest.raises(InvalidTransition):
        handovers.resolve_handover(store_session, handover)


def test_request_on_closed_conversation_reopens_it_waiting(store_session: Session) -> None:
    conversation = make_conversation(store_session, status=ConversationStatus.closed)
    handovers.request_handover(store_session, conversation_id=conversation.id)
    assert conversation.status == ConversationStatus.waiting


def test_request_for_unknown_conversation_fails(store_session: Session) -> None:
    with pytest.raises(LookupError):
        handovers.request_handover(store_session, conversation_id=987_654)
