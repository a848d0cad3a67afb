"""Fixtures for end-to-end tests: one real stack per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from crm_bridge import db
from tests.e2e.lead_receiver import LeadReceiver
from tests.e2e.stack import Stack, start_stack


@pytest.fixture(scope="session")
def lead_receiver() -> Iterator[LeadReceiver]:
    """A stand-in external CRM for the lead webhook (fails each post's first attempt)."""
    receiver = LeadReceiver()
    receiver.start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, lead_receiver: LeadReceiver) -> Iterator[Stack]:
    running = start_stack(tmp_path_factory.mktemp("stack"), extra_env=lead_receiver.env())
    yield running
    running.stop_all()


@pytest.fixture
def crm(stack: Stack) -> Iterator[Session]:
    """A session on the stack's CRM store, to read what the gateway and actions wrote."""
    engine = db.make_engine(stack.database_url)
    with db.make_session_factory(engine)() as session:
        yield session
    engine.dispose()
