"""The dashboard's tables, KPI tiles and chart data, defined once for the page and the CSV.

Each table keeps raw values (ints, floats, Decimals, dates) and a kind per column: the
page formats them for people, the CSV export writes them unformatted, so a spreadsheet
gets numbers and the two never disagree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from crm_bridge.analytics.dashboard import Dashboard

# Text a spreadsheet would run as a formula; such cells get a leading apostrophe in CSV.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """A column's CSV header and how to show its values (text, int, rate, money, ...)."""

    name: str
    kind: str = "text"


@dataclass(frozen=True)
class Table:
    """One table of the dashboard; ``available`` is False when its figures do not exist yet."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]
    available: bool = True
    empty: str = "Nothing in this range."
    notes: list[str] = field(default_factory=list)

    def cells(self) -> Iterator[list[tuple[str, Any, str]]]:
        """Per row: (kind, raw value, text for people) for each column."""
        for row in self.rows:
            yield [
                (column.kind, value, display(value, column.kind))
                for column, value in zip(self.columns, row, strict=True)
            ]


def display(value: Any, kind: str) -> str:
    """A value as the page shows it: rates as percentages, money with two decimals."""
    if value is None:
        return "n/a"
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "money":
        return f"{Decimal(value):,.2f}"
    if kind == "int":
        return f"{value:,}"
    if kind == "float":
        return f"{value:.2f}"
    if kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv(table: Table) -> str:
    """The table as CSV: a header row, then raw values (empty for None)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(column.name for column in table.columns)
    for row in table.rows:
        writer.writerow(
            _csv_value(value, column.kind) for column, value in zip(table.columns, row, strict=True)
        )
    return buffer.getvalue()


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if kind == "text" and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def kpis(dashboard: Dashboard) -> list[tuple[str, str, Any, str]]:
    """The KPI tiles: (key, label, raw value, kind)."""
    money = dashboard.money
    funnel = dashboard.funnel
    return [
        ("conversations", "Conversations", funnel.conversations, "int"),
        ("containment", "Containment", dashboard.containment.rate, "rate"),
        ("fallback_rate", "Fallback rate", dashboard.fallbacks.rate, "rate"),
        ("leads", "Leads", funnel.leads, "int"),
        ("qualified", "Qualified", funnel.qualified, "int"),
        ("won", "Won", funnel.won, "int"),
        ("click_through_rate", "Suggestion CTR", dashboard.suggestions.click_through_rate, "rate"),
        ("conversion_rate", "Suggestion conversion", dashboard.suggestions.conversion_rate, "rate"),
        ("revenue", f"Revenue ({money.currency})", money.revenue, "money"),
        ("cost", f"Marketing cost ({money.currency})", money.cost, "money"),
        ("new_customers", "New customers", money.new_customers, "int"),
        ("cac", f"CAC ({money.currency})", money.cac, "money"),
        ("roi", "ROI", money.roi, "rate"),
    ]


def tables(dashboard: Dashboard) -> dict[str, Table]:
    """Every table of the dashboard by its CSV name, in page order."""
    built = [
        _kpi_table(dashboard),
        _conversations(dashboard),
        _funnel(dashboard),
        _intents(dashboard),
        _low_confidence(dashboard),
        _suggestions(dashboard),
        _campaigns(dashboard),
        _clv(dashboard),
        _costs(dashboard),
    ]
    return {table.name: table for table in built}


def _kpi_table(dashboard: Dashboard) -> Table:
    rows = [(key, value) for key, _label, value, _kind in kpis(dashboard)]
    return Table("kpis", "Key figures", (Column("figure"), Column("value", "raw")), rows)


def _conversations(dashboard: Dashboard) -> Table:
    series = dashboard.series
    channels = list(series.by_channel)
    rows = [
        (
            day,
            *(series.by_channel[channel][index] for channel in channels),
            sum(series.by_channel[channel][index] for channel in channels),
        )
        for index, day in enumerate(series.days)
    ]
    columns = (
        Column("day", "date"),
        *(Column(channel, "int") for channel in channels),
        Column("total", "int"),
    )
    return Table("conversations", "Conversations per day by channel", columns, rows)


def _funnel(dashboard: Dashboard) -> Table:
    steps = dashboard.funnel.steps()
    started = dashboard.funnel.conversations
    rows = [(name, count, count / started if started else None) for name, count in steps]
    columns = (Column("step"), Column("conversations", "int"), Column("share_of_started", "rate"))
    return Table("funnel", "Funnel", columns, rows)


def _intents(dashboard: Dashboard) -> Table:
    rows = [
        (row.intent, row.messages, row.share, row.average_confidence) for row in dashboard.intents
    ]
    columns = (
        Column("intent"),
        Column("messages", "int"),
        Column("share", "rate"),
        Column("average_confidence", "float"),
    )
    return Table("intents", "Top intents", columns, rows)


def _low_confidence(dashboard: Dashboard) -> Table:
    rows = [
        (row.created_at, row.conversation_id, row.intent, row.confidence, row.text)
        for row in dashboard.low_confidence
    ]
    columns = (
        Column("created_at", "datetime"),
        Column("conversation_id", "conversation"),
        Column("intent"),
        Column("confidence", "float"),
        Column("text"),
    )
    title = f"Low-confidence messages (below {dashboard.low_confidence_threshold:g})"
    return Table("low_confidence", title, columns, rows)


def _suggestions(dashboard: Dashboard) -> Table:
    rows = [
        (
            row.model_version,
            row.shown,
            row.clicked,
            row.asked,
            row.bought,
            row.click_through_rate,
            row.conversion_rate,
        )
        for row in dashboard.suggestions.by_version
    ]
    columns = (
        Column("model_version"),
        Column("shown", "int"),
        Column("clicked", "int"),
        Column("asked", "int"),
        Column("bought", "int"),
        Column("click_through_rate", "rate"),
        Column("conversion_rate", "rate"),
    )
    return Table("suggestions", "Product suggestions by model version", columns, rows)


def _campaigns(dashboard: Dashboard) -> Table:
    results = dashboard.campaigns
    rows = [
        (
            result.campaign_id,
            result.name,
            str(result.status),
            str(result.trigger),
            result.enrolled,
            result.sent,
            result.deferred,
            result.skipped,
            _reasons(result.skipped_by_reason),
            result.failed,
            result.clicked,
            result.converted,
            result.revenue,
        )
        for result in results
    ]
    columns = (
        Column("campaign_id", "raw"),
        Column("name"),
        Column("status"),
        Column("trigger"),
        *(Column(name, "int") for name in ("enrolled", "sent", "deferred", "skipped")),
        Column("skipped_by_reason"),
        *(Column(name, "int") for name in ("failed", "clicked", "converted")),
        Column("revenue", "money"),
    )
    empty = "No campaigns yet."
    return Table("campaigns", "Campaign results", columns, rows, empty=empty)


def _reasons(by_reason: Any) -> str:
    """``{"quiet_hours": 2, "no_consent": 1}`` as ``no_consent=1; quiet_hours=2``."""
    if not by_reason:
        return ""
    return "; ".join(f"{reason}={count}" for reason, count in sorted(dict(by_reason).items()))


def _clv(dashboard: Dashboard) -> Table:
    values = dashboard.clv
    rows = [
        (row.kind, row.key, row.label, row.customers, row.average_clv, row.total_clv)
        for row in values
    ]
    columns = (
        Column("kind"),
        Column("key"),
        Column("label"),
        Column("customers", "int"),
        Column("average_clv", "money"),
        Column("total_clv", "money"),
    )
    empty = "Not computed yet: customer values appear after the first value run."
    notes = ["Lifetime values of the latest value run, whatever the range."]
    return Table("clv", "Average CLV per segment", columns, rows, empty=empty, notes=notes)


def _costs(dashboard: Dashboard) -> Table:
    money = dashboard.money
    rows = [
        (
            share.cost_id,
            share.period_start,
            share.period_end,
            share.channel,
            share.amount,
            share.counted,
        )
        for share in money.costs
    ]
    columns = (
        Column("cost_id", "raw"),
        Column("period_start", "date"),
        Column("period_end", "date"),
        Column("channel"),
        Column("amount", "money"),
        Column("counted_in_range", "money"),
    )
    notes = [
        "A cost counts by the share of its period inside the range (pro rata by day).",
        f"Only costs in {money.currency}.",
    ]
    return Table("costs", f"Marketing costs ({money.currency})", columns, rows, notes=notes)
