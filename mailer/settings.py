"""Email settings, declared once here and instantiated only by applications.

No SMTP_HOST means email is off: messages are still recorded in the outbox (as skipped,
reason ``email_off``) and nothing tries to connect anywhere.

Unsubscribe links are signed with MAIL_SIGNING_SECRET, not the gateway's SESSION_SECRET:
the links sit in inboxes for years, so rotating the session secret (say after a leak)
must not break them, and a leaked link secret must not let anyone forge chat sessions.
Unset, it is generated once into ``$DATA_DIR/mail_signing_secret`` by `MailSettings.load`.
"""

from __future__ import annotations

import os
import secrets
from email.headerregistry import Address
from email.utils import parseaddr
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SECRET_FILE_NAME = "mail_signing_secret"
MIN_SECRET_LENGTH = 16
# The gateway's default address (launcher/settings.py: GATEWAY_HOST, GATEWAY_PORT).
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"


class SmtpSecurity(StrEnum):
    """How the connection to the mail server is protected."""

    none = "none"
    starttls = "starttls"
    tls = "tls"


DEFAULT_PORTS = {SmtpSecurity.none: 25, SmtpSecurity.starttls: 587, SmtpSecurity.tls: 465}


class MissingSigningSecret(RuntimeError):
    """A marketing email needs a signed unsubscribe link, and no secret was resolved."""


def check_address(value: str) -> str:
    """Return a bare email address (``a@b.c``) or raise ValueError saying what is wrong."""
    address = value.strip()
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in address):
        raise ValueError(f"{value!r} is not an email address")
    return address


class MailSettings(BaseSettings):
    """SMTP server, sender, staff addresses, public base URL and the link-signing secret."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    smtp_host: str | None = None
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    smtp_security: SmtpSecurity = SmtpSecurity.starttls
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    mail_from: str | None = None
    staff_notify_emails: Annotated[list[str], NoDecode] = Field(default_factory=list)
    public_base_url: str = DEFAULT_PUBLIC_BASE_URL
    mail_signing_secret: SecretStr | None = None

    @field_validator("smtp_host", "smtp_user", "mail_from", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("smtp_password", "mail_signing_secret", mode="before")
    @classmethod
    def _blank_secret_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and value == "" else value

    @field_validator("staff_notify_emails", mode="before")
    @classmethod
    def _split_addresses(cls, value: object) -> object:
        if isinstance(value, str):
            return [part for part in (p.strip() for p in value.split(",")) if part]
        return value

    @field_validator("staff_notify_emails")
    @classmethod
    def _check_staff(cls, value: list[str]) -> list[str]:
        return [check_address(address) for address in value]

    @field_validator("mail_from")
    @classmethod
    def _check_from(cls, value: str | None) -> str | None:
        if value is not None:
            check_address(parseaddr(value)[1] or value)
        return value

    @field_validator("public_base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("PUBLIC_BASE_URL must start with http:// or https://")
        return value

    @field_validator("mail_signing_secret")
    @classmethod
    def _check_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_SECRET_LENGTH:
            raise ValueError(f"MAIL_SIGNING_SECRET must be at least {MIN_SECRET_LENGTH} characters")
        return value

    @model_validator(mode="after")
    def _from_needed_to_send(self) -> Self:
        """Fail at start, not at the first send, when email is on without a sender."""
        if self.smtp_host is not None and self.mail_from is None:
            raise ValueError("MAIL_FROM is required when SMTP_HOST is set")
        if (self.smtp_user is None) != (self.smtp_password is None):
            raise ValueError("set both SMTP_USER and SMTP_PASSWORD, or neither")
        return self

    @classmethod
    def load(cls, data_dir: Path, **values: object) -> Self:
        """Read the environment and fill in the signing secret generated into `data_dir`."""
        settings = cls(**values)  # type: ignore[arg-type]
        if settings.mail_signing_secret is None:
            secret = load_or_create_secret(data_dir / SECRET_FILE_NAME)
            settings = settings.model_copy(update={"mail_signing_secret": SecretStr(secret)})
        return settings

    @property
    def enabled(self) -> bool:
        return self.smtp_host is not None

    @property
    def port(self) -> int:
        """SMTP_PORT, or the usual port of the chosen security (25, 587 or 465)."""
        return self.smtp_port or DEFAULT_PORTS[self.smtp_security]

    @property
    def from_address(self) -> str:
        """The bare address of MAIL_FROM (the SMTP envelope sender)."""
        return parseaddr(self.mail_from or "")[1] or (self.mail_from or "")

    @property
    def from_header(self) -> str:
        """MAIL_FROM as a From header, display name kept."""
        name, address = parseaddr(self.mail_from or "")
        return str(Address(display_name=name, addr_spec=address or self.from_address))

    @property
    def signing_secret(self) -> str:
        if self.mail_signing_secret is None:
            raise MissingSigningSecret(
                "no MAIL_SIGNING_SECRET: build the settings with MailSettings.load(data_dir)"
            )
        return self.mail_signing_secret.get_secret_value()

    def describe(self) -> str:
        """One line for the start-up output and /healthz."""
        if not self.enabled:
            return "off (set SMTP_HOST, MAIL_FROM to send email)"
        return f"via {self.smtp_host}:{self.port} ({self.smtp_security}), from {self.mail_from}"


def load_or_create_secret(path: Path) -> str:
    """Read the secret file, creating it (mode 0600) with a random value the first time."""
    if path.exists():
        secret = path.read_text(encoding="utf-8").strip()
        if len(secret) < MIN_SECRET_LENGTH:
            raise MissingSigningSecret(f"{path} holds a secret shorter than {MIN_SECRET_LENGTH}")
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
