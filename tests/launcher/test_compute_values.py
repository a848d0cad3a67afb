"""`python -m launcher compute-values` on the demo shop, and the first-run variant."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from crm_bridge import segments
from crm_bridge.db import make_engine, make_session_factory, upgrade_to_head
from crm_bridge.demo_shop import seed_demo_shop
from crm_bridge.models import CustomerValue, SegmentMembership, ValueRun
from launcher import value_computation
from launcher.__main__ import main

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "crm.sqlite3"
    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        seed_demo_shop(session)
        segments.create_segment(
            session,
            name="Big spenders",
            rules={"field": "value.clv", "op": "gt", "value": 300},
            created_by="test",
        )
        session.commit()
    engine.dispose()
    return path


@pytest.fixture
def demo_url(demo_file: Path, tmp_path: Path) -> str:
    copy = tmp_path / "crm.sqlite3"
    shutil.copyfile(demo_file, copy)
    return f"sqlite:///{copy}"


def _count(url: str, statement: sa.Select[tuple[int]]) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(statement) or 0)
    finally:
        engine.dispose()


def test_the_command_values_the_demo_shop_and_prints_a_summary(
    demo_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", demo_url)

    assert main(["compute-values"]) == 0

    out = capsys.readouterr().out
    customers = _count(demo_url, sa.select(sa.func.count()).select_from(CustomerValue))
    assert 250 < customers <= 300  # a few demo customers only ever had cancelled orders
    assert f"Value run #1: {customers} customers in " in out
    assert "RFM segments: Champions " in out and "Lost " in out
    assert "Clusters: k = " in out and "(silhouette)" in out
    assert "CLV: fitted on " in out and "365 days at 10% a year" in out
    # The saved rule segment was refreshed from the new values.
    big = sa.select(sa.func.count()).where(SegmentMembership.segment_key.like("rule:%"))
    expected = sa.select(sa.func.count()).where(CustomerValue.clv > 300)
    assert _count(demo_url, big) == _count(demo_url, expected) > 0


def test_first_run_computes_only_once(demo_url: str) -> None:
    first = value_computation.ensure_values(demo_url, now=NOW)

    assert first is not None and first.status == "ok" and first.customers > 250
    assert value_computation.ensure_values(demo_url, now=NOW) is None
    assert _count(demo_url, sa.select(sa.func.count()).select_from(ValueRun)) == 1


def test_an_empty_store_gives_an_empty_summary(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", sqlite_url)

    assert main(["compute-values"]) == 0

    out = capsys.readouterr().out
    assert "0 customers" in out and "RFM segments: none" in out
    assert "CLV: not fitted: 0 customers bought more than once" in out


def test_a_store_without_tables_fails_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'blank.sqlite3'}")

    assert main(["compute-values"]) == 2

    error = capsys.readouterr().err
    assert error.startswith("error: cannot record a value run in the CRM store: ")
    assert "value_runs" in error and error.count("\n") == 1
