"""Taking conversations over: the atomic claim (one winner of two), hand back, close."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import conversations, handovers, takeovers
from crm_bridge.db import make_engine, make_session_factory
from crm_bridge.enums import ConversationStatus, HandoverStatus
from crm_bridge.errors import InvalidTransition
from crm_bridge.models import Handover
from crm_bridge.transactions import run_transaction
from tests.conftest import BACKENDS
from tests.utils.databases import own_store_url
from tests.utils.factories import make_conversation, make_handover


@pytest.fixture(params=BACKENDS)
def factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Session]]:
    """A session factory on a store of this test's own (commits are fine)."""
    for url in own_store_url(request, request.param, tmp_path):
        engine = make_engine(url)
        yield make_session_factory(engine)
        engine.dispose()


def _waiting_conversation(factory: Callable[[], Session]) -> int:
    with factory() as session:
        conversation = make_conversation(session)
        make_handover(session, conversation=conversation)
        session.commit()
        return conversation.id


def test_two_agents_claiming_at_once_one_wins(factory: Callable[[], Session]) -> None:
    conversation_id = _waiting_conversation(factory)
    # Both transactions have read the conversation as waiting before either claims it,
    # which is when a read-then-write claim would let both through.
    both_read = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}

    def claim_as(agent: str) -> None:
        first_attempt = True

        def work(session: Session) -> object:
            nonlocal first_attempt
            seen = conversations.get_conversation(session, conversation_id)
            assert seen is not None
            if first_attempt:
                first_attempt = False
                assert seen.status == ConversationStatus.waiting
                both_read.wait()
            return takeovers.claim(session, conversation_id=conversation_id, assignee=agent)

        try:
            outcomes[agent] = run_transaction(factory, work)
        except takeovers.ClaimRefused as refused:
            outcomes[agent] = refused

    threads = [threading.Thread(target=claim_as, args=(a,)) for a in ("anna@x", "ben@x")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    refused = [a for a, o in outcomes.items() if isinstance(o, takeovers.ClaimRefused)]
    won = [a for a, o in outcomes.items() if not isinstance(o, takeovers.ClaimRefused)]
    assert len(won) == 1 and len(refused) == 1, outcomes
    with factory() as session:
        conversation = conversations.get_conversation(session, conversation_id)
        rows = list(session.scalars(sa.select(Handover)))
    assert conversation is not None and conversation.status == ConversationStatus.human
    assert [(h.status, h.assignee) for h in rows] == [(HandoverStatus.accepted, won[0])]
    assert won[0] in str(outcomes[refused[0]])


def test_claiming_again_by_the_same_agent_is_harmless(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    make_handover(store_session, conversation=conversation)

    first, is_new = takeovers.claim(store_session, conversation_id=conversation.id, assignee="a")
    again, again_new = takeovers.claim(store_session, conversation_id=conversation.id, assignee="a")

    assert (is_new, again_new) == (True, False)
    assert first.id == again.id


def test_claiming_a_bot_conversation_records_an_accepted_handover(store_session: Session) -> None:
    conversation = make_conversation(store_session)

    handover, is_new = takeovers.claim(store_session, conversation_id=conversation.id, assignee="a")

    assert is_new and handover.status == HandoverStatus.accepted and handover.reason is None
    assert conversation.status == ConversationStatus.human


def test_release_resolves_and_gives_back_to_the_bot(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    make_handover(store_session, conversation=conversation)
    takeovers.claim(store_session, conversation_id=conversation.id, assignee="a")

    resolved = takeovers.release(store_session, conversation_id=conversation.id)

    assert resolved is not None and resolved.status == HandoverStatus.resolved
    assert conversation.status == ConversationStatus.bot
    assert handovers.get_open(store_session, conversation_id=conversation.id) is None
    with pytest.raises(InvalidTransition):
        takeovers.release(store_session, conversation_id=conversation.id)


def test_close_and_claims_after_it(store_session: Session) -> None:
    conversation = make_conversation(store_session, status=ConversationStatus.waiting)

    takeovers.close(store_session, conversation_id=conversation.id)

    assert conversation.status == ConversationStatus.closed and conversation.closed_at
    with pytest.raises(takeovers.ClaimRefused):
        takeovers.claim(store_session, conversation_id=conversation.id, assignee="a")
    with pytest.raises(InvalidTransition):
        takeovers.close(store_session, conversation_id=conversation.id)
    with pytest.raises(LookupError):
        takeovers.claim(store_session, conversation_id=10**9, assignee="a")
