"""Sign-in and sign-out: `GET/POST /console/login` (public), `POST /console/logout`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import Response

from bot.console import auth, csrf
from bot.console.deps import ConsoleDep, StaffDep, checked_staff, client_address
from bot.console.rendering import redirect, render
from bot.store import run_in_session
from crm_bridge.column_types import utcnow

router = APIRouter(prefix="/console")
protected = APIRouter(prefix="/console", dependencies=[Depends(checked_staff)])

HOME = "/console/conversations"
_NOTICES = {
    "signed_out": "You are signed out.",
    "expired": "Your session has ended. Please sign in again.",
}


def safe_next(value: str | None) -> str:
    """Where to go after sign-in: a console path only, never another site."""
    if value and value.startswith("/console/") and not value.startswith("//"):
        return value
    return HOME


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def _secure(console_cookie_secure: str, request: Request) -> bool:
    return console_cookie_secure == "always" or (
        console_cookie_secure == "auto" and _is_https(request)
    )


def _login_page(
    request: Request,
    *,
    secure: bool,
    next_path: str,
    error: str | None = None,
    notice: str | None = None,
    email: str = "",
    status_code: int = 200,
) -> Response:
    token = csrf.new_token()
    response = render(
        request,
        "console/login.html",
        {
            "login_csrf": token,
            "next": next_path,
            "error": error,
            "notice": notice,
            "email": email,
        },
        status_code=status_code,
    )
    response.set_cookie(
        csrf.LOGIN_COOKIE,
        token,
        max_age=3600,
        path="/console/login",
        httponly=True,
        samesite="strict",
        secure=secure,
    )
    return response


@router.get("/login")
async def login_form(
    request: Request, console: ConsoleDep, next: str | None = None, notice: str | None = None
) -> Response:
    """The sign-in form."""
    secure = _secure(console.settings.cookie_secure, request)
    return _login_page(
        request, secure=secure, next_path=safe_next(next), notice=_NOTICES.get(notice or "")
    )


@router.post("/login")
async def login(
    request: Request,
    console: ConsoleDep,
    email: Annotated[str, Form(max_length=1000)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Check the form token, throttling and password; start a fresh session."""
    secure = _secure(console.settings.cookie_secure, request)
    next_path = safe_next(next)
    if not csrf.matches(request.cookies.get(csrf.LOGIN_COOKIE), csrf_token):
        return _login_page(
            request,
            secure=secure,
            next_path=next_path,
            email=email,
            error="The sign-in form expired. Please try again.",
            status_code=403,
        )
    result = await run_in_session(
        console.session_factory,
        lambda session: auth.sign_in(
            session,
            email=email,
            password=password,
            client_address=client_address(request),
            settings=console.settings,
            now=utcnow(),
            previous_token=request.cookies.get(auth.COOKIE_NAME),
        ),
        commit=True,
    )
    if result.token is None:
        status_code = 429 if result.retry_after is not None else 401
        response = _login_page(
            request,
            secure=secure,
            next_path=next_path,
            email=email,
            error=result.error,
            status_code=status_code,
        )
        if result.retry_after is not None:
            response.headers["Retry-After"] = str(int(result.retry_after.total_seconds()) + 1)
        return response
    response = redirect(next_path)
    response.set_cookie(
        auth.COOKIE_NAME,
        result.token,
        path=auth.COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=secure,
    )
    response.delete_cookie(csrf.LOGIN_COOKIE, path="/console/login")
    return response


@protected.post("/logout")
async def logout(request: Request, console: ConsoleDep, staff: StaffDep) -> Response:
    """End the session and drop the cookie."""
    token = request.cookies.get(auth.COOKIE_NAME, "")
    await run_in_session(
        console.session_factory,
        lambda session: auth.sign_out(session, token=token, signed_in=staff),
        commit=True,
    )
    response = redirect("/console/login", notice="signed_out")
    response.delete_cookie(auth.COOKIE_NAME, path=auth.COOKIE_PATH)
    return response


@protected.get("")
async def console_home() -> Response:
    """`/console` leads to the inbox."""
    return redirect(HOME)
