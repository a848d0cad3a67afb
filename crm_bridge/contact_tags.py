"""Labels on contacts (``vip``, ``winback-sent``), added by staff or by campaigns."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_bridge.models import ContactTag

MAX_TAG_LENGTH = 40


def normalise_tag(tag: str) -> str:
    """Tags are stored lower-case and trimmed; ValueError for an empty or too long one."""
    value = tag.strip().lower()
    if not value or len(value) > MAX_TAG_LENGTH:
        raise ValueError(f"a tag has 1 to {MAX_TAG_LENGTH} characters")
    return value


def add_tag(
    session: Session, *, contact_id: int, tag: str, added_by: str
) -> tuple[ContactTag, bool]:
    """Put `tag` on a contact; (the tag, True) when new, (the existing one, False) otherwise."""
    value = normalise_tag(tag)
    existing = _get(session, contact_id, value)
    if existing is not None:
        return existing, False
    row = ContactTag(contact_id=contact_id, tag=value, added_by=added_by[:254])
    try:
        with session.begin_nested():  # a concurrent add of the same tag wins quietly
            session.add(row)
    except IntegrityError:
        winner = _get(session, contact_id, value)
        if winner is None:
            raise
        return winner, False
    return row, True


def remove_tag(session: Session, *, contact_id: int, tag: str) -> bool:
    """Take `tag` off a contact; False when it was not there."""
    row = _get(session, contact_id, normalise_tag(tag))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def list_tags(session: Session, contact_id: int) -> list[str]:
    """A contact's tags, alphabetically."""
    statement = (
        sa.select(ContactTag.tag)
        .where(ContactTag.contact_id == contact_id)
        .order_by(ContactTag.tag)
    )
    return list(session.scalars(statement))


def _get(session: Session, contact_id: int, tag: str) -> ContactTag | None:
    return session.scalar(
        sa.select(ContactTag).where(ContactTag.contact_id == contact_id, ContactTag.tag == tag)
    )
