"""Engines, connection checks and one-line errors of crm_bridge.db."""

import socket
from pathlib import Path

import pytest
import sqlalchemy as sa

from crm_bridge.db import (
    StoreUnavailable,
    check_connection,
    make_engine,
    parse_url,
    upgrade_to_head,
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_make_engine_sqlite_sets_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'deeper' / 'crm.sqlite3'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    finally:
        engine.dispose()
    assert (tmp_path / "nested" / "deeper" / "crm.sqlite3").exists()


def test_make_engine_sqlite_savepoint_rolls_back_only_inner_work(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'crm.sqlite3'}")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        with engine.connect() as connection:
            with connection.begin():
                nested = connection.begin_nested()
                connection.exec_driver_sql("INSERT INTO t VALUES (1)")
                nested.rollback()
                connection.exec_driver_sql("INSERT INTO t VALUES (2)")
            assert connection.exec_driver_sql("SELECT x FROM t").scalars().all() == [2]
    finally:
        engine.dispose()


def test_make_engine_creates_nothing_for_memory_database() -> None:
    engine = make_engine("sqlite://")
    try:
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_parse_url_uses_psycopg3_for_postgresql(scheme: str) -> None:
    url = parse_url(f"{scheme}://shop:secret@db.example:5432/crm")
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.database, url.password) == ("db.example", "crm", "secret")


@pytest.mark.postgres
def test_make_engine_accepts_plain_postgresql_url(pg_database_url: str) -> None:
    assert pg_database_url.startswith("postgresql://")
    engine = make_engine(pg_database_url)
    try:
        assert engine.dialect.driver == "psycopg"
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


def test_check_connection_passes_on_a_real_store(store_url: str) -> None:
    check_connection(store_url)


def test_check_connection_refused_is_one_line_without_password() -> None:
    port = _free_port()
    with pytest.raises(StoreUnavailable) as caught:
        check_connection(f"postgresql://shop:s3cret-pw@127.0.0.1:{port}/crm")
    message = str(caught.value)
    assert message == (
        f"cannot connect to the CRM database at postgresql://shop:***@127.0.0.1:{port}/crm:"
        " connection refused"
    )
    assert "s3cret-pw" not in message


@pytest.mark.postgres
def test_check_connection_names_a_missing_database(pg_admin_url: str) -> None:
    url = pg_admin_url.rsplit("/", 1)[0] + "/no_such_database_here"
    with pytest.raises(StoreUnavailable, match='database "no_such_database_here" does not exist'):
        check_connection(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://u:pw-123@localhost/x", "unsupported database type 'mysql' in DATABASE_URL"),
        ("not a url at all pw-123", "DATABASE_URL is not a valid database URL"),
    ],
)
def test_check_connection_explains_unusable_urls(url: str, expected: str) -> None:
    with pytest.raises(StoreUnavailable) as caught:
        check_connection(url)
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message and "pw-123" not in message


def test_check_connection_reports_a_folder_it_cannot_create(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match="cannot create the folder for the CRM database"):
        check_connection(f"sqlite:///{blocker / 'sub' / 'crm.sqlite3'}")


def test_upgrade_to_head_on_unreachable_server_raises_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable, match="connection refused"):
        upgrade_to_head(f"postgresql://shop@127.0.0.1:{_free_port()}/crm")
