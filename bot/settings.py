"""Gateway settings, read from the environment (or `.env`) once at start.

`DATABASE_URL` and `DATA_DIR` belong to `crm_bridge.settings.StoreSettings`; the gateway
reads them from there instead of declaring them twice.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FILE_NAME = "session_secret"
TELEGRAM_SECRET_FILE_NAME = "telegram_webhook_secret"
# Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - as a webhook secret token.
_TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
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


class TelegramSettings(BaseSettings):
    """The Telegram channel (docs/architecture.md, "Telegram channel").

    No TELEGRAM_BOT_TOKEN means Telegram is off. `polling` suits a laptop without a public
    address; `webhook` serves `POST /telegram/webhook` and, when TELEGRAM_PUBLIC_URL is set,
    registers `<public url>/telegram/webhook` with Telegram at start.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_mode: Literal["webhook", "polling"] = "polling"
    telegram_public_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"

    @field_validator("telegram_bot_token", "telegram_webhook_secret")
    @classmethod
    def _blank_is_unset(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or value.get_secret_value().strip() == "":
            return None
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _telegram_charset(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            check_telegram_secret(value.get_secret_value())
        return value

    @field_validator("telegram_public_url", "telegram_api_base_url")
    @classmethod
    def _strip_slash(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.rstrip("/") or None

    @property
    def enabled(self) -> bool:
        return self.telegram_bot_token is not None

    @property
    def file_base_url(self) -> str:
        """Where files are fetched: `.../bot` becomes `.../file/bot`, as on Telegram's server."""
        head, _, tail = self.telegram_api_base_url.rpartition("/")
        return f"{head}/file/{tail}" if head else f"{self.telegram_api_base_url}/file"

    def resolve_webhook_secret(self, data_dir: Path) -> str:
        """TELEGRAM_WEBHOOK_SECRET, or the one generated once into `<data_dir>`."""
        if self.telegram_webhook_secret is not None:
            return self.telegram_webhook_secret.get_secret_value()
        secret = load_or_create_secret(
            data_dir / TELEGRAM_SECRET_FILE_NAME, name="TELEGRAM_WEBHOOK_SECRET"
        )
        check_telegram_secret(secret)
        return secret


def check_telegram_secret(secret: str) -> None:
    """Raise `PlaceholderSecret` unless Telegram would accept `secret` and it is not a guess."""
    check_secret(secret, name="TELEGRAM_WEBHOOK_SECRET")
    if _TELEGRAM_SECRET.fullmatch(secret) is None:
        raise PlaceholderSecret("TELEGRAM_WEBHOOK_SECRET may only hold A-Z, a-z, 0-9, _ and -")


def check_secret(secret: str, *, name: str = "SESSION_SECRET") -> None:
    """Raise `PlaceholderSecret` for obvious placeholders and short secrets."""
    lowered = secret.strip().lower()
    if lowered in _PLACEHOLDERS or lowered.startswith(("changeme", "change-me", "your-")):
        raise PlaceholderSecret(f"{name} is a placeholder; set a random value")
    if len(secret) < _MIN_SECRET_LENGTH:
        raise PlaceholderSecret(f"{name} must be at least {_MIN_SECRET_LENGTH} characters")


def load_or_create_secret(path: Path, *, name: str = "SESSION_SECRET") -> str:
    """Read the secret file, creating it (mode 0600) with a random value the first time.

    Generated once so that session tokens survive restarts without any configuration.
    """
    if path.exists():
        secret = path.read_text(encoding="utf-8").strip()
        check_secret(secret, name=name)
        return secret
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race; use its secret
        return load_or_create_secret(path, name=name)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")
    return secret
