"""The staff inbox query: every filter, counts, sorting, paging, the waiting queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from crm_bridge import inbox, messages, reviews, takeovers
from crm_bridge.column_types import utcnow
from crm_bridge.enums import Channel, ConversationStatus
from crm_bridge.inbox import InboxFilter
from crm_bridge.models import Message
from tests.utils.factories import make_contact, make_conversation, make_handover, make_lead


@dataclass
class Seeded:
    web: int
    telegram: int
    old: int


def _said(
    session: Session, conversation_id: int, text: str, intent: str, confidence: float
) -> Message:
    message = messages.record_incoming(session, conversation_id=conversation_id, text=text)
    messages.set_nlu_result(session, message, intent=intent, confidence=confidence, entities=[])
    return message


@pytest.fixture
def seeded(store_session: Session) -> Seeded:
    """Three conversations that differ in every filtered property."""
    web = make_conversation(store_session, contact=make_contact(store_session, name="Wendy"))
    _said(store_session, web.id, "Where is my PARCEL, 50%_off?", "ask_price", 0.92)
    messages.record_outgoing(store_session, conversation_id=web.id, text="On its way")
    make_lead(store_session, conversation=web, grade="A")

    telegram = make_conversation(store_session, channel=Channel.telegram)
    _said(store_session, telegram.id, "asdf qwer", "nlu_fallback", 0.3)
    make_handover(store_session, conversation=telegram)
    reviews.add_tag(store_session, conversation_id=telegram.id, tag="Refund", added_by="a")
    reviews.set_reviewed(store_session, conversation_id=telegram.id, reviewed=True, by="a")

    old = make_conversation(store_session, status=ConversationStatus.closed)
    old.started_at = utcnow() - timedelta(days=10)
    store_session.flush()
    return Seeded(web.id, telegram.id, old.id)


def _ids(session: Session, **criteria: object) -> set[int]:
    page = inbox.search(session, InboxFilter(**criteria))  # type: ignore[arg-type]
    return {row.id for row in page.rows}


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({}, {"web", "telegram", "old"}),
        ({"channel": Channel.telegram}, {"telegram"}),
        ({"status": ConversationStatus.waiting}, {"telegram"}),
        ({"has_lead": True}, {"web"}),
        ({"has_lead": False}, {"telegram", "old"}),
        ({"lead_grade": "A"}, {"web"}),
        ({"lead_grade": "B"}, set()),
        ({"intent": "ask_price"}, {"web"}),
        ({"low_confidence": True}, {"telegram"}),
        ({"had_fallback": True}, {"telegram"}),
        ({"reviewed": True}, {"telegram"}),
        ({"reviewed": False}, {"web", "old"}),
        ({"tag": "refund"}, {"telegram"}),
        ({"text": "parcel"}, {"web"}),
        ({"text": "50%_OFF"}, {"web"}),
        ({"text": "50%x"}, set()),
        ({"text": "5_%"}, set()),
    ],
)
def test_each_filter_narrows_the_list(
    store_session: Session, seeded: Seeded, criteria: dict[str, object], expected: set[str]
) -> None:
    assert _ids(store_session, **criteria) == {getattr(seeded, name) for name in expected}


def test_date_range_uses_last_activity(store_session: Session, seeded: Seeded) -> None:
    now = utcnow()

    recent = _ids(store_session, active_from=now - timedelta(days=1))
    older = _ids(store_session, active_until=now - timedelta(days=5))

    assert recent == {seeded.web, seeded.telegram}
    assert older == {seeded.old}


def test_counts_per_status_ignore_the_status_filter(store_session: Session, seeded: Seeded) -> None:
    page = inbox.search(
        store_session, InboxFilter(status=ConversationStatus.bot, channel=Channel.web)
    )

    assert page.total == 1
    assert page.status_counts == {"bot": 1, "closed": 1}


def test_rows_carry_what_the_list_shows(store_session: Session, seeded: Seeded) -> None:
    rows = {row.id: row for row in inbox.search(store_session, InboxFilter()).rows}

    web, telegram = rows[seeded.web], rows[seeded.telegram]
    assert (web.contact_name, web.message_count, web.lead_grade) == ("Wendy", 2, "A")
    assert (telegram.tags, telegram.reviewed, telegram.status) == (["refund"], True, "waiting")


def test_sorting_and_paging(store_session: Session, seeded: Seeded) -> None:
    fewest_first = inbox.search(store_session, InboxFilter(), sort="messages", descending=False)
    second_page = inbox.search(store_session, InboxFilter(), sort="started", page=2, page_size=2)

    assert [row.id for row in fewest_first.rows] == [seeded.old, seeded.telegram, seeded.web]
    assert second_page.total == 3 and second_page.pages == 2
    assert [row.id for row in second_page.rows] == [seeded.old]


def test_queue_lists_waiting_first_then_taken(store_session: Session, seeded: Seeded) -> None:
    taken = make_conversation(store_session)
    make_handover(store_session, conversation=taken)
    takeovers.claim(store_session, conversation_id=taken.id, assignee="anna@shop.test")

    entries = inbox.queue(store_session)

    assert [(e.conversation_id, e.status, e.assignee) for e in entries] == [
        (seeded.telegram, ConversationStatus.waiting, None),
        (taken.id, ConversationStatus.human, "anna@shop.test"),
    ]
    assert inbox.waiting_for(entries[0], utcnow() + timedelta(minutes=5)) >= timedelta(minutes=5)


def test_known_intents_and_grades(store_session: Session, seeded: Seeded) -> None:
    assert inbox.known_intents(store_session) == ["ask_price", "nlu_fallback"]
    assert inbox.known_grades(store_session) == ["A"]
