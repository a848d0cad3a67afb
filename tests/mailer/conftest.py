"""Fixtures for the mailer: a real SMTP server, settings pointing at it, and a store whose
committed work is still rolled back after the test (on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy.orm import Session

from crm_bridge.db import make_engine
from mailer.settings import MailSettings, SmtpSecurity
from tests.utils.smtp_server import SmtpServer

SIGNING_SECRET = "mailer-tests-signing-secret-0123456789"
FROM = "Larkspur Goods <shop@larkspur.test>"
STAFF = ["staff@larkspur.test", "owner@larkspur.test"]


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def settings_for(port: int | None, **overrides: object) -> MailSettings:
    """Settings that ignore the environment; email on when `port` is given."""
    values: dict[str, object] = {
        "smtp_host": "127.0.0.1" if port is not None else None,
        "smtp_port": port,
        "smtp_security": SmtpSecurity.none,
        "mail_from": FROM,
        "staff_notify_emails": list(STAFF),
        "public_base_url": "https://shop.larkspur.test",
        "mail_signing_secret": SecretStr(SIGNING_SECRET),
    }
    values.update(overrides)
    return MailSettings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def mail_settings(smtp_server: SmtpServer) -> MailSettings:
    """Email on, sent to the test's SMTP server without TLS."""
    return settings_for(smtp_server.port)


@pytest.fixture
def mail_off() -> MailSettings:
    """No SMTP_HOST: email is off."""
    return settings_for(None)


@pytest.fixture
def session_factory(store_url: str) -> Iterator[Callable[[], Session]]:
    """Sessions that commit for real as far as the code can tell, on one outer transaction.

    Each session joins the test's connection with a savepoint, so the worker's separate
    transactions (claim, send, record) behave as in production and are all rolled back at
    the end, which keeps the shared PostgreSQL database clean.
    """
    engine = make_engine(store_url)
    connection = engine.connect()
    transaction = connection.begin()

    def factory() -> Session:
        return Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    try:
        yield factory
    finally:
        transaction.rollback()
        connection.close()
        engine.dispose()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
