"""Staff review of conversations: tags, internal notes, the reviewed mark, intent corrections."""

import re
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.column_types import utcnow
from crm_bridge.enums import MessageDirection
from crm_bridge.models import (
    Conversation,
    ConversationNote,
    ConversationTag,
    IntentCorrection,
    Message,
)

MAX_NOTE_LENGTH = 4000
# Lower-case words, digits, `-`, `_` and inner spaces; short enough for a filter menu.
_TAG = re.compile(r"[a-z0-9][a-z0-9 _-]{0,39}")
# Rasa intent names as nlu_data/ uses them, retrieval intents included (`faq/shipping`).
_INTENT = re.compile(r"[a-z][a-z0-9_]{0,79}(/[a-z0-9_]{1,19})?")


class InvalidReview(ValueError):
    """A tag, note or intent the review refuses; the message says what is wrong."""


def normalise_tag(tag: str) -> str:
    """Lower-case, single-spaced; raise `InvalidReview` for anything else."""
    cleaned = " ".join(tag.strip().lower().split())
    if not _TAG.fullmatch(cleaned):
        raise InvalidReview(
            "a tag is 1-40 characters: letters, digits, spaces, '-' or '_', "
            "starting with a letter or digit"
        )
    return cleaned


def check_intent(intent: str) -> str:
    """A Rasa intent name (`ask_price`, `faq/shipping`); raise `InvalidReview` otherwise."""
    cleaned = intent.strip()
    if not _INTENT.fullmatch(cleaned):
        raise InvalidReview(
            "an intent name is lower-case letters, digits and '_' (e.g. ask_price), "
            "optionally with a '/sub_intent' (e.g. faq/shipping)"
        )
    return cleaned


def add_tag(session: Session, *, conversation_id: int, tag: str, added_by: str) -> ConversationTag:
    """Tag a conversation; adding a tag it already has returns the existing one."""
    _conversation(session, conversation_id)
    tag = normalise_tag(tag)
    existing = session.scalars(
        sa.select(ConversationTag).where(
            ConversationTag.conversation_id == conversation_id, ConversationTag.tag == tag
        )
    ).first()
    if existing is not None:
        return existing
    row = ConversationTag(
        conversation_id=conversation_id, tag=tag, added_by=added_by, created_at=utcnow()
    )
    session.add(row)
    session.flush()
    return row


def remove_tag(session: Session, *, conversation_id: int, tag: str) -> bool:
    """Remove a tag; False when the conversation did not have it."""
    result = session.execute(
        sa.delete(ConversationTag).where(
            ConversationTag.conversation_id == conversation_id,
            ConversationTag.tag == tag.strip().lower(),
        )
    )
    return bool(getattr(result, "rowcount", 0))


def tags_of(session: Session, conversation_ids: Iterable[int]) -> dict[int, list[str]]:
    """Tags per conversation id, alphabetical."""
    ids = list(conversation_ids)
    found: dict[int, list[str]] = {conversation_id: [] for conversation_id in ids}
    if not ids:
        return found
    statement = (
        sa.select(ConversationTag.conversation_id, ConversationTag.tag)
        .where(ConversationTag.conversation_id.in_(ids))
        .order_by(ConversationTag.tag)
    )
    for conversation_id, tag in session.execute(statement):
        found[conversation_id].append(tag)
    return found


def all_tags(session: Session) -> list[str]:
    """Every tag in use, for the inbox filter."""
    statement = sa.select(ConversationTag.tag).distinct().order_by(ConversationTag.tag)
    return list(session.scalars(statement))


def add_note(
    session: Session, *, conversation_id: int, text: str, author: str, staff_id: int | None
) -> ConversationNote:
    """Add an internal note (never shown to the customer)."""
    _conversation(session, conversation_id)
    text = text.strip()
    if not text:
        raise InvalidReview("a note needs some text")
    if len(text) > MAX_NOTE_LENGTH:
        raise InvalidReview(f"a note is at most {MAX_NOTE_LENGTH} characters")
    note = ConversationNote(
        conversation_id=conversation_id,
        staff_id=staff_id,
        author=author,
        text=text,
        created_at=utcnow(),
    )
    session.add(note)
    session.flush()
    return note


def list_notes(session: Session, conversation_id: int) -> list[ConversationNote]:
    """A conversation's notes, oldest first."""
    statement = (
        sa.select(ConversationNote)
        .where(ConversationNote.conversation_id == conversation_id)
        .order_by(ConversationNote.created_at, ConversationNote.id)
    )
    return list(session.scalars(statement))


def set_reviewed(
    session: Session, *, conversation_id: int, reviewed: bool, by: str
) -> Conversation:
    """Mark a conversation reviewed (by whom, when) or not reviewed again."""
    conversation = _conversation(session, conversation_id)
    conversation.reviewed_at = utcnow() if reviewed else None
    conversation.reviewed_by = by if reviewed else None
    session.flush()
    return conversation


def correct_intent(
    session: Session, *, message_id: int, intent: str, corrected_by: str
) -> IntentCorrection:
    """Record the intent a customer message should have had; correcting again replaces it."""
    intent = check_intent(intent)
    message = session.get(Message, message_id)
    if message is None:
        raise LookupError(f"no message with id {message_id}")
    if message.direction != MessageDirection.incoming or not (message.text or "").strip():
        raise InvalidReview("only a customer's text message can get a corrected intent")
    correction = session.scalars(
        sa.select(IntentCorrection).where(IntentCorrection.message_id == message_id)
    ).first()
    if correction is None:
        correction = IntentCorrection(
            message_id=message_id,
            text=message.text or "",
            original_intent=message.intent,
            created_at=utcnow(),
        )
        session.add(correction)
    correction.corrected_intent = intent
    correction.corrected_by = corrected_by
    session.flush()
    return correction


def corrections_of(session: Session, conversation_id: int) -> dict[int, IntentCorrection]:
    """Corrections of one conversation's messages, by message id."""
    statement = (
        sa.select(IntentCorrection)
        .join(Message, Message.id == IntentCorrection.message_id)
        .where(Message.conversation_id == conversation_id)
    )
    return {row.message_id: row for row in session.scalars(statement)}


def list_corrections(session: Session, *, limit: int | None = None) -> list[IntentCorrection]:
    """Every correction, newest first."""
    statement = (
        sa.select(IntentCorrection)
        .order_by(IntentCorrection.updated_at.desc(), IntentCorrection.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def _conversation(session: Session, conversation_id: int) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise LookupError(f"no conversation with id {conversation_id}")
    return conversation
