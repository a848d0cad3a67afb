"""Staff accounts, admins only: list, create, change role, (de)activate, reset password."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from bot.console import accounts, passwords
from bot.console.auth import Staff
from bot.console.deps import AdminDep, ConsoleDep, admin_staff
from bot.console.rendering import redirect, render
from bot.console.services import ConsoleServices
from bot.store import run_in_session
from crm_bridge import staff as staff_accounts
from crm_bridge.enums import StaffRole

router = APIRouter(prefix="/console", dependencies=[Depends(admin_staff)])
_NOTICES = {
    "created": "Account created.",
    "role": "Role changed.",
    "active": "Account reactivated.",
    "inactive": "Account deactivated; its sessions have ended.",
    "password": "Password reset; the account's other sessions have ended.",
}


async def _page(
    request: Request,
    console: ConsoleServices,
    admin: Staff,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    rows = await run_in_session(console.session_factory, staff_accounts.list_accounts)
    return render(
        request,
        "console/staff.html",
        {
            "accounts": rows,
            "roles": [str(role) for role in StaffRole],
            "error": error,
            "notice": _NOTICES.get(request.query_params.get("done", "")),
            "form": form or {},
            "min_password": passwords.MIN_LENGTH,
        },
        staff=admin,
        status_code=status_code,
    )


async def _change(
    request: Request,
    console: ConsoleServices,
    admin: Staff,
    work: Callable[[Session], object],
    *,
    done: str,
    form: dict[str, str] | None = None,
) -> Response:
    try:
        await run_in_session(console.session_factory, work, commit=True)
    except accounts.AccountRefused as refused:
        return await _page(
            request, console, admin, error=f"Not changed: {refused}.", form=form, status_code=400
        )
    return redirect("/console/staff", done=done)


@router.get("/staff")
async def staff_list(request: Request, console: ConsoleDep, admin: AdminDep) -> Response:
    """Every account with its role and state, and the forms to change them."""
    return await _page(request, console, admin)


@router.post("/staff")
async def create_account(
    request: Request,
    console: ConsoleDep,
    admin: AdminDep,
    email: Annotated[str, Form(max_length=1000)] = "",
    name: Annotated[str, Form(max_length=1000)] = "",
    role: Annotated[str, Form(max_length=20)] = "agent",
    password: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Create an account (the password is hashed with argon2)."""

    def work(session: Session) -> object:
        return accounts.create(
            session, actor=admin.actor, email=email, name=name, role=role, password=password
        )

    form = {"email": email, "name": name, "role": role}
    return await _change(request, console, admin, work, done="created", form=form)


@router.post("/staff/{staff_id}/role")
async def change_role(
    request: Request,
    staff_id: int,
    console: ConsoleDep,
    admin: AdminDep,
    role: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Make an account an agent or an admin."""

    def work(session: Session) -> object:
        return accounts.change_role(session, actor=admin.actor, staff_id=staff_id, role=role)

    return await _change(request, console, admin, work, done="role")


@router.post("/staff/{staff_id}/active")
async def set_active(
    request: Request,
    staff_id: int,
    console: ConsoleDep,
    admin: AdminDep,
    active: Annotated[str, Form(max_length=10)] = "no",
) -> Response:
    """Deactivate (`active=no`, sessions end at once) or reactivate (`yes`) an account."""
    is_active = active == "yes"

    def work(session: Session) -> object:
        return accounts.set_active(session, actor=admin.actor, staff_id=staff_id, active=is_active)

    return await _change(request, console, admin, work, done="active" if is_active else "inactive")


@router.post("/staff/{staff_id}/password")
async def reset_password(
    request: Request,
    staff_id: int,
    console: ConsoleDep,
    admin: AdminDep,
    password: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Set a new password for an account; its other sessions end."""

    def work(session: Session) -> object:
        return accounts.reset_password(
            session,
            actor=admin.actor,
            staff_id=staff_id,
            password=password,
            keep_session_id=admin.session_id,
        )

    return await _change(request, console, admin, work, done="password")
