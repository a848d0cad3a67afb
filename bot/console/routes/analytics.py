"""The marketing dashboard: figures over a date range, charts, CSV export of every table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.console import analytics_charts, analytics_tables
from bot.console.auth import Staff
from bot.console.deps import ConsoleDep, MarketingDep, marketing_staff
from bot.console.rendering import SECURITY_HEADERS, render
from bot.console.services import ConsoleServices
from bot.store import run_in_session
from crm_bridge.analytics.dashboard import Dashboard, build_dashboard
from crm_bridge.analytics.periods import day_start
from crm_bridge.column_types import utcnow

router = APIRouter(prefix="/console/analytics", dependencies=[Depends(marketing_staff)])

DEFAULT_DAYS = 30
MAX_DAYS = 1_100  # three years of daily bars is already more than a chart can show
# The CSV names of the tables in `bot.console.analytics_tables.tables`.
EXPORTABLE = (
    "kpis",
    "conversations",
    "funnel",
    "intents",
    "low_confidence",
    "suggestions",
    "campaigns",
    "clv",
    "costs",
)


@dataclass(frozen=True)
class DayRange:
    """The days staff asked for, both included; ``error`` says why the default was used."""

    first: date
    last: date
    error: str | None = None

    @property
    def start(self) -> datetime:
        return day_start(self.first)

    @property
    def end(self) -> datetime:
        return day_start(self.last + timedelta(days=1))

    def query(self) -> str:
        return f"from={self.first.isoformat()}&to={self.last.isoformat()}"


def default_range(today: date) -> DayRange:
    """The last 30 days, today included."""
    return DayRange(first=today - timedelta(days=DEFAULT_DAYS - 1), last=today)


def parse_range(raw_from: str | None, raw_to: str | None, *, today: date) -> DayRange:
    """The range of the ``from`` / ``to`` inputs (YYYY-MM-DD), or the default and why."""
    default = default_range(today)
    if not raw_from and not raw_to:
        return default
    try:
        first = date.fromisoformat(raw_from) if raw_from else default.first
        last = date.fromisoformat(raw_to) if raw_to else default.last
    except ValueError:
        bad = raw_from if raw_from and not _is_date(raw_from) else raw_to
        return _refused(default, f"“{_clip(bad)}” is not a date (use YYYY-MM-DD)")
    if last < first:
        return _refused(default, f"the range ends ({last}) before it starts ({first})")
    if (last - first).days + 1 > MAX_DAYS:
        return _refused(default, f"the range is longer than {MAX_DAYS} days")
    return DayRange(first=first, last=last)


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _clip(value: str | None) -> str:
    text = value or ""
    return text if len(text) <= 40 else text[:40] + "…"


def _refused(default: DayRange, reason: str) -> DayRange:
    message = f"Not shown: {reason}. Showing the last {DEFAULT_DAYS} days instead."
    return DayRange(first=default.first, last=default.last, error=message)


def _requested_range(request: Request) -> DayRange:
    params = request.query_params
    return parse_range(params.get("from"), params.get("to"), today=utcnow().date())


async def _dashboard(console: ConsoleServices, days: DayRange) -> Dashboard:
    return await run_in_session(
        console.session_factory,
        lambda session: build_dashboard(session, start=days.start, end=days.end),
    )


@router.get("")
async def analytics_page(request: Request, console: ConsoleDep, staff: MarketingDep) -> Response:
    """KPI tiles, charts and tables of the chosen range (default: the last 30 days)."""
    days = _requested_range(request)
    dashboard = await _dashboard(console, days)
    return _page(request, staff, days, dashboard)


def _page(request: Request, staff: Staff, days: DayRange, dashboard: Dashboard) -> Response:
    tiles = [
        (key, label, analytics_tables.display(value, kind))
        for key, label, value, kind in analytics_tables.kpis(dashboard)
    ]
    return render(
        request,
        "console/analytics.html",
        {
            "days": days,
            "error": days.error,
            "tiles": tiles,
            "tables": analytics_tables.tables(dashboard),
            "charts": analytics_charts.chart_data(dashboard),
        },
        staff=staff,
        status_code=400 if days.error else 200,
    )


@router.get("/export/{table}.csv")
async def export_table(
    request: Request, table: str, console: ConsoleDep, staff: MarketingDep
) -> Response:
    """One table of the dashboard as CSV, for the range of the page it was linked from."""
    if table not in EXPORTABLE:
        return Response(f"There is no table {table!r}.\n", status_code=404, media_type="text/plain")
    days = _requested_range(request)
    if days.error:
        return Response(days.error + "\n", status_code=400, media_type="text/plain")
    dashboard = await _dashboard(console, days)
    body = analytics_tables.to_csv(analytics_tables.tables(dashboard)[table])
    filename = f"{table}_{days.first.isoformat()}_{days.last.isoformat()}.csv"
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
