"""Figures the dashboard takes from other store modules: campaign results, CLV per segment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from crm_bridge import campaign_stats, customer_values
from crm_bridge.analytics.periods import check_range


def campaign_results(
    session: Session, *, start: datetime, end: datetime
) -> list[campaign_stats.CampaignResult]:
    """Each campaign's enrolments, sends, skips, clicks, conversions and revenue in the range."""
    check_range(start, end)
    return list(campaign_stats.campaign_results(session, start=start, end=end))


def clv_by_segment(session: Session) -> list[customer_values.SegmentValue]:
    """Average and total CLV per RFM segment and cluster, from the latest value run.

    Values are those of the latest run, whatever the dashboard's range; empty before the
    first run.
    """
    return list(customer_values.clv_by_segment(session))
