"""The hand-over action records the request for the conversation and always answers."""

import logging
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from rasa_sdk.executor import CollectingDispatcher

from actions.handover import REQUESTED_TEXT, ActionRequestHuman, get_mail_settings
from actions.services import Store
from crm_bridge import conversations
from crm_bridge.enums import ConversationStatus, EmailSkipReason, EmailStatus, HandoverStatus
from crm_bridge.models import EmailMessage, Handover
from tests.actions.conftest import SENDER, TrackerFactory
from tests.utils.factories import make_conversation


@pytest.fixture
def conversation_id(store: Store) -> int:
    with store.transaction() as session:
        return make_conversation(session, session_key=SENDER).id


def _handovers(store: Store) -> list[Handover]:
    with store.transaction() as session:
        return list(session.scalars(sa.select(Handover)))


async def test_request_human_records_handover(
    store: Store,
    conversation_id: int,
    dispatcher: CollectingDispatcher,
    make_tracker: TrackerFactory,
    domain: dict,
) -> None:
    tracker = make_tracker("I want to talk to a person", "request_human")

    events = await ActionRequestHuman().run(dispatcher, tracker, domain)

    assert events == []
    assert dispatcher.messages[0]["text"] == REQUESTED_TEXT
    [handover] = _handovers(store)
    assert handover.conversation_id == conversation_id
    assert handover.status == HandoverStatus.requested
    assert handover.reason == "I want to talk to a person"
    with store.transaction() as session:
        conversation = conversations.get_conversation(session, conversation_id)
        assert conversation is not None
        assert conversation.status == ConversationStatus.waiting


async def test_request_human_twice_keeps_one_open_handover(
    store: Store, conversation_id: int, make_tracker: TrackerFactory, domain: dict
) -> None:
    for _ in range(2):
        await ActionRequestHuman().run(
            CollectingDispatcher(), make_tracker("human please", "request_human"), domain
        )

    assert len(_handovers(store)) == 1


async def test_request_human_without_conversation_answers_and_logs(
    store: Store,
    dispatcher: CollectingDispatcher,
    make_tracker: TrackerFactory,
    domain: dict,
    caplog: pytest.LogCaptureFixture,
) -> None:
    tracker = make_tracker("agent", "request_human", sender_id="shell-session")

    with caplog.at_level(logging.WARNING, logger="actions.handover"):
        await ActionRequestHuman().run(dispatcher, tracker, domain)

    assert dispatcher.messages[0]["text"] == REQUESTED_TEXT
    assert _handovers(store) == []
    assert "shell-session" in caplog.text


@pytest.fixture
def clear_mail_settings() -> Iterator[None]:
    get_mail_settings.cache_clear()
    yield
    get_mail_settings.cache_clear()


async def test_request_human_queues_the_staff_email_with_the_handover(
    store: Store,
    conversation_id: int,
    make_tracker: TrackerFactory,
    domain: dict,
    monkeypatch: pytest.MonkeyPatch,
    clear_mail_settings: None,
) -> None:
    monkeypatch.delenv("SMTP_HOST", raising=False)
    monkeypatch.setenv("STAFF_NOTIFY_EMAILS", "staff@example.test")

    await ActionRequestHuman().run(
        CollectingDispatcher(), make_tracker("a person please", "request_human"), domain
    )

    with store.transaction() as session:
        [email] = session.scalars(sa.select(EmailMessage))
        assert email.to_address == "staff@example.test"
        assert '"a person please"' in email.text_body
        # No SMTP_HOST here: recorded, and skipped because email is off.
        assert email.status is EmailStatus.skipped
        assert email.skip_reason is EmailSkipReason.email_off


async def test_invalid_mail_settings_never_cost_the_handover(
    store: Store,
    conversation_id: int,
    make_tracker: TrackerFactory,
    domain: dict,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    clear_mail_settings: None,
) -> None:
    monkeypatch.setenv("SMTP_HOST", "mail.example.test")
    monkeypatch.delenv("MAIL_FROM", raising=False)
    dispatcher = CollectingDispatcher()

    with caplog.at_level(logging.ERROR, logger="actions.handover"):
        await ActionRequestHuman().run(dispatcher, make_tracker("human", "request_human"), domain)

    assert dispatcher.messages[0]["text"] == REQUESTED_TEXT
    assert len(_handovers(store)) == 1
    assert "MAIL_FROM is required" in caplog.text
