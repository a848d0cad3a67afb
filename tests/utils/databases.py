"""Migrated stores a test may commit to, on SQLite or PostgreSQL, dropped afterwards.

`store_url` in tests/conftest.py shares one PostgreSQL database per session, so tests
that need several connections to see each other's commits (races) use this instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_bridge.db import upgrade_to_head
from tests.conftest import _create_pg_database, _drop_pg_database


def own_store_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a freshly migrated database of `backend` owned by this test."""
    if backend == "sqlite":
        yield request.getfixturevalue("sqlite_url")
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    name, url = _create_pg_database(admin_url)
    try:
        upgrade_to_head(url)
        yield url
    finally:
        _drop_pg_database(admin_url, name)
