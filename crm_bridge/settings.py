"""Settings of the CRM store, declared once here and instantiated only by applications."""

from pathlib import Path

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
