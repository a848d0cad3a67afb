"""Segments saved by staff: a name, a description and rules in the segment rule language.

Rules are validated (and stored in normal form) on every save; names are unique ignoring
case. A saved segment's members are kept in `segment_memberships` under ``rule:<id>`` by
`automation.values.refresh_rule_segments`; deleting the segment closes them.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from crm_bridge.column_types import utcnow
from crm_bridge.models import Contact, CustomerValue, Segment
from crm_bridge.segment_memberships import sync_segment
from crm_bridge.segment_rules import compile_rules, validate_rules

MAX_NAME = 120
MAX_DESCRIPTION = 2_000


class InvalidSegment(ValueError):
    """A segment that cannot be saved as given (no name, name too long, bad rules)."""


class DuplicateSegment(InvalidSegment):
    """Another segment already has this name."""


@dataclass(frozen=True)
class MemberRow:
    """A contact matching a segment, with channel identities loaded, and their value."""

    contact: Contact
    value: CustomerValue | None


@dataclass(frozen=True)
class MemberPage:
    """Up to ``limit`` matching contacts in id order, and how many match in all."""

    rows: list[MemberRow]
    total: int


def segment_key(segment_id: int) -> str:
    """The membership key of a saved segment."""
    return f"rule:{segment_id}"


def create_segment(
    session: Session, *, name: str, description: str = "", rules: Any, created_by: str
) -> Segment:
    """Save a new segment; `InvalidRules`, `InvalidSegment` or `DuplicateSegment` if refused."""
    clean_name, clean_description = _checked(session, name, description, segment_id=None)
    segment = Segment(
        name=clean_name,
        description=clean_description,
        rules=validate_rules(rules),
        created_by=created_by,
    )
    session.add(segment)
    session.flush()
    return segment


def update_segment(
    session: Session, segment_id: int, *, name: str, description: str = "", rules: Any
) -> Segment:
    """Change a segment's name, description and rules; `LookupError` when it does not exist."""
    segment = _existing(session, segment_id)
    clean_name, clean_description = _checked(session, name, description, segment_id=segment_id)
    segment.rules = validate_rules(rules)
    segment.name, segment.description = clean_name, clean_description
    session.flush()
    return segment


def delete_segment(session: Session, segment_id: int) -> Segment:
    """Delete a segment and close its memberships; `LookupError` when it does not exist."""
    segment = _existing(session, segment_id)
    sync_segment(session, segment_key=segment_key(segment_id), contact_ids=set(), now=utcnow())
    session.delete(segment)
    session.flush()
    return segment


def get_segment(session: Session, segment_id: int) -> Segment | None:
    """The segment with this id, or None."""
    return session.get(Segment, segment_id)


def list_segments(session: Session) -> list[Segment]:
    """Every saved segment, by name."""
    return list(session.scalars(sa.select(Segment).order_by(sa.func.lower(Segment.name))))


def members_page(
    session: Session,
    rules: Any,
    *,
    limit: int = 200,
    offset: int = 0,
    now: datetime | None = None,
) -> MemberPage:
    """The contacts the rules match now, a page at a time, in SQL (never all in memory)."""
    condition = compile_rules(rules, now=now)
    total = session.scalar(sa.select(sa.func.count()).select_from(Contact).where(condition))
    statement = (
        sa.select(Contact)
        .where(condition)
        .options(selectinload(Contact.identities))
        .order_by(Contact.id)
        .limit(limit)
        .offset(offset)
    )
    contacts = list(session.scalars(statement))
    values = {
        value.contact_id: value
        for value in session.scalars(
            sa.select(CustomerValue).where(CustomerValue.contact_id.in_([c.id for c in contacts]))
        )
    }
    return MemberPage([MemberRow(c, values.get(c.id)) for c in contacts], int(total or 0))


def _existing(session: Session, segment_id: int) -> Segment:
    segment = get_segment(session, segment_id)
    if segment is None:
        raise LookupError(f"There is no segment {segment_id}")
    return segment


def _checked(
    session: Session, name: str, description: str, *, segment_id: int | None
) -> tuple[str, str]:
    clean = " ".join((name or "").split())
    if not clean:
        raise InvalidSegment("a segment needs a name")
    if len(clean) > MAX_NAME:
        raise InvalidSegment(f"a segment name is at most {MAX_NAME} characters")
    if len(description or "") > MAX_DESCRIPTION:
        raise InvalidSegment(f"a description is at most {MAX_DESCRIPTION} characters")
    statement = sa.select(Segment.id).where(sa.func.lower(Segment.name) == clean.lower())
    if segment_id is not None:
        statement = statement.where(Segment.id != segment_id)
    if session.scalars(statement).first() is not None:
        raise DuplicateSegment(f'a segment named "{clean}" already exists')
    return clean, (description or "").strip()
