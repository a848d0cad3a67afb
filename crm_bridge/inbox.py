"""The staff inbox: conversations filtered, sorted and paged, with counts; the waiting queue.

Text search is a case-insensitive substring match (`ILIKE` on PostgreSQL, `lower() LIKE`
on SQLite) over message texts: simple and exact, but a scan; a full-text index
(PostgreSQL `tsvector`, SQLite FTS5) is the upgrade when transcripts grow large.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import reviews
from crm_bridge.enums import Channel, ConversationStatus, HandoverStatus, MessageDirection
from crm_bridge.models import (
    Contact,
    Conversation,
    ConversationTag,
    Handover,
    Lead,
    Message,
)

FALLBACK_INTENT = "nlu_fallback"
LOW_CONFIDENCE = 0.6
SortKey = Literal["activity", "started", "messages"]
SORT_KEYS: tuple[SortKey, ...] = ("activity", "started", "messages")


@dataclass(frozen=True, slots=True)
class InboxFilter:
    """What staff narrow the list by; None (or False for the flags) means "any"."""

    channel: Channel | None = None
    status: ConversationStatus | None = None
    active_from: datetime | None = None
    active_until: datetime | None = None
    has_lead: bool | None = None
    lead_grade: str | None = None
    intent: str | None = None
    low_confidence: bool = False
    had_fallback: bool = False
    reviewed: bool | None = None
    tag: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One line of the list (plain values: rendered after the session is closed)."""

    id: int
    channel: Channel
    status: ConversationStatus
    contact_name: str | None
    started_at: datetime
    last_activity: datetime
    message_count: int
    lead_grade: str | None
    reviewed: bool
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class InboxPage:
    """A page of rows, the number matching the filter, and counts per status (status filter
    left out, so every status tab shows its number)."""

    rows: list[InboxRow]
    total: int
    status_counts: dict[str, int]
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A conversation waiting for (or with) a person."""

    conversation_id: int
    channel: Channel
    status: ConversationStatus
    contact_name: str | None
    reason: str | None
    requested_at: datetime
    assignee: str | None


def search(
    session: Session,
    criteria: InboxFilter,
    *,
    sort: SortKey = "activity",
    descending: bool = True,
    page: int = 1,
    page_size: int = 25,
) -> InboxPage:
    """Conversations matching `criteria`, sorted, one page of them, with counts."""
    conditions = _conditions(criteria)
    status_counts = {
        str(status): count
        for status, count in session.execute(
            sa.select(Conversation.status, sa.func.count())
            .where(*conditions)
            .group_by(Conversation.status)
        )
    }
    if criteria.status is not None:
        conditions.append(Conversation.status == criteria.status)
    total = session.scalar(sa.select(sa.func.count()).select_from(Conversation).where(*conditions))
    rows = _page_rows(session, conditions, sort, descending, page, page_size)
    return InboxPage(
        rows=rows,
        total=total or 0,
        status_counts=status_counts,
        page=page,
        page_size=page_size,
    )


def queue(session: Session) -> list[QueueEntry]:
    """Open hand-overs (waiting first, longest waiting first), for the staff queue."""
    statement = (
        sa.select(Handover, Conversation, Contact.name)
        .join(Conversation, Conversation.id == Handover.conversation_id)
        .join(Contact, Contact.id == Conversation.contact_id)
        .where(
            Handover.status.in_((HandoverStatus.requested, HandoverStatus.accepted)),
            Conversation.status.in_((ConversationStatus.waiting, ConversationStatus.human)),
        )
        .order_by(Handover.requested_at, Handover.id)
    )
    entries = [
        QueueEntry(
            conversation_id=conversation.id,
            channel=conversation.channel,
            status=conversation.status,
            contact_name=name,
            reason=handover.reason,
            requested_at=handover.requested_at,
            assignee=handover.assignee,
        )
        for handover, conversation, name in session.execute(statement)
    ]
    entries.sort(key=lambda entry: entry.status != ConversationStatus.waiting)
    return entries


def known_intents(session: Session) -> list[str]:
    """Intents seen on customer messages, for the filter and the correction form."""
    statement = (
        sa.select(Message.intent)
        .where(Message.intent.is_not(None))
        .distinct()
        .order_by(Message.intent)
        .limit(500)
    )
    return [intent for intent in session.scalars(statement) if intent]


def known_grades(session: Session) -> list[str]:
    """Lead grades in use, for the filter."""
    statement = sa.select(Lead.grade).where(Lead.grade.is_not(None)).distinct().order_by(Lead.grade)
    return [grade for grade in session.scalars(statement) if grade]


def escape_like(text: str) -> str:
    """Make `%`, `_` and `\\` in a search term match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _last_activity() -> Any:
    return sa.func.coalesce(Conversation.last_message_at, Conversation.started_at)


def _has_message(*conditions: Any) -> Any:
    return sa.exists().where(Message.conversation_id == Conversation.id, *conditions)


def _conditions(criteria: InboxFilter) -> list[Any]:
    conditions: list[Any] = []
    if criteria.channel is not None:
        conditions.append(Conversation.channel == criteria.channel)
    if criteria.active_from is not None:
        conditions.append(_last_activity() >= criteria.active_from)
    if criteria.active_until is not None:
        conditions.append(_last_activity() < criteria.active_until)
    lead = sa.exists().where(Lead.conversation_id == Conversation.id)
    if criteria.has_lead is not None:
        conditions.append(lead if criteria.has_lead else ~lead)
    if criteria.lead_grade:
        conditions.append(
            sa.exists().where(
                Lead.conversation_id == Conversation.id, Lead.grade == criteria.lead_grade
            )
        )
    if criteria.intent:
        conditions.append(_has_message(Message.intent == criteria.intent))
    if criteria.low_confidence:
        conditions.append(
            _has_message(
                Message.direction == MessageDirection.incoming,
                Message.confidence < LOW_CONFIDENCE,
            )
        )
    if criteria.had_fallback:
        conditions.append(_has_message(Message.intent == FALLBACK_INTENT))
    if criteria.reviewed is not None:
        reviewed = Conversation.reviewed_at.is_not(None)
        conditions.append(reviewed if criteria.reviewed else ~reviewed)
    if criteria.tag:
        conditions.append(
            sa.exists().where(
                ConversationTag.conversation_id == Conversation.id,
                ConversationTag.tag == criteria.tag,
            )
        )
    if criteria.text:
        pattern = f"%{escape_like(criteria.text.strip())}%"
        conditions.append(_has_message(Message.text.ilike(pattern, escape="\\")))
    return conditions


def _page_rows(
    session: Session,
    conditions: list[Any],
    sort: SortKey,
    descending: bool,
    page: int,
    page_size: int,
) -> list[InboxRow]:
    message_count = (
        sa.select(sa.func.count())
        .where(Message.conversation_id == Conversation.id)
        .scalar_subquery()
    )
    grade = (
        sa.select(Lead.grade)
        .where(Lead.conversation_id == Conversation.id)
        .order_by(Lead.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    key = {
        "activity": _last_activity(),
        "started": Conversation.started_at,
        "messages": message_count,
    }[sort]
    order = [key.desc() if descending else key.asc(), Conversation.id.desc()]
    statement = (
        sa.select(Conversation, Contact.name, message_count, grade, _last_activity())
        .join(Contact, Contact.id == Conversation.contact_id)
        .where(*conditions)
        .order_by(*order)
        .limit(page_size)
        .offset((max(page, 1) - 1) * page_size)
    )
    rows = []
    for conversation, name, count, lead_grade, _activity in session.execute(statement):
        rows.append(
            InboxRow(
                id=conversation.id,
                channel=conversation.channel,
                status=conversation.status,
                contact_name=name,
                started_at=conversation.started_at,
                last_activity=conversation.last_message_at or conversation.started_at,
                message_count=count or 0,
                lead_grade=lead_grade,
                reviewed=conversation.reviewed_at is not None,
            )
        )
    tags = reviews.tags_of(session, [row.id for row in rows])
    for row in rows:
        row.tags.extend(tags.get(row.id, []))
    return rows


def waiting_for(entry: QueueEntry, now: datetime) -> timedelta:
    """How long a queue entry has waited since the customer asked."""
    return max(now - entry.requested_at, timedelta(0))
