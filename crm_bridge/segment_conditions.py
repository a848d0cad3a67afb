"""SQL for one condition of the segment rule language, as a filter on `Contact` rows.

Input is a condition already checked by `crm_bridge.segment_rules.validate_rules`. Facts
about other tables are correlated `EXISTS` or scalar subqueries on ``contacts.id`` (never
``NOT IN``, which a NULL would silently empty), written so SQLite and PostgreSQL run the
same SQL. "Latest" consent and lead rows are the newest by time, then by id.

Category questions are stored as incoming messages with the intent `ASK_CATEGORY_INTENT`;
the category is not an NLU entity (the action server matches it from the words), so a
question counts when its text or button payload contains the category name (its singular
form too, so "toys" also finds "a toy for my nephew"). Synonyms ("lamps" for lighting)
are known only to the action server and do not count.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm_bridge.enums import ConsentKind, MessageDirection, SuggestionEventKind
from crm_bridge.models import (
    Consent,
    Contact,
    ContactTag,
    Conversation,
    CustomerValue,
    Lead,
    Message,
    SegmentMembership,
    SuggestionEvent,
)

ASK_CATEGORY_INTENT = "ask_category"

Condition = sa.ColumnElement[bool]


def condition_sql(node: dict[str, Any], now: datetime) -> Condition:
    """One validated condition as a boolean SQL expression over `Contact`."""
    field, op, value = node["field"], node["op"], node.get("value")
    if field in _TEXT_COLUMNS:
        return _text(_TEXT_COLUMNS[field], op, value)
    if field.startswith("consent."):
        return _consent(ConsentKind(field.removeprefix("consent.")), value)
    handler = _HANDLERS[field]
    return handler(op, value, node, now)


_TEXT_COLUMNS = {
    "email": Contact.email,
    "name": Contact.name,
    "source": Contact.source,
    "campaign": Contact.campaign,
}


def _text(column: Any, op: str, value: Any) -> Condition:
    present = sa.and_(column.is_not(None), column != "")
    if op == "is_set":
        return present
    if op == "not_set":
        return sa.not_(present)
    lowered = sa.func.lower(column)
    if op == "equals":
        return lowered == value.lower()
    if op == "in":
        return lowered.in_([v.lower() for v in value])
    if op == "contains":
        return lowered.contains(value.lower(), autoescape=True)
    if op == "ends_with":
        return lowered.endswith("@" + value, autoescape=True)
    raise AssertionError(op)


def _created_at(op: str, value: Any, _node: dict[str, Any], now: datetime) -> Condition:
    if op == "within_days":
        return Contact.created_at >= now - timedelta(days=value)
    moment = datetime.fromisoformat(value)
    return Contact.created_at < moment if op == "before" else Contact.created_at > moment


def _consent(kind: ConsentKind, value: str) -> Condition:
    rows = sa.select(Consent.granted).where(Consent.contact_id == Contact.id, Consent.kind == kind)
    if value == "unknown":
        return ~rows.exists()
    latest = rows.order_by(Consent.recorded_at.desc(), Consent.id.desc()).limit(1)
    return latest.scalar_subquery() == (sa.true() if value == "granted" else sa.false())


def _lead(column: Any, *, graded: bool) -> Callable[..., Condition]:
    def build(op: str, value: Any, _node: dict[str, Any], _now: datetime) -> Condition:
        latest = sa.select(column).where(Lead.contact_id == Contact.id)
        if graded:
            latest = latest.where(Lead.grade.is_not(None))
        latest = latest.order_by(Lead.created_at.desc(), Lead.id.desc()).limit(1)
        chosen = latest.scalar_subquery().in_(value)
        # A contact without such a lead is "not in" any list.
        return chosen if op == "in" else sa.not_(sa.func.coalesce(chosen, False))

    return build


def _tag(op: str, value: Any, _node: dict[str, Any], _now: datetime) -> Condition:
    tagged = sa.exists().where(ContactTag.contact_id == Contact.id, ContactTag.tag == value)
    return tagged if op == "has" else ~tagged


def _segment(op: str, value: Any, _node: dict[str, Any], _now: datetime) -> Condition:
    member = sa.exists().where(
        SegmentMembership.contact_id == Contact.id,
        SegmentMembership.segment_key.in_(value),
        SegmentMembership.left_at.is_(None),
    )
    return member if op == "in" else ~member


def _value(column: Any, *, money: bool) -> Callable[..., Condition]:
    def build(op: str, value: Any, _node: dict[str, Any], _now: datetime) -> Condition:
        bound = Decimal(str(value)) if money else value
        compared = column > bound if op == "gt" else column < bound
        return sa.exists().where(CustomerValue.contact_id == Contact.id, compared)

    return build


def _asked_category(op: str, value: Any, node: dict[str, Any], now: datetime) -> Condition:
    name = value.lower()
    stems = {name, name[:-1]} if name.endswith("s") and len(name) > 3 else {name}
    said = [
        sa.func.lower(sa.func.coalesce(column, "")).contains(stem, autoescape=True)
        for column in (Message.text, Message.payload)
        for stem in sorted(stems)
    ]
    conditions = [
        Conversation.contact_id == Contact.id,
        Message.direction == MessageDirection.incoming,
        Message.intent == ASK_CATEGORY_INTENT,
        sa.or_(*said),
    ]
    if "days" in node:
        conditions.append(Message.created_at >= now - timedelta(days=node["days"]))
    return (
        sa.select(Message.id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(*conditions)
        .exists()
    )


def _suggestion_clicked(op: str, value: Any, _node: dict[str, Any], now: datetime) -> Condition:
    clicked = sa.exists().where(
        SuggestionEvent.contact_id == Contact.id,
        SuggestionEvent.kind == SuggestionEventKind.clicked,
        SuggestionEvent.created_at >= now - timedelta(days=value),
    )
    return clicked if op == "within_days" else ~clicked


def _last_message(op: str, value: Any, _node: dict[str, Any], now: datetime) -> Condition:
    wrote = (
        sa.select(Message.id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Conversation.contact_id == Contact.id,
            Message.direction == MessageDirection.incoming,
            Message.created_at >= now - timedelta(days=value),
        )
        .exists()
    )
    return wrote if op == "within_days" else ~wrote


_HANDLERS: dict[str, Callable[[str, Any, dict[str, Any], datetime], Condition]] = {
    "created_at": _created_at,
    "lead.grade": _lead(Lead.grade, graded=True),
    "lead.status": _lead(Lead.status, graded=False),
    "tag": _tag,
    "segment": _segment,
    "value.clv": _value(CustomerValue.clv, money=True),
    "value.order_count": _value(CustomerValue.order_count, money=False),
    "event.asked_category": _asked_category,
    "event.suggestion_clicked": _suggestion_clicked,
    "event.last_message": _last_message,
}
