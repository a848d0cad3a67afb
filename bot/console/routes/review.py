"""Review a conversation: tags, internal notes, the reviewed mark, intent corrections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from bot.console.auth import Staff
from bot.console.deps import ConsoleDep, StaffDep, checked_staff
from bot.console.rendering import redirect, render
from bot.console.routes.transcripts import transcript_page
from bot.console.services import ConsoleServices
from bot.store import run_in_session
from crm_bridge import audit, reviews
from crm_bridge.enums import AuditAction
from crm_bridge.models import Message

router = APIRouter(prefix="/console", dependencies=[Depends(checked_staff)])


async def _apply(
    request: Request,
    console: ConsoleServices,
    staff: Staff,
    conversation_id: int,
    work: Callable[[Session], object],
    *,
    done: str,
    drafts: dict[str, str] | None = None,
    anchor: str = "",
) -> Response:
    """Run `work`; back to the transcript, or the transcript with the reason and the input."""
    try:
        await run_in_session(console.session_factory, work, commit=True)
    except LookupError as missing:
        return await transcript_page(
            request, console, staff, conversation_id, error=f"{missing}.", status_code=404
        )
    except reviews.InvalidReview as refused:
        return await transcript_page(
            request,
            console,
            staff,
            conversation_id,
            error=f"Not saved: {refused}.",
            status_code=400,
            drafts=drafts,
        )
    response = redirect(f"/console/conversations/{conversation_id}", done=done)
    if anchor:
        response.headers["location"] += f"#{anchor}"
    return response


@router.post("/conversations/{conversation_id}/tags")
async def add_tag(
    request: Request,
    conversation_id: int,
    console: ConsoleDep,
    staff: StaffDep,
    tag: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Put a tag on the conversation."""

    def work(session: Session) -> object:
        return reviews.add_tag(
            session, conversation_id=conversation_id, tag=tag, added_by=staff.email
        )

    return await _apply(
        request, console, staff, conversation_id, work, done="tagged", drafts={"tag": tag}
    )


@router.post("/conversations/{conversation_id}/tags/remove")
async def remove_tag(
    request: Request,
    conversation_id: int,
    console: ConsoleDep,
    staff: StaffDep,
    tag: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Take a tag off the conversation."""

    def work(session: Session) -> object:
        return reviews.remove_tag(session, conversation_id=conversation_id, tag=tag)

    return await _apply(request, console, staff, conversation_id, work, done="untagged")


@router.post("/conversations/{conversation_id}/notes")
async def add_note(
    request: Request,
    conversation_id: int,
    console: ConsoleDep,
    staff: StaffDep,
    text: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """Add an internal note (staff only)."""

    def work(session: Session) -> object:
        return reviews.add_note(
            session,
            conversation_id=conversation_id,
            text=text,
            author=staff.email,
            staff_id=staff.id,
        )

    return await _apply(
        request, console, staff, conversation_id, work, done="noted", drafts={"note": text}
    )


@router.post("/conversations/{conversation_id}/reviewed")
async def set_reviewed(
    request: Request,
    conversation_id: int,
    console: ConsoleDep,
    staff: StaffDep,
    reviewed: Annotated[str, Form(max_length=10)] = "yes",
) -> Response:
    """Mark the conversation reviewed (`reviewed=yes`) or not reviewed (`no`)."""
    is_reviewed = reviewed != "no"

    def work(session: Session) -> object:
        reviews.set_reviewed(
            session, conversation_id=conversation_id, reviewed=is_reviewed, by=staff.email
        )
        return audit.record(
            session,
            actor=staff.actor,
            action=AuditAction.reviewed,
            conversation_id=conversation_id,
            detail={"reviewed": is_reviewed},
        )

    done = "reviewed" if is_reviewed else "unreviewed"
    return await _apply(request, console, staff, conversation_id, work, done=done)


@router.post("/messages/{message_id}/intent")
async def correct_intent(
    request: Request,
    message_id: int,
    console: ConsoleDep,
    staff: StaffDep,
    intent: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record the intent this customer message should have had."""
    conversation_id = await run_in_session(
        console.session_factory, lambda session: _conversation_of(session, message_id)
    )
    if conversation_id is None:
        message = f"There is no message {message_id}."
        return render(
            request, "console/error.html", {"message": message}, staff=staff, status_code=404
        )

    def work(session: Session) -> object:
        correction = reviews.correct_intent(
            session, message_id=message_id, intent=intent, corrected_by=staff.email
        )
        return audit.record(
            session,
            actor=staff.actor,
            action=AuditAction.intent_corrected,
            conversation_id=conversation_id,
            target=f"message:{message_id}",
            detail={"from": correction.original_intent, "to": correction.corrected_intent},
        )

    return await _apply(
        request,
        console,
        staff,
        conversation_id,
        work,
        done="corrected",
        drafts={f"intent-{message_id}": intent},
        anchor=f"m{message_id}",
    )


def _conversation_of(session: Session, message_id: int) -> int | None:
    message = session.get(Message, message_id)
    return message.conversation_id if message else None
