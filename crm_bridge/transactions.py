"""Run one unit of work in its own transaction, retried when SQLite reports a conflict.

SQLite in WAL mode lets readers run beside the writer, but a transaction that read and
then writes fails at once with "database is locked" when another process committed in
between: SQLite cannot upgrade a stale snapshot, and its busy wait is not consulted. The
gateway, the action server and further gateways all write to one file, so the remedy is
to run the whole unit of work again on a fresh snapshot. PostgreSQL never takes this path.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

T = TypeVar("T")
DEFAULT_ATTEMPTS = 4


def is_sqlite_conflict(error: OperationalError) -> bool:
    """True for SQLite's "database is locked" / "busy", the errors worth a retry."""
    message = str(error.orig).lower()
    return "database is locked" in message or "database is busy" in message


def run_transaction(
    session_factory: Callable[[], Session],
    work: Callable[[Session], T],
    *,
    commit: bool = True,
    attempts: int = DEFAULT_ATTEMPTS,
) -> T:
    """Call `work(session)` and commit (when asked); roll back and retry on a conflict.

    `work` must be safe to run again: it should do all its reading and writing through
    the session it is given, which is discarded (rolled back) before a retry.
    """
    for attempt in range(1, attempts + 1):
        try:
            with session_factory() as session:
                result = work(session)
                if commit:
                    session.commit()
                return result
        except OperationalError as error:
            if attempt == attempts or not is_sqlite_conflict(error):
                raise
            time.sleep(random.uniform(0.02, 0.1) * attempt)
    raise AssertionError("unreachable")  # the loop returns or raises
