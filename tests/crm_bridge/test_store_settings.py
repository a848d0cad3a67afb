"""StoreSettings: where the CRM store lives."""

from pathlib import Path

import pytest

from crm_bridge.settings import StoreSettings


def test_default_is_a_sqlite_file_under_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DATA_DIR", raising=False)
    settings = StoreSettings(_env_file=None)
    assert Path("var") == settings.data_dir
    assert settings.resolved_database_url() == "sqlite:///var/crm.sqlite3"


def test_data_dir_moves_the_sqlite_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    settings = StoreSettings(_env_file=None)
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path}/crm.sqlite3"


def test_database_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://shop@db/crm")
    monkeypatch.setenv("DATA_DIR", "/elsewhere")
    assert StoreSettings(_env_file=None).resolved_database_url() == "postgresql://shop@db/crm"


def test_env_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("DATABASE_URL=postgresql://from@file/crm\nGATEWAY_PORT=9000\n")
    settings = StoreSettings(_env_file=env_file)
    assert settings.resolved_database_url() == "postgresql://from@file/crm"
