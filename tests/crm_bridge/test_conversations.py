"""Conversations and their status machine."""

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_bridge import conversations
from crm_bridge.enums import Channel, ConversationStatus
from crm_bridge.errors import InvalidTransition
from tests.utils.factories import make_contact, make_conversation

S = ConversationStatus


def test_open_conversation_starts_with_the_bot(store_session: Session) -> None:
    contact = make_contact(store_session)
    conversation = conversations.open_conversation(
        store_session, contact_id=contact.id, channel=Channel.web, session_key="web-" + "a" * 32
    )
    assert conversation.status == S.bot
    assert conversation.started_at.tzinfo is not None
    assert conversation.last_message_at is None and conversation.closed_at is None
    assert conversations.get_by_session_key(store_session, "web-" + "a" * 32) == conversation
    assert conversations.get_conversation(store_session, conversation.id) == conversation


def test_session_key_is_unique(store_session: Session) -> None:
    make_conversation(store_session, session_key="web-same")
    with pytest.raises(IntegrityError):
        make_conversation(store_session, session_key="web-same")


def test_get_by_session_key_unknown_is_none(store_session: Session) -> None:
    assert conversations.get_by_session_key(store_session, "web-unknown") is None


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (S.bot, S.waiting),
        (S.waiting, S.human),
        (S.human, S.bot),
        (S.bot, S.human),
        (S.closed, S.bot),
    ],
)
def test_set_status_allows_machine_moves(store_session: Session, start: S, end: S) -> None:
    conversation = make_conversation(store_session, status=start)
    conversations.set_status(store_session, conversation, end)
    store_session.expire(conversation)
    assert conversation.status == end


@pytest.mark.parametrize(
    ("start", "end"), [(S.closed, S.human), (S.closed, S.waiting), (S.human, S.waiting)]
)
def test_set_status_refuses_forbidden_moves(store_session: Session, start: S, end: S) -> None:
    conversation = make_conversation(store_session, status=start)
    with pytest.raises(InvalidTransition):
        conversations.set_status(store_session, conversation, end)
    assert conversation.status == start


def test_closing_sets_closed_at_and_reopening_clears_it(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    conversations.set_status(store_session, conversation, S.closed)
    assert conversation.closed_at is not None
    conversations.set_status(store_session, conversation, S.bot)
    assert conversation.closed_at is None


def test_list_conversations_filters_by_status(store_session: Session) -> None:
    waiting = make_conversation(store_session, status=S.waiting)
    make_conversation(store_session)
    assert conversations.list_conversations(store_session, status=S.waiting) == [waiting]
