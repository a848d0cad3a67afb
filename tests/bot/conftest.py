"""Fixtures for gateway tests: the store (`sqlite_url` from tests/conftest.py), a stand-in
Rasa, and the real app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from automation.settings import AutomationSettings
from bot.main import create_app
from bot.settings import GatewaySettings, TelegramSettings
from crm_bridge import db
from crm_bridge.settings import StoreSettings
from mailer.settings import MailSettings
from tests.bot.helpers import NO_CAMPAIGNS, TEST_MAIL_SECRET, TEST_SECRET
from tests.bot.rasa_stand_in import StandInRasa, free_port


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Callable[[], Session]]:
    """A session factory on the test store, to seed data and read what the gateway wrote."""
    engine = db.make_engine(sqlite_url)
    yield db.make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def rasa() -> Iterator[StandInRasa]:
    server = StandInRasa().start()
    yield server
    server.stop()


@pytest.fixture
def rasa_down_port() -> int:
    """A port where connections are refused, as when Rasa is not running."""
    return free_port()


@pytest.fixture
def make_client(sqlite_url: str, tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """Build the real app against the test store; `rasa_url` and timeout per test."""
    clients: list[TestClient] = []

    def make(
        rasa_url: str,
        *,
        timeout: float = 2.0,
        database_url: str | None = None,
        telegram: TelegramSettings | None = None,
        mail: MailSettings | None = None,
        automation: AutomationSettings = NO_CAMPAIGNS,
    ) -> TestClient:
        settings = GatewaySettings(
            rasa_url=rasa_url, rasa_timeout_seconds=timeout, session_secret=TEST_SECRET
        )
        store_settings = StoreSettings(data_dir=tmp_path, database_url=database_url or sqlite_url)
        # Telegram off unless a test asks for it, whatever the environment says.
        telegram = telegram or TelegramSettings(_env_file=None, telegram_bot_token=None)
        # Email off too (no worker), with a fixed secret for unsubscribe links.
        mail = mail or MailSettings(
            _env_file=None, smtp_host=None, mail_signing_secret=TEST_MAIL_SECRET
        )
        client = TestClient(
            create_app(
                settings,
                store_settings,
                telegram,
                mail_settings=mail,
                automation_settings=automation,
            )
        )
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient], rasa: StandInRasa) -> TestClient:
    return make_client(rasa.url)
