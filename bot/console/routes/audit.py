"""`GET /console/audit`: the audit log of staff actions, admins only."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.console.deps import AdminDep, ConsoleDep, admin_staff
from bot.console.rendering import render
from bot.store import run_in_session
from crm_bridge import audit
from crm_bridge.enums import AuditAction

router = APIRouter(prefix="/console", dependencies=[Depends(admin_staff)])
PAGE_SIZE = 50


@router.get("/audit")
async def audit_log(
    request: Request,
    console: ConsoleDep,
    admin: AdminDep,
    action: str = "",
    actor: str = "",
    page: int = 1,
) -> Response:
    """Newest first, narrowed by action and actor email; an unknown action is reported."""
    error = None
    chosen: AuditAction | None = None
    if action:
        try:
            chosen = AuditAction(action)
        except ValueError:
            error = f"Ignored the unknown action {action!r}."
            action = ""
    page = max(page, 1)
    result = await run_in_session(
        console.session_factory,
        lambda session: audit.list_events(
            session,
            action=chosen,
            actor=actor or None,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        ),
    )
    pages = max(1, -(-result.total // PAGE_SIZE))
    return render(
        request,
        "console/audit.html",
        {
            "result": result,
            "actions": [str(value) for value in AuditAction],
            "action": action,
            "actor": actor,
            "page": page,
            "pages": pages,
            "link": lambda p: urlencode({"action": action, "actor": actor, "page": p}),
            "error": error,
        },
        staff=admin,
    )
