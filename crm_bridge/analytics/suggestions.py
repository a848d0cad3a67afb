"""Product suggestions in the chat over a range: shown, clicked, bought, per model version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from crm_bridge import recommendations
from crm_bridge.analytics.periods import check_range, ratio
from crm_bridge.recommendations import FunnelRow


@dataclass(frozen=True)
class SuggestionFunnel:
    """All versions together, and each model version on its own (oldest first).

    Click-through is clicked / shown and conversion bought / shown, each event counted in
    the range it happened in (`crm_bridge.recommendations.funnel`).
    """

    shown: int
    clicked: int
    asked: int
    bought: int
    by_version: list[FunnelRow]

    @property
    def click_through_rate(self) -> float | None:
        return ratio(self.clicked, self.shown)

    @property
    def conversion_rate(self) -> float | None:
        return ratio(self.bought, self.shown)


def suggestion_funnel(session: Session, *, start: datetime, end: datetime) -> SuggestionFunnel:
    """Suggestion events of the range, totalled and per model version."""
    check_range(start, end)
    rows = recommendations.funnel(session, start=start, end=end)
    return SuggestionFunnel(
        shown=sum(row.shown for row in rows),
        clicked=sum(row.clicked for row in rows),
        asked=sum(row.asked for row in rows),
        bought=sum(row.bought for row in rows),
        by_version=rows,
    )
