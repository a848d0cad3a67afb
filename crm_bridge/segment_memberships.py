"""Who is in which segment, and since when: entering a segment is a campaign trigger.

Keys name any kind of segment: ``rfm:<rfm segment>``, ``cluster:<cluster name>`` and
``rule:<segment id>``. A membership row is opened when a contact enters and closed
(``left_at``) when they leave; a later return opens a new row, so the history stays.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.models import SegmentMembership

_CHUNK = 500


@dataclass(frozen=True)
class MembershipChange:
    """Contacts who entered and who left a segment in one sync, in id order."""

    entered: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)


def sync_segment(
    session: Session, *, segment_key: str, contact_ids: set[int], now: datetime
) -> MembershipChange:
    """Make ``contact_ids`` the segment's members: open rows for new ones, close the rest."""
    current = set(members(session, segment_key))
    entered = sorted(contact_ids - current)
    left = sorted(current - contact_ids)
    session.add_all(
        SegmentMembership(segment_key=segment_key, contact_id=contact_id, entered_at=now)
        for contact_id in entered
    )
    for chunk in _chunks(left):
        session.execute(
            sa.update(SegmentMembership)
            .where(
                SegmentMembership.segment_key == segment_key,
                SegmentMembership.left_at.is_(None),
                SegmentMembership.contact_id.in_(chunk),
            )
            .values(left_at=now)
        )
    session.flush()
    return MembershipChange(entered=entered, left=left)


def sync_prefix(
    session: Session, *, prefix: str, memberships: Mapping[str, set[int]], now: datetime
) -> dict[str, MembershipChange]:
    """Sync every key starting with ``prefix`` (e.g. ``"rfm:"``); keys not given are emptied."""
    keys = sorted(set(memberships) | set(open_keys(session, prefix=prefix)))
    changes = {}
    for key in keys:
        wanted = memberships.get(key, set())
        changes[key] = sync_segment(session, segment_key=key, contact_ids=wanted, now=now)
    return changes


def members(session: Session, segment_key: str) -> list[int]:
    """Contacts in the segment now, in id order."""
    statement = (
        sa.select(SegmentMembership.contact_id)
        .where(SegmentMembership.segment_key == segment_key, SegmentMembership.left_at.is_(None))
        .order_by(SegmentMembership.contact_id)
    )
    return list(session.scalars(statement))


def current_segments(session: Session, contact_id: int) -> list[str]:
    """Keys of the segments the contact is in now, sorted."""
    statement = (
        sa.select(SegmentMembership.segment_key)
        .where(SegmentMembership.contact_id == contact_id, SegmentMembership.left_at.is_(None))
        .order_by(SegmentMembership.segment_key)
    )
    return list(session.scalars(statement))


def open_keys(session: Session, *, prefix: str = "") -> list[str]:
    """Keys with at least one member now, optionally only those starting with ``prefix``."""
    statement = sa.select(SegmentMembership.segment_key.distinct()).where(
        SegmentMembership.left_at.is_(None)
    )
    if prefix:
        statement = statement.where(_starts_with(prefix))
    return sorted(session.scalars(statement))


def count_members(session: Session, segment_keys: Iterable[str]) -> dict[str, int]:
    """Members now per key (0 for keys nobody is in)."""
    keys = list(segment_keys)
    counts = dict.fromkeys(keys, 0)
    if keys:
        statement = (
            sa.select(SegmentMembership.segment_key, sa.func.count())
            .where(SegmentMembership.segment_key.in_(keys), SegmentMembership.left_at.is_(None))
            .group_by(SegmentMembership.segment_key)
        )
        counts.update({key: count for key, count in session.execute(statement)})
    return counts


def entries_since(
    session: Session, *, after: datetime, until: datetime | None = None, prefix: str = ""
) -> list[SegmentMembership]:
    """Membership rows opened after ``after`` (and up to ``until``), oldest first."""
    statement = sa.select(SegmentMembership).where(SegmentMembership.entered_at > after)
    if until is not None:
        statement = statement.where(SegmentMembership.entered_at <= until)
    if prefix:
        statement = statement.where(_starts_with(prefix))
    return list(
        session.scalars(statement.order_by(SegmentMembership.entered_at, SegmentMembership.id))
    )


def _chunks(values: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _starts_with(prefix: str) -> sa.ColumnElement[bool]:
    return SegmentMembership.segment_key.startswith(prefix, autoescape=True)
