"""Marketing-automation settings, declared once here and instantiated only by applications.

The public base URL of tracked links is MailSettings' PUBLIC_BASE_URL (mailer/settings.py),
not a second variable: unsubscribe links and campaign links point at the same gateway.
"""

from __future__ import annotations

import re
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from automation.campaigns.quiet_hours import QuietHours

_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


class AutomationSettings(BaseSettings):
    """CAMPAIGNS_ENABLED, CAMPAIGN_SCAN_SECONDS, CAMPAIGN_QUIET_HOURS, CAMPAIGN_TIMEZONE and
    VALUES_RECOMPUTE_AT (docs/campaigns.md, "Settings")."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    campaigns_enabled: bool = True
    campaign_scan_seconds: int = Field(default=60, ge=5, le=86_400)
    campaign_quiet_hours: str = "21:00-08:00"
    campaign_timezone: str = "Europe/Berlin"
    values_recompute_at: str = "03:30"

    @field_validator("campaign_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        value = value.strip()
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"CAMPAIGN_TIMEZONE {value!r} is not a time zone (e.g. Europe/Berlin)"
            ) from None
        return value

    @field_validator("campaign_quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        value = value.strip()
        if value:
            QuietHours.parse(value, ZoneInfo("UTC"))  # raises the clear message
        return value

    @field_validator("values_recompute_at")
    @classmethod
    def _clock(cls, value: str) -> str:
        value = value.strip()
        if _CLOCK.fullmatch(value) is None:
            raise ValueError("VALUES_RECOMPUTE_AT must look like 03:30 (24-hour clock)")
        return value

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.campaign_timezone)

    @property
    def quiet_hours(self) -> QuietHours | None:
        """The quiet hours in CAMPAIGN_TIMEZONE, or None when CAMPAIGN_QUIET_HOURS is empty."""
        if not self.campaign_quiet_hours:
            return None
        return QuietHours.parse(self.campaign_quiet_hours, self.timezone)

    @property
    def recompute_time(self) -> time:
        hour, minute = self.values_recompute_at.split(":")
        return time(int(hour), int(minute))
