"""Console dependencies, declared once: the services, the signed-in staff member, admins.

`StaffDep` both authenticates (session cookie) and, for POST and other unsafe methods,
checks the CSRF token; routers put it in their `dependencies`, so no route of a protected
router can forget either. `AdminDep` adds the role check.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, WebSocketException, status
from starlette.requests import HTTPConnection, Request

from bot.console import auth, csrf
from bot.console.auth import Staff
from bot.console.services import ConsoleServices
from bot.store import run_in_session
from crm_bridge.column_types import utcnow


class LoginRequired(Exception):
    """No valid session: anonymous, ended or timed out."""


class AdminRequired(Exception):
    """The signed-in staff member is not an admin."""


def get_console(connection: HTTPConnection) -> ConsoleServices:
    """The console services of the app serving this request or socket."""
    return connection.app.state.console


ConsoleDep = Annotated[ConsoleServices, Depends(get_console)]


def client_address(connection: HTTPConnection) -> str:
    """The peer address (uvicorn's `--proxy-headers` makes it the real client's)."""
    return connection.client.host if connection.client else "unknown"


async def current_staff(connection: HTTPConnection, console: ConsoleDep) -> Staff:
    """The staff member of the session cookie; `LoginRequired` (HTTP) or close 1008 (socket)."""
    token = connection.cookies.get(auth.COOKIE_NAME)
    staff = None
    if token:
        staff = await run_in_session(
            console.session_factory,
            lambda session: auth.authenticate(
                session,
                token=token,
                settings=console.settings,
                now=utcnow(),
                client_address=client_address(connection),
            ),
            commit=True,
        )
    if staff is None:
        if connection.scope["type"] == "websocket":
            raise WebSocketException(status.WS_1008_POLICY_VIOLATION, "sign in first")
        raise LoginRequired()
    return staff


async def checked_staff(request: Request, staff: Annotated[Staff, Depends(current_staff)]) -> Staff:
    """The signed-in staff member, after the CSRF check for state-changing methods."""
    await csrf.check(request, staff.csrf_token)
    return staff


StaffDep = Annotated[Staff, Depends(checked_staff)]
SocketStaffDep = Annotated[Staff, Depends(current_staff)]


async def admin_staff(staff: StaffDep) -> Staff:
    """The signed-in staff member, who must be an admin."""
    if not staff.is_admin:
        raise AdminRequired()
    return staff


AdminDep = Annotated[Staff, Depends(admin_staff)]


class MarketingRequired(Exception):
    """The signed-in staff member is neither in marketing nor an admin."""


async def marketing_staff(staff: StaffDep) -> Staff:
    """The signed-in staff member, who must work in marketing or be an admin."""
    if not staff.can_market:
        raise MarketingRequired()
    return staff


MarketingDep = Annotated[Staff, Depends(marketing_staff)]
