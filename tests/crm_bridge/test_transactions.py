"""run_transaction: a real SQLite write conflict between two connections is retried."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from crm_bridge import contacts, db
from crm_bridge.models import Contact
from crm_bridge.transactions import run_transaction


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Contact)) or 0


def test_run_transaction_retries_a_stale_snapshot_conflict(sqlite_url: str) -> None:
    engine = db.make_engine(sqlite_url)
    factory = db.make_session_factory(engine)
    calls: list[int] = []

    def read_then_write(session: Session) -> int:
        seen = _count(session)  # opens the read snapshot
        calls.append(seen)
        if len(calls) == 1:
            # Another process commits between our read and our write.
            with factory() as other:
                contacts.create_contact(other, name="Other Process")
                other.commit()
        contacts.create_contact(session, name="Us")
        session.flush()
        return seen

    try:
        seen = run_transaction(factory, read_then_write)
        with factory() as check:
            names = sorted(check.scalars(select(Contact.name)))
    finally:
        engine.dispose()

    assert calls == [0, 1]  # the first attempt hit the conflict, the second saw the commit
    assert seen == 1
    assert names == ["Other Process", "Us"]


def test_run_transaction_does_not_retry_other_database_errors(sqlite_url: str) -> None:
    engine = db.make_engine(sqlite_url)
    calls: list[int] = []

    def broken(session: Session) -> None:
        calls.append(1)
        session.execute(text("SELECT * FROM no_such_table"))

    try:
        with pytest.raises(OperationalError):
            run_transaction(db.make_session_factory(engine), broken)
    finally:
        engine.dispose()
    assert calls == [1]
