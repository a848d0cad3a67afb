"""Gateway settings, read from the environment (or `.env`) once at start.

`DATABASE_URL` and `DATA_DIR` belong to `crm_bridge.settings.StoreSettings`; the gateway
reads them from there instead of declaring them twice.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import ClassVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FILE_NAME = "session_secret"
_MIN_SECRET_LENGTH = 16
_PLACEHOLDERS = frozenset(
    {"changeme", "change-me", "change_me", "changethis", "secret", "password", "default", "xxx"}
)


class PlaceholderSecret(ValueError):
    """SESSION_SECRET is a well-known placeholder or too short to protect session tokens."""


class GatewaySettings(BaseSettings):
    """Environment of the gateway process (see docs/architecture.md, "Settings").

    Where it listens (GATEWAY_HOST, GATEWAY_PORT) is the launcher's setting: it passes
    them to uvicorn, so the app itself never needs to know its own address.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # Not an environment variable: the limit is part of the web chat protocol.
    MAX_MESSAGE_LENGTH: ClassVar[int] = 4000

    session_secret: SecretStr | None = None
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = Field(default=8.0, gt=0, le=60)

    @field_validator("session_secret")
    @classmethod
    def _refuse_placeholder(cls, value: SecretStr | None) -> SecretStr | None:
        """Fail at start rather than sign sessions with a secret anyone can guess."""
        if value is None or value.get_secret_value() == "":
            return None
        check_secret(value.get_secret_value())
        return value

    @field_validator("rasa_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def resolve_session_secret(self, data_dir: Path) -> str:
        """Return SESSION_SECRET, or the one generated once into `<data_dir>/session_secret`."""
        if self.session_secret is not None:
            return self.session_secret.get_secret_value()
        return load_or_create_secret(data_dir / SECRET_FILE_NAME)


def check_secret(secret: str) -> None:
    """Raise `PlaceholderSecret` for obvious placeholders and short secrets."""
    lowered = secret.strip().lower()
    if lowered in _PLACEHOLDERS or lowered.startswith(("changeme", "change-me", "your-")):
        raise PlaceholderSecret("SESSION_SECRET is a placeholder; set a random value")
    if len(secret) < _MIN_SECRET_LENGTH:
        raise PlaceholderSecret(f"SESSION_SECRET must be at least {_MIN_SECRET_LENGTH} characters")


def load_or_create_secret(path: Path) -> str:
    """Read the secret file, creating it (mode 0600) with a random value the first time.

    Generated once so that session tokens survive restarts without any configuration.
    """
    if path.exists():
        secret = path.read_text(encoding="utf-8").strip()
        check_secret(secret)
        return secret
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race; use its secret
        return load_or_create_secret(path)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")
    return secret
