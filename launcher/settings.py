"""Settings of the launcher: ports and where the trained Rasa models live."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class LauncherSettings(BaseSettings):
    """Declared once here; `bot/settings.py` holds the gateway's own host and port."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    gateway_host: str = "127.0.0.1"
    gateway_port: int = Field(default=8000, ge=1, le=65535)
    rasa_port: int = Field(default=5005, ge=1, le=65535)
    actions_port: int = Field(default=5055, ge=1, le=65535)
    models_dir: Path = PROJECT_ROOT / "var" / "models"
    # An explicit model to serve instead of the one trained for the current data.
    rasa_model: Path | None = None
    rasa_venv: Path = PROJECT_ROOT / ".venvs" / "rasa"
    seed_demo_shop: bool = True
    startup_timeout_seconds: float = Field(default=300.0, gt=0)
