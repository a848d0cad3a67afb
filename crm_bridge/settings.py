"""Settings of the CRM store, declared once here and instantiated only by applications."""

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class StoreSettings(BaseSettings):
    """Where the CRM store lives: a SQLite file under DATA_DIR unless DATABASE_URL is set."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    data_dir: Path = Path("var")
    database_url: str | None = None

    def resolved_database_url(self) -> str:
        """Return DATABASE_URL, or the default SQLite file so a fresh machine needs no server."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'crm.sqlite3'}"


class WebhookSettings(BaseSettings):
    """Where qualified leads are posted (an external CRM), signed with a shared secret.

    Unset URL: no webhook. A URL without a secret is refused at start, since an unsigned
    post would let anyone who finds the receiver forge leads.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    lead_webhook_url: str | None = None
    lead_webhook_secret: str | None = None
    webhook_max_attempts: int = Field(default=8, ge=1, le=50)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_first_retry_seconds: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _secret_with_url(self) -> "WebhookSettings":
        if self.lead_webhook_url and not self.lead_webhook_secret:
            raise ValueError("LEAD_WEBHOOK_SECRET must be set when LEAD_WEBHOOK_URL is set")
        if self.lead_webhook_url and not self.lead_webhook_url.startswith(("http://", "https://")):
            raise ValueError("LEAD_WEBHOOK_URL must be an http:// or https:// address")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.lead_webhook_url)
