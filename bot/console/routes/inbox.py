"""`GET /console/conversations`: the waiting queue and the filtered conversation list."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from bot.console import filters
from bot.console.deps import ConsoleDep, StaffDep, checked_staff
from bot.console.rendering import render
from bot.store import run_in_session
from crm_bridge import inbox, reviews
from crm_bridge.enums import Channel, ConversationStatus

router = APIRouter(prefix="/console", dependencies=[Depends(checked_staff)])

STATUS_LABELS = {
    "bot": "with the assistant",
    "waiting": "waiting for a person",
    "human": "with a person",
    "closed": "closed",
}


@dataclass(frozen=True, slots=True)
class _InboxData:
    page: inbox.InboxPage
    queue: list[inbox.QueueEntry]
    intents: list[str]
    grades: list[str]
    tags: list[str]


@router.get("/conversations")
async def conversations(request: Request, console: ConsoleDep, staff: StaffDep) -> Response:
    """Filter, sort and page conversations; the queue of hand-overs above them."""
    query = filters.parse(request.query_params)

    def load(session: Session) -> _InboxData:
        return _InboxData(
            page=inbox.search(
                session,
                query.criteria,
                sort=query.sort,
                descending=query.descending,
                page=query.page,
                page_size=filters.PAGE_SIZE,
            ),
            queue=inbox.queue(session),
            intents=inbox.known_intents(session),
            grades=inbox.known_grades(session),
            tags=reviews.all_tags(session),
        )

    data = await run_in_session(console.session_factory, load)
    return render(
        request,
        "console/inbox.html",
        {
            "query": query,
            "result": data.page,
            "queue": data.queue,
            "intents": data.intents,
            "grades": data.grades,
            "tags": data.tags,
            "channels": [str(channel) for channel in Channel],
            "statuses": [str(status) for status in ConversationStatus],
            "status_labels": STATUS_LABELS,
            "sort_keys": inbox.SORT_KEYS,
        },
        staff=staff,
    )
