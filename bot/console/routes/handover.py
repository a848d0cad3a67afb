"""Take over, reply, hand back, close: `POST /console/conversations/{id}/...`.

Forms post here and are redirected back to the transcript; console.js posts the reply
with `Accept: application/json` and gets JSON, so the page does not reload. A refused
step answers 409 (someone else has it, wrong state) or 400 (bad reply) with the reason,
and the typed reply is kept.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from bot.console import takeover
from bot.console.deps import ConsoleDep, StaffDep, checked_staff
from bot.console.rendering import redirect
from bot.console.routes.transcripts import transcript_page
from crm_bridge.errors import InvalidTransition

router = APIRouter(prefix="/console", dependencies=[Depends(checked_staff)])


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _path(conversation_id: int) -> str:
    return f"/console/conversations/{conversation_id}"


async def _refused(
    request: Request,
    console: ConsoleDep,
    staff: StaffDep,
    conversation_id: int,
    error: str,
    status_code: int,
    drafts: dict[str, str] | None = None,
) -> Response:
    if wants_json(request):
        return JSONResponse({"ok": False, "error": error}, status_code=status_code)
    return await transcript_page(
        request,
        console,
        staff,
        conversation_id,
        error=error,
        status_code=status_code,
        drafts=drafts,
    )


def _done(request: Request, outcome: takeover.Outcome, done: str) -> Response:
    if wants_json(request):
        return JSONResponse(
            {"ok": True, "status": str(outcome.status), "delivered": outcome.delivered}
        )
    return redirect(_path(outcome.conversation_id), done=done)


async def _change(
    request: Request,
    console: ConsoleDep,
    staff: StaffDep,
    conversation_id: int,
    step: Awaitable[takeover.Outcome],
    *,
    refusal: str,
    done: str,
) -> Response:
    """Run one status change; a missing conversation is 404, a refused change 409."""
    try:
        outcome = await step
    except LookupError:
        return await _refused(
            request, console, staff, conversation_id, "No such conversation.", 404
        )
    except InvalidTransition as refused:
        message = f"{refusal}: {refused}."
        return await _refused(request, console, staff, conversation_id, message, 409)
    return _done(request, outcome, done)


@router.post("/conversations/{conversation_id}/take-over")
async def take_over(
    request: Request, conversation_id: int, console: ConsoleDep, staff: StaffDep
) -> Response:
    """Claim a waiting (or bot) conversation; of two agents at once, one wins."""
    step = takeover.take_over(console, staff, conversation_id)
    return await _change(
        request,
        console,
        staff,
        conversation_id,
        step,
        refusal="You cannot take this conversation over",
        done="taken",
    )


@router.post("/conversations/{conversation_id}/reply")
async def reply(
    request: Request,
    conversation_id: int,
    console: ConsoleDep,
    staff: StaffDep,
    text: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """Send the agent's reply to the customer's channel, recorded as sender `agent`."""
    try:
        outcome = await takeover.reply(console, staff, conversation_id, text)
    except LookupError:
        return await _refused(
            request, console, staff, conversation_id, "No such conversation.", 404
        )
    except takeover.ReplyRefused as refused:
        return await _refused(
            request, console, staff, conversation_id, str(refused), 400, drafts={"reply": text}
        )
    return _done(request, outcome, "sent" if outcome.delivered else "stored")


@router.post("/conversations/{conversation_id}/return")
async def hand_back(
    request: Request, conversation_id: int, console: ConsoleDep, staff: StaffDep
) -> Response:
    """Give the conversation back to the assistant."""
    step = takeover.hand_back(console, staff, conversation_id)
    return await _change(
        request,
        console,
        staff,
        conversation_id,
        step,
        refusal="The conversation cannot be returned",
        done="returned",
    )


@router.post("/conversations/{conversation_id}/close")
async def close(
    request: Request, conversation_id: int, console: ConsoleDep, staff: StaffDep
) -> Response:
    """Close the conversation (the customer writing again reopens it with the assistant)."""
    step = takeover.close(console, staff, conversation_id)
    return await _change(
        request,
        console,
        staff,
        conversation_id,
        step,
        refusal="The conversation cannot be closed",
        done="closed",
    )
