"""The data analytics.js draws for the dashboard's charts, as JSON-ready values."""

from __future__ import annotations

from typing import Any

from crm_bridge.analytics.dashboard import Dashboard


def chart_data(dashboard: Dashboard) -> dict[str, Any]:
    """What analytics.js draws, as JSON-ready values (None for a chart with no source yet)."""
    series = dashboard.series
    campaigns = dashboard.campaigns
    clv = dashboard.clv
    return {
        "conversations": {
            "labels": [day.isoformat() for day in series.days],
            "datasets": [
                {"label": channel, "data": counts} for channel, counts in series.by_channel.items()
            ],
        },
        "funnel": {
            "labels": [name for name, _ in dashboard.funnel.steps()],
            "datasets": [
                {"label": "conversations", "data": [n for _, n in dashboard.funnel.steps()]}
            ],
        },
        "intents": {
            "labels": [row.intent for row in dashboard.intents],
            "datasets": [
                {"label": "messages", "data": [row.messages for row in dashboard.intents]}
            ],
        },
        "campaigns": None
        if not campaigns
        else {
            "labels": [row.name for row in campaigns],
            "datasets": [
                {"label": kind, "data": [getattr(row, kind) for row in campaigns]}
                for kind in ("sent", "clicked", "converted")
            ],
        },
        "clv": None
        if not clv
        else {
            "labels": [f"{row.label} ({row.kind})" for row in clv],
            "datasets": [
                {
                    "label": "average CLV",
                    "data": [
                        None if row.average_clv is None else float(row.average_clv) for row in clv
                    ],
                }
            ],
        },
    }
