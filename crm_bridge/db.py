"""Engines, sessions and migrations for the CRM store; nothing is created at import time."""

import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from crm_bridge.errors import StoreUnavailable

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000
PG_CONNECT_TIMEOUT_S = 5
SUPPORTED_BACKENDS = ("sqlite", "postgresql")

__all__ = [
    "StoreUnavailable",
    "check_connection",
    "make_engine",
    "make_session_factory",
    "parse_url",
    "upgrade_to_head",
]


def parse_url(url: str | URL) -> URL:
    """Parse a database URL and pick psycopg 3 for PostgreSQL, as the only PG driver installed."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreUnavailable(
            "DATABASE_URL is not a valid database URL"
            " (expected e.g. sqlite:///var/crm.sqlite3 or postgresql://user@host:5432/db)"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _is_sqlite_file(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    """Turn on WAL (readers never block the writer), foreign keys and a busy wait.

    The driver's own transaction handling is switched off (SQLAlchemy emits BEGIN instead,
    see ``_sqlite_begin``), because pysqlite's breaks SAVEPOINTs and transactional DDL.
    """
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """Build an engine tuned for the backend; a SQLite file's folder is created if missing."""
    parsed = parse_url(url)
    backend = parsed.get_backend_name()
    if _is_sqlite_file(parsed):
        Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
    if backend == "postgresql":
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("connect_args", {"connect_timeout": PG_CONNECT_TIMEOUT_S})
    if backend not in SUPPORTED_BACKENDS:
        raise StoreUnavailable(
            f"unsupported database type {parsed.drivername!r} in DATABASE_URL"
            " (use sqlite:/// or postgresql://)"
        )
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreUnavailable(
            f"cannot use database driver {parsed.drivername!r} in DATABASE_URL: {exc}"
        ) from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory; objects stay readable after commit for rendering replies."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config(url: str | URL) -> Config:
    """Build the Alembic configuration in code, so migrations run from any working folder."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = parse_url(url)
    return config


def upgrade_to_head(url: str | URL) -> None:
    """Apply every pending migration (Alembic ``upgrade head``); StoreUnavailable if unreachable."""
    check_connection(url)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def safe_url(url: str | URL) -> str:
    """Render a URL for messages with the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


def _reason(exc: BaseException) -> str:
    """Reduce a driver error to its first line and the part after 'failed:'."""
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).strip().splitlines() if line.strip()]
    text = lines[0] if lines else type(original).__name__
    if "failed: " in text:
        text = text.rsplit("failed: ", 1)[1]
    text = re.sub(r"^(FATAL|ERROR):\s*", "", text)
    if text[:2].istitle():  # "Connection refused" -> "connection refused", "SSL ..." unchanged
        text = text[:1].lower() + text[1:]
    return text


def check_connection(url: str | URL) -> None:
    """Open one connection and run ``SELECT 1``; raise StoreUnavailable with one clear line."""
    shown = safe_url(url)
    try:
        engine = make_engine(url)
    except OSError as exc:
        raise StoreUnavailable(
            f"cannot create the folder for the CRM database at {shown}: {exc.strerror or exc}"
        ) from None
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise StoreUnavailable(
            f"cannot connect to the CRM database at {shown}: {_reason(exc)}"
        ) from None
    finally:
        engine.dispose()
