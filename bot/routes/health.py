"""`GET /healthz`: the gateway is up and can reach the CRM store; which channels are on,
and whether email is (``email``: "off (...)" or "via host:port ..., from ...")."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.deps import ServicesDep
from bot.store import run_in_session
from crm_bridge.errors import StoreUnavailable

router = APIRouter()


def _ping(session: Session) -> None:
    session.execute(text("SELECT 1"))


@router.get("/healthz")
async def healthz(request: Request, services: ServicesDep) -> JSONResponse:
    """200 when the store answers, 503 otherwise; Rasa has its own health check."""
    channels = services.channel_status()
    mail = getattr(request.app.state, "mail_settings", None)
    email = mail.describe() if mail is not None else "off"
    try:
        await run_in_session(services.session_factory, _ping)
    except StoreUnavailable:
        return JSONResponse(
            {
                "status": "unavailable",
                "database": "unavailable",
                "channels": channels,
                "email": email,
            },
            status_code=503,
        )
    return JSONResponse({"status": "ok", "database": "ok", "channels": channels, "email": email})
