"""Intent corrections: the list, and their download as Rasa NLU training data."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from bot.console.deps import ConsoleDep, StaffDep, checked_staff
from bot.console.nlu_export import to_nlu_yaml
from bot.console.rendering import SECURITY_HEADERS, render
from bot.store import run_in_session
from crm_bridge import audit, reviews
from crm_bridge.enums import AuditAction
from crm_bridge.models import IntentCorrection

router = APIRouter(prefix="/console", dependencies=[Depends(checked_staff)])
EXPORT_NAME = "nlu_corrections.yml"


@router.get("/corrections")
async def corrections(request: Request, console: ConsoleDep, staff: StaffDep) -> Response:
    """Every correction, newest first, with the download link."""
    rows: list[IntentCorrection] = await run_in_session(
        console.session_factory, lambda session: reviews.list_corrections(session, limit=1000)
    )
    return render(request, "console/corrections.html", {"corrections": rows}, staff=staff)


@router.get("/corrections/nlu.yml")
async def export(console: ConsoleDep, staff: StaffDep) -> Response:
    """All corrections as `nlu_data/`-style YAML, as a download; the export is audited."""

    def work(session: Session) -> str:
        rows = reviews.list_corrections(session)
        audit.record(
            session,
            actor=staff.actor,
            action=AuditAction.export,
            target="nlu_corrections",
            detail={"corrections": len(rows)},
        )
        return to_nlu_yaml((row.corrected_intent, row.text) for row in reversed(rows))

    body = await run_in_session(console.session_factory, work, commit=True)
    return Response(
        body,
        media_type="application/yaml; charset=utf-8",
        headers={
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="{EXPORT_NAME}"',
        },
    )
