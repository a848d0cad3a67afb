"""The staff console: inbox, transcripts, hand-over, review, staff accounts, audit log.

`install(app)` adds the routes, the static files and the error pages to the gateway;
`create_app` puts a `ConsoleServices` on `app.state.console` in its lifespan. See
docs/console.md.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from bot.console.csrf import CsrfRefused
from bot.console.deps import AdminRequired, LoginRequired, MarketingRequired
from bot.console.rendering import redirect, render
from bot.console.routes import ROUTERS
from bot.console.services import ConsoleServices
from bot.console.settings import ConsoleSettings
from crm_bridge.errors import StoreUnavailable

STATIC_DIR = Path(__file__).resolve().parent / "static"
__all__ = ["ConsoleServices", "ConsoleSettings", "install"]


def install(app: FastAPI) -> None:
    """Add the console to the gateway app."""
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(AdminRequired, _admin_required)
    app.add_exception_handler(MarketingRequired, _marketing_required)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
    app.add_exception_handler(StoreUnavailable, _store_unavailable)


def _wants_page(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.method == "GET" and "application/json" not in accept


async def _login_required(request: Request, _exc: Exception) -> Response:
    """Pages send the browser to sign in (and back afterwards); anything else gets 401."""
    if _wants_page(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return redirect("/console/login", next=target)
    return JSONResponse({"ok": False, "error": "sign in first"}, status_code=401)


async def _admin_required(request: Request, _exc: Exception) -> Response:
    return render(
        request,
        "console/error.html",
        {"message": "Only admins can open this page."},
        status_code=403,
    )


async def _marketing_required(request: Request, _exc: Exception) -> Response:
    return render(
        request,
        "console/error.html",
        {"message": "Only marketing staff and admins can open this page."},
        status_code=403,
    )


async def _csrf_refused(request: Request, _exc: Exception) -> Response:
    message = "This form has expired or did not come from the console. Reload the page and retry."
    if not _wants_page(request) and "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"ok": False, "error": message}, status_code=403)
    return render(request, "console/error.html", {"message": message}, status_code=403)


async def _store_unavailable(request: Request, _exc: Exception) -> Response:
    """The CRM store is down: say so (503) instead of an anonymous server error."""
    message = "The CRM store cannot be reached right now. Nothing was changed; please retry."
    if not request.url.path.startswith("/console"):
        raise _exc  # other routes answer store failures themselves
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"ok": False, "error": message}, status_code=503)
    return render(request, "console/error.html", {"message": message}, status_code=503)
