"""Every figure of the marketing dashboard for one range, read in one session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from crm_bridge.analytics import conversations, funnel, money, nlu, outside, suggestions
from crm_bridge.analytics.periods import check_range
from crm_bridge.campaign_stats import CampaignResult
from crm_bridge.customer_values import SegmentValue


@dataclass(frozen=True)
class Dashboard:
    """The figures of ``[start, end)``; ``clv`` is that of the latest value run."""

    start: datetime
    end: datetime
    per_day: list[conversations.DailyConversations]
    series: conversations.DailySeries
    containment: conversations.Containment
    fallbacks: nlu.FallbackRate
    intents: list[nlu.IntentCount]
    low_confidence: list[nlu.LowConfidenceMessage]
    low_confidence_threshold: float
    funnel: funnel.Funnel
    suggestions: suggestions.SuggestionFunnel
    money: money.MoneyFigures
    campaigns: list[CampaignResult]
    clv: list[SegmentValue]


def build_dashboard(
    session: Session,
    *,
    start: datetime,
    end: datetime,
    low_confidence_threshold: float = nlu.LOW_CONFIDENCE,
) -> Dashboard:
    """Compute every figure of the dashboard for ``[start, end)``."""
    check_range(start, end)
    rows = conversations.conversations_per_day(session, start=start, end=end)
    return Dashboard(
        start=start,
        end=end,
        per_day=rows,
        series=conversations.daily_series(rows, start=start, end=end),
        containment=conversations.containment(session, start=start, end=end),
        fallbacks=nlu.fallback_rate(session, start=start, end=end),
        intents=nlu.top_intents(session, start=start, end=end),
        low_confidence=nlu.low_confidence_messages(
            session, start=start, end=end, threshold=low_confidence_threshold
        ),
        low_confidence_threshold=low_confidence_threshold,
        funnel=funnel.conversation_funnel(session, start=start, end=end),
        suggestions=suggestions.suggestion_funnel(session, start=start, end=end),
        money=money.money_figures(session, start=start, end=end),
        campaigns=outside.campaign_results(session, start=start, end=end),
        clv=outside.clv_by_segment(session),
    )
