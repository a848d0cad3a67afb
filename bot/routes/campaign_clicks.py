"""`GET /c/{token}`: a tracked campaign link. Records the first click, then redirects (303)
to the campaign's link; an unknown or dead token gets a 404 page. No login: the
customer's phone opens it."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.deps import ServicesDep
from bot.store import run_in_session
from crm_bridge import campaign_runs
from crm_bridge.column_types import utcnow
from crm_bridge.models import Campaign

router = APIRouter()
_MAX_TOKEN = 64
_NOT_FOUND = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Link not found</title></head>
<body><main><h1>This link does not work (any more)</h1>
<p>{message}</p></main></body></html>"""


@router.get("/c/{token}")
async def follow_link(token: str, services: ServicesDep) -> Response:
    """Count the click (the first one is kept) and send the browser on."""
    if not token or len(token) > _MAX_TOKEN:
        return _not_found()

    def click(session: Session) -> str | None:
        send = campaign_runs.record_click(session, token, now=utcnow())
        if send is None:
            return None
        campaign = session.get(Campaign, send.campaign_id)
        actions = campaign.actions if campaign is not None else []
        if send.action_index >= len(actions):
            return None
        url = actions[send.action_index].get("link_url")
        return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None

    target = await run_in_session(services.session_factory, click, commit=True)
    if target is None:
        return _not_found()
    return RedirectResponse(target, status_code=303)


def _not_found() -> HTMLResponse:
    message = escape("Please look us up in the chat instead.")
    return HTMLResponse(_NOT_FOUND.format(message=message), status_code=404)
