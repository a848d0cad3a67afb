"""Quiet hours: the local night during which no campaign message reaches a phone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

_RANGE = re.compile(r"\s*([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)\s*")


@dataclass(frozen=True, slots=True)
class QuietHours:
    """From ``start`` to ``end`` local time in ``zone``; ``end`` before ``start`` spans midnight."""

    start: time
    end: time
    zone: tzinfo

    @classmethod
    def parse(cls, text: str, zone: tzinfo) -> QuietHours:
        """``"21:00-08:00"`` -> QuietHours; ValueError with the expected shape otherwise."""
        match = _RANGE.fullmatch(text)
        if match is None:
            raise ValueError(f"CAMPAIGN_QUIET_HOURS must look like 21:00-08:00, not {text!r}")
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        if (h1, m1) == (h2, m2):
            raise ValueError("CAMPAIGN_QUIET_HOURS must not start and end at the same time")
        return cls(time(h1, m1), time(h2, m2), zone)

    def is_quiet(self, moment: datetime) -> bool:
        """True when `moment` (aware) falls inside the quiet hours."""
        local = moment.astimezone(self.zone).time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def ends_after(self, moment: datetime) -> datetime:
        """The first end of quiet hours after `moment`, as aware UTC."""
        local = moment.astimezone(self.zone)
        for days in range(3):
            day = local.date() + timedelta(days=days)
            candidate = datetime.combine(day, self.end, tzinfo=self.zone)
            if candidate > local:
                return candidate.astimezone(UTC)
        raise AssertionError("unreachable: an end time comes within two days")
