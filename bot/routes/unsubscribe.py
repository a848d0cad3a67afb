"""`/unsubscribe/{token}`: the one-click unsubscribe link of marketing emails (no login).

GET shows a page with a button and changes nothing (mail scanners follow links); POST
unsubscribes. A mail client's RFC 8058 one-click POST (body ``List-Unsubscribe=One-Click``)
is the same POST, so it needs no page and the body is not even read. A tampered token
gets 400 and a page saying so; a second use says it is already done.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from bot.deps import ServicesDep
from bot.store import run_in_session
from crm_bridge.errors import StoreUnavailable
from mailer.settings import MailSettings
from mailer.unsubscribe import (
    InvalidToken,
    UnsubscribeOutcome,
    UnsubscribeRequest,
    is_unsubscribed,
    read_token,
    unsubscribe,
)

router = APIRouter()
templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")


def mail_settings(request: Request) -> MailSettings:
    """The app's email settings, set by `create_app`."""
    return request.app.state.mail_settings


def _page(request: Request, state: str, status_code: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "unsubscribe.html", {"state": state}, status_code=status_code
    )


def _read(request: Request, token: str) -> UnsubscribeRequest | None:
    try:
        return read_token(mail_settings(request).signing_secret, token)
    except InvalidToken:
        return None


@router.get("/unsubscribe/{token}", response_class=HTMLResponse)
async def confirm_page(request: Request, token: str, services: ServicesDep) -> HTMLResponse:
    """The confirmation page with the button, or "already done"."""
    unsubscribe_request = _read(request, token)
    if unsubscribe_request is None:
        return _page(request, "invalid", 400)

    def check(session: Session) -> bool:
        return is_unsubscribed(session, unsubscribe_request)

    try:
        done = await run_in_session(services.session_factory, check)
    except StoreUnavailable:
        return _page(request, "unavailable", 503)
    return _page(request, "already" if done else "confirm")


@router.post("/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe_now(request: Request, token: str, services: ServicesDep) -> HTMLResponse:
    """Withdraw marketing consent (the page's button and RFC 8058 one-click alike)."""
    unsubscribe_request = _read(request, token)
    if unsubscribe_request is None:
        return _page(request, "invalid", 400)

    def apply(session: Session) -> UnsubscribeOutcome:
        return unsubscribe(session, unsubscribe_request)

    try:
        outcome = await run_in_session(services.session_factory, apply, commit=True)
    except StoreUnavailable:
        return _page(request, "unavailable", 503)
    return _page(request, "done" if outcome is UnsubscribeOutcome.unsubscribed else "already")
