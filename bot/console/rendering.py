"""Rendering console pages: Jinja2 with autoescape on, display filters, security headers.

Everything a customer wrote reaches the page only through `{{ ... }}` (escaped); no
template marks text `|safe`, and console.js never puts text into `innerHTML`. The
Content-Security-Policy allows scripts from this origin only, so even an injected
`<script>` would not run.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import Response

from bot.console.auth import Staff
from crm_bridge.column_types import utcnow

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
        "object-src 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def when(value: datetime | None) -> str:
    """`2026-11-27 14:03 UTC`; empty for None."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def duration(value: timedelta) -> str:
    """A waiting time in words: `40 s`, `12 min`, `3 h 05 min`, `2 d 4 h`."""
    seconds = max(int(value.total_seconds()), 0)
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def since(value: datetime | None) -> str:
    """How long ago `value` was, as `duration`."""
    return duration(utcnow() - value) if value else ""


def safe_href(value: Any) -> str | None:
    """A link or image address only when it is http(s) or on this site (no `javascript:`)."""
    if not isinstance(value, str):
        return None
    if value.startswith(("https://", "http://")) or (
        value.startswith("/") and not value.startswith("//")
    ):
        return value
    return None


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.filters.update(when=when, since=since, safe_href=safe_href, percent=percent)
templates.env.globals["duration"] = duration


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    staff: Staff | None = None,
    status_code: int = 200,
) -> Response:
    """A console page with the signed-in staff member and the security headers."""
    response = templates.TemplateResponse(
        request, name, {"staff": staff, **(context or {})}, status_code=status_code
    )
    response.headers.update(SECURITY_HEADERS)
    return response


def redirect(path: str, **query: Any) -> RedirectResponse:
    """303 See Other to a console path, with query values (None values left out)."""
    values = {key: value for key, value in query.items() if value is not None}
    target = f"{path}?{urlencode(values)}" if values else path
    return RedirectResponse(target, status_code=303)
