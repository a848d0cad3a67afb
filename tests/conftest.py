"""Shared fixtures: migrated CRM stores on SQLite and PostgreSQL, sessions rolled back per test.

- ``sqlite_url``: a migrated SQLite file of this test's own.
- ``db_session``: a session on ``sqlite_url``; everything is rolled back afterwards, even
  what the code under test commits (commits only release a savepoint).
- ``store_url`` / ``store_session``: the same, parametrized over SQLite and PostgreSQL.
  The PostgreSQL database is created once per test session (``shopbot_test_<random>``) and
  dropped at the end, so never commit through a plain engine on ``store_url``.
- ``blank_store_url``: an empty, unmigrated database of this test's own, on both backends.
"""

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.orm import Session

from crm_bridge.db import make_engine, upgrade_to_head

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_USERS = ("postgres", "root")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_admin_url() -> str | None:
    """Return a URL for the server's maintenance database, trying each trusted user."""
    for user in PG_USERS:
        url = f"postgresql://{user}@{PG_HOST}:{PG_PORT}/postgres"
        try:
            with psycopg.connect(url, connect_timeout=3):
                return url
        except psycopg.OperationalError:
            continue
    return None


def _create_pg_database(admin_url: str) -> tuple[str, str]:
    name = f"shopbot_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return name, admin_url.rsplit("/", 1)[0] + f"/{name}"


def _drop_pg_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """URL of the PostgreSQL maintenance database; skips only when no server answers."""
    url = _pg_admin_url()
    if url is None:
        pytest.skip(
            f"no PostgreSQL server answers on {PG_HOST}:{PG_PORT} as {' or '.join(PG_USERS)}"
        )
    return url


@pytest.fixture(scope="session")
def pg_database_url(pg_admin_url: str) -> Iterator[str]:
    """A migrated PostgreSQL database shared by the whole test session, dropped at the end."""
    name, url = _create_pg_database(pg_admin_url)
    try:
        upgrade_to_head(url)
        yield url
    finally:
        _drop_pg_database(pg_admin_url, name)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; tests get copies, which is much faster than migrating."""
    path = tmp_path_factory.mktemp("template") / "crm.sqlite3"
    upgrade_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, _sqlite_template: Path) -> str:
    """URL of a migrated SQLite file that belongs to this test alone."""
    path = tmp_path / "crm.sqlite3"
    shutil.copyfile(_sqlite_template, path)
    return f"sqlite:///{path}"


def _rolled_back_session(url: str) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back, whatever the test commits."""
    engine = make_engine(url)
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()
        engine.dispose()


@pytest.fixture
def db_session(sqlite_url: str) -> Iterator[Session]:
    """A session on a migrated SQLite store, rolled back and closed after the test."""
    yield from _rolled_back_session(sqlite_url)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest) -> str:
    """URL of a migrated store on each backend (PostgreSQL shared: do not commit through it)."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_database_url")


@pytest.fixture
def store_session(store_url: str) -> Iterator[Session]:
    """A session on ``store_url`` rolled back after the test, so backends stay clean."""
    yield from _rolled_back_session(store_url)


@pytest.fixture(params=BACKENDS)
def blank_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database no migration has touched, owned by this test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'blank' / 'crm.sqlite3'}"
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    name, url = _create_pg_database(admin_url)
    try:
        yield url
    finally:
        _drop_pg_database(admin_url, name)
