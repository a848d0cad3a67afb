"""Console fixtures: the real gateway app (stand-in Rasa) with test console settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bot.console.settings import ConsoleSettings
from bot.main import create_app
from bot.settings import GatewaySettings, TelegramSettings
from crm_bridge.enums import StaffRole
from crm_bridge.settings import StoreSettings
from tests.bot.console.helpers import make_staff
from tests.bot.helpers import NO_CAMPAIGNS, TEST_SECRET
from tests.bot.rasa_stand_in import StandInRasa

AGENT = "agent@shop.test"
ADMIN = "admin@shop.test"


def console_settings(**values: object) -> ConsoleSettings:
    """Console settings that ignore the environment and `.env`."""
    return ConsoleSettings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def make_console(
    sqlite_url: str, tmp_path: Path, rasa: StandInRasa
) -> Iterator[Callable[..., TestClient]]:
    """Build (and start) the gateway app; each call is a fresh app, like a restart."""
    clients: list[TestClient] = []

    def make(
        *,
        database_url: str | None = None,
        base_url: str = "http://testserver",
        telegram: TelegramSettings | None = None,
        **console_values: object,
    ) -> TestClient:
        app = create_app(
            GatewaySettings(rasa_url=rasa.url, rasa_timeout_seconds=2, session_secret=TEST_SECRET),
            StoreSettings(data_dir=tmp_path, database_url=database_url or sqlite_url),
            telegram or TelegramSettings(_env_file=None, telegram_bot_token=None),
            console_settings=console_settings(**console_values),
            automation_settings=NO_CAMPAIGNS,
        )
        client = TestClient(app, base_url=base_url)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def app_client(make_console: Callable[..., TestClient]) -> TestClient:
    return make_console()


@pytest.fixture
def agent_id(store: Callable[[], Session]) -> int:
    return make_staff(store, AGENT, role=StaffRole.agent, name="Anna")


@pytest.fixture
def admin_id(store: Callable[[], Session]) -> int:
    return make_staff(store, ADMIN, role=StaffRole.admin, name="Ada")
