"""`GET /console/conversations/{id}`: the transcript with review tools, lead and profile."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from bot.console.auth import Staff
from bot.console.deps import ConsoleDep, StaffDep, checked_staff
from bot.console.rendering import render
from bot.console.routes.inbox import STATUS_LABELS
from bot.console.services import ConsoleServices
from bot.settings import GatewaySettings
from bot.store import run_in_session
from crm_bridge import audit, customer_values, inbox, transcripts

router = APIRouter(prefix="/console", dependencies=[Depends(checked_staff)])

# One audit entry per staff member and conversation in this time, however often the open
# page refreshes itself.
VIEW_LOG_WINDOW = timedelta(minutes=30)
_NOTICES = {
    "taken": "You have the conversation: the customer's messages now come to you.",
    "returned": "The assistant answers this conversation again.",
    "closed": "The conversation is closed.",
    "sent": "Reply sent.",
    "stored": "Reply stored; the customer will see it when they reconnect.",
    "tagged": "Tag added.",
    "untagged": "Tag removed.",
    "noted": "Note added.",
    "reviewed": "Marked as reviewed.",
    "unreviewed": "Marked as not reviewed.",
    "corrected": "Intent correction saved.",
}


async def transcript_page(
    request: Request,
    console: ConsoleServices,
    staff: Staff,
    conversation_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
    drafts: dict[str, str] | None = None,
) -> Response:
    """The page, or a 404 page; `drafts` puts refused input back into its form field."""

    def load(
        session: Session,
    ) -> tuple[transcripts.Transcript | None, list[str], customer_values.ValueCard | None]:
        transcript = transcripts.load(session, conversation_id)
        if transcript is None:
            return None, [], None
        audit.record_view(
            session, actor=staff.actor, conversation_id=conversation_id, within=VIEW_LOG_WINDOW
        )
        card = customer_values.value_card(session, transcript.contact.id)
        return transcript, inbox.known_intents(session), card

    transcript, intents, value = await run_in_session(console.session_factory, load, commit=True)
    if transcript is None:
        return render(
            request,
            "console/error.html",
            {"message": f"There is no conversation {conversation_id}."},
            staff=staff,
            status_code=404,
        )
    return render(
        request,
        "console/transcript.html",
        {
            "t": transcript,
            "intents": intents,
            "error": error,
            "notice": _NOTICES.get(request.query_params.get("done", "")),
            "drafts": drafts or {},
            "status_labels": STATUS_LABELS,
            "max_reply": GatewaySettings.MAX_MESSAGE_LENGTH,
            "low_confidence": inbox.LOW_CONFIDENCE,
            "vc": value,
        },
        staff=staff,
        status_code=status_code,
    )


@router.get("/conversations/{conversation_id}")
async def transcript(
    request: Request, conversation_id: int, console: ConsoleDep, staff: StaffDep
) -> Response:
    """Every message with its parse, the review tools, the lead card and the contact."""
    return await transcript_page(request, console, staff, conversation_id)
