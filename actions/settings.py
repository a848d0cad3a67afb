"""Settings of the action server's sales features, declared once and read at first use."""

from __future__ import annotations

import functools
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class LeadSettings(BaseSettings):
    """How leads are graded and which ones count as hot.

    `LEAD_GRADE_THRESHOLDS` are the lowest probabilities for grades A, B and C (below the
    last: D). A hot lead (grade in `LEAD_HOT_GRADES`) is offered a call back or demo slot
    and handed to staff. Slots are offered in `LEAD_TIMEZONE` during `LEAD_SLOT_HOURS`.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    lead_grade_thresholds: Annotated[tuple[float, float, float], NoDecode] = (0.65, 0.4, 0.2)
    lead_hot_grades: Annotated[frozenset[str], NoDecode] = frozenset({"A"})
    lead_timezone: str = "Europe/Berlin"
    lead_slot_hours: Annotated[tuple[int, ...], NoDecode] = (10, 14, 16)
    lead_slots_offered: int = Field(default=3, ge=1, le=6)

    @field_validator("lead_grade_thresholds", "lead_slot_hours", "lead_hot_grades", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        """Read "0.5,0.3,0.15" (or "[0.5, 0.3, 0.15]") from the environment."""
        if isinstance(value, str):
            return [part.strip() for part in value.strip("[] ").split(",") if part.strip()]
        return value

    @field_validator("lead_grade_thresholds")
    @classmethod
    def _descending(cls, value: tuple[float, float, float]) -> tuple[float, float, float]:
        if not 1 >= value[0] > value[1] > value[2] > 0:
            raise ValueError("LEAD_GRADE_THRESHOLDS must be three descending numbers in (0, 1]")
        return value

    @field_validator("lead_hot_grades")
    @classmethod
    def _known_grades(cls, value: frozenset[str]) -> frozenset[str]:
        grades = frozenset(grade.upper() for grade in value)
        if not grades <= {"A", "B", "C", "D"}:
            raise ValueError("LEAD_HOT_GRADES takes grades among A, B, C, D")
        return grades

    @field_validator("lead_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("lead_slot_hours")
    @classmethod
    def _office_hours(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(not 0 <= hour <= 23 for hour in value):
            raise ValueError("LEAD_SLOT_HOURS must be hours between 0 and 23")
        return tuple(sorted(set(value)))


@functools.cache
def get_lead_settings() -> LeadSettings:
    """The process-wide settings (tests clear the cache after changing the environment)."""
    return LeadSettings()
