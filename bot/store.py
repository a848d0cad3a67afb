"""Run synchronous CRM-store work off the event loop, one transaction per call.

The CRM store is synchronous SQLAlchemy; calling it on the event loop would stall every
open WebSocket while SQLite waits for a lock. Every failure of the database surfaces as
`crm_bridge.errors.StoreUnavailable`, which channels turn into an `unavailable` error.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crm_bridge.errors import StoreUnavailable
from crm_bridge.transactions import run_transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")
SessionFactory = Callable[[], Session]


async def run_in_session(
    factory: SessionFactory, work: Callable[[Session], T], *, commit: bool = False
) -> T:
    """Call `work(session)` in a worker thread; commit when asked, roll back on error.

    A SQLite write conflict with another process reruns `work` on a fresh session.
    """
    return await anyio.to_thread.run_sync(functools.partial(_run, factory, work, commit))


def _run(factory: SessionFactory, work: Callable[[Session], T], commit: bool) -> T:
    try:
        return run_transaction(factory, work, commit=commit)
    except SQLAlchemyError as error:
        logger.error("CRM store error: %s", error.__class__.__name__, exc_info=True)
        raise StoreUnavailable(str(error).splitlines()[0]) from error
