"""Campaign engine fixtures: a committing store, an in-memory message sender, a context."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.orm import Session

from automation.campaigns.context import CampaignContext
from automation.campaigns.quiet_hours import QuietHours
from crm_bridge import db

PUBLIC_URL = "https://shop.example.test"


class SimulatedCrash(BaseException):
    """The process dies (like KeyboardInterrupt): nothing after it runs, no except catches it."""


@dataclass
class RecordingSender:
    """Our `MessageSender` protocol in memory: keeps what was sent; can crash or refuse."""

    sent: list[tuple[str, str, list[dict[str, str]]]] = field(default_factory=list)
    crash: str | None = None  # "before" or "after" the message leaves
    deliver: bool = True

    async def send(self, session_key: str, text: str, buttons: list[dict[str, str]]) -> bool:
        if self.crash == "before":
            self.crash = None
            raise SimulatedCrash()
        self.sent.append((session_key, text, buttons))
        if self.crash == "after":
            self.crash = None
            raise SimulatedCrash()
        return self.deliver


@pytest.fixture
def factory(sqlite_url: str) -> Iterator[Callable[[], Session]]:
    """A session factory whose commits stick (the engine commits step by step)."""
    engine = db.make_engine(sqlite_url)
    yield db.make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def make_context(
    factory: Callable[[], Session], sender: RecordingSender
) -> Callable[..., CampaignContext]:
    def make(**values: Any) -> CampaignContext:
        values.setdefault("session_factory", factory)
        values.setdefault("sender", sender)
        values.setdefault("public_base_url", PUBLIC_URL)
        return CampaignContext(**values)

    return make


def berlin_quiet_hours() -> QuietHours:
    from zoneinfo import ZoneInfo

    return QuietHours.parse("21:00-08:00", ZoneInfo("Europe/Berlin"))
