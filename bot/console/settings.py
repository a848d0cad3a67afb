"""Settings of the staff console, read from the environment (or `.env`) once at start."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    """Session lifetimes, sign-in throttling and the cookie's Secure flag (CONSOLE_*).

    `cookie_secure`: `auto` sets Secure when the request came over HTTPS (behind a proxy,
    run uvicorn with `--proxy-headers` so it knows), `always` for a TLS proxy that does
    not say so, `never` only for plain-HTTP development.
    """

    model_config = SettingsConfigDict(env_prefix="CONSOLE_", env_file=".env", extra="ignore")

    idle_timeout_minutes: int = Field(default=30, ge=1, le=24 * 60)
    absolute_timeout_hours: int = Field(default=12, ge=1, le=24 * 30)
    login_max_failures: int = Field(default=5, ge=1, le=100)
    login_max_failures_per_address: int = Field(default=20, ge=1, le=10_000)
    login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    cookie_secure: Literal["auto", "always", "never"] = "auto"

    @property
    def idle_timeout(self) -> timedelta:
        return timedelta(minutes=self.idle_timeout_minutes)

    @property
    def absolute_timeout(self) -> timedelta:
        return timedelta(hours=self.absolute_timeout_hours)

    @property
    def login_window(self) -> timedelta:
        return timedelta(minutes=self.login_window_minutes)


class AdminBootstrapSettings(BaseSettings):
    """CONSOLE_ADMIN_PASSWORD: the first admin's password for `create-admin` in scripts."""

    model_config = SettingsConfigDict(env_prefix="CONSOLE_", env_file=".env", extra="ignore")

    admin_password: SecretStr | None = None

    @field_validator("admin_password")
    @classmethod
    def _blank_is_unset(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or value.get_secret_value() == "":
            return None
        return value
