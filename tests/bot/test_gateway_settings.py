"""GatewaySettings: defaults, the session secret file and refused placeholders."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import GatewaySettings, PlaceholderSecret, load_or_create_secret


def test_settings_defaults_match_the_architecture(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RASA_URL", "RASA_TIMEOUT_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    settings = GatewaySettings(_env_file=None)
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.rasa_timeout_seconds == 8
    assert GatewaySettings.MAX_MESSAGE_LENGTH == 4000


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_URL", "http://rasa.internal:5005/")
    monkeypatch.setenv("RASA_TIMEOUT_SECONDS", "2.5")
    settings = GatewaySettings(_env_file=None)
    assert settings.rasa_url == "http://rasa.internal:5005"
    assert settings.rasa_timeout_seconds == 2.5


def test_settings_generate_the_secret_once_into_the_data_dir(tmp_path: Path) -> None:
    settings = GatewaySettings(_env_file=None, session_secret=None)
    first = settings.resolve_session_secret(tmp_path / "data")
    second = settings.resolve_session_secret(tmp_path / "data")
    secret_file = tmp_path / "data" / "session_secret"
    assert first == second == secret_file.read_text().strip()
    assert len(first) >= 32
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


def test_settings_prefer_the_configured_secret(tmp_path: Path) -> None:
    settings = GatewaySettings(_env_file=None, session_secret="a-long-random-secret-value-123")
    assert settings.resolve_session_secret(tmp_path) == "a-long-random-secret-value-123"
    assert not (tmp_path / "session_secret").exists()


@pytest.mark.parametrize("placeholder", ["changeme", "CHANGEME-please-now", "secret", "short"])
def test_settings_refuse_placeholder_secrets(placeholder: str) -> None:
    with pytest.raises(ValidationError, match="SESSION_SECRET"):
        GatewaySettings(_env_file=None, session_secret=placeholder)


def test_settings_refuse_a_placeholder_in_the_secret_file(tmp_path: Path) -> None:
    (tmp_path / "session_secret").write_text("changeme\n")
    with pytest.raises(PlaceholderSecret):
        load_or_create_secret(tmp_path / "session_secret")
