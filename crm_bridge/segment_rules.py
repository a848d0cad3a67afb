"""The rule language of staff-defined segments and campaign conditions, checked and run in SQL.

A rule set is a group, ``{"all": [...]}`` (every item holds) or ``{"any": [...]}`` (at
least one holds), whose items are conditions or nested groups::

    {"all": [
        {"field": "consent.marketing", "op": "is", "value": "granted"},
        {"any": [
            {"field": "segment", "op": "in", "value": ["rfm:at_risk", "rfm:cant_lose"]},
            {"field": "event.asked_category", "op": "is", "value": "garden", "days": 30}
        ]}
    ]}

`FIELDS` lists every field with its operators and what their value must be; an empty
rule set (``{}``, ``{"all": []}``) or an empty group places no condition. A single
condition on its own is read as ``{"all": [condition]}``. Rules compile to one SQL
filter on contacts (`crm_bridge.segment_conditions`), so matching never loads every
contact into Python. `validate_rules` returns the rules in that normal form, or raises
`InvalidRules` with a message a staff member can act on.
"""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.column_types import utcnow
from crm_bridge.enums import LeadStatus
from crm_bridge.models import Contact
from crm_bridge.segment_conditions import condition_sql

MAX_DEPTH = 4
MAX_CONDITIONS = 50
MAX_TEXT = 200
_CHUNK = 500
_ALIASES = {"event.last_message_within_days": "event.last_message"}


class InvalidRules(ValueError):
    """Rules that are not in the language: the message says where and what is wrong."""


@dataclass(frozen=True)
class FieldSpec:
    """The operators of one field, each with the kind of value it takes, and a short help."""

    ops: dict[str, str]
    help: str
    example: str


_TEXT_OPS = {"is_set": "none", "not_set": "none", "equals": "text", "in": "texts"}
_RECENT_OPS = {"within_days": "days", "not_within_days": "days"}
_CONSENT = "consent"

FIELDS: dict[str, FieldSpec] = {
    "email": FieldSpec(
        {"is_set": "none", "not_set": "none", "ends_with": "domain", "equals": "text"},
        "the contact's email; ends_with takes a domain",
        '{"field": "email", "op": "ends_with", "value": "example.com"}',
    ),
    "name": FieldSpec(
        {"is_set": "none", "not_set": "none", "contains": "text", "equals": "text"},
        "the contact's name (case-insensitive)",
        '{"field": "name", "op": "contains", "value": "smith"}',
    ),
    "source": FieldSpec(
        _TEXT_OPS,
        "where the contact first came from (a Telegram deep link)",
        '{"field": "source", "op": "equals", "value": "instagram"}',
    ),
    "campaign": FieldSpec(
        _TEXT_OPS,
        "the first-touch campaign",
        '{"field": "campaign", "op": "in", "value": ["spring", "summer"]}',
    ),
    "created_at": FieldSpec(
        {"before": "date", "after": "date", "within_days": "days"},
        "when the contact was first seen; dates are YYYY-MM-DD (midnight UTC)",
        '{"field": "created_at", "op": "within_days", "value": 30}',
    ),
    "consent.marketing": FieldSpec(
        {"is": _CONSENT},
        "the latest marketing consent answer: granted, withdrawn or unknown (never asked)",
        '{"field": "consent.marketing", "op": "is", "value": "granted"}',
    ),
    "consent.proactive_messages": FieldSpec(
        {"is": _CONSENT},
        "the latest answer to proactive chat messages: granted, withdrawn or unknown",
        '{"field": "consent.proactive_messages", "op": "is", "value": "withdrawn"}',
    ),
    "lead.grade": FieldSpec(
        {"in": "grades", "not_in": "grades"},
        "grade of the contact's latest graded lead (A-D)",
        '{"field": "lead.grade", "op": "in", "value": ["A", "B"]}',
    ),
    "lead.status": FieldSpec(
        {"in": "lead_statuses", "not_in": "lead_statuses"},
        "status of the contact's latest lead: " + ", ".join(LeadStatus),
        '{"field": "lead.status", "op": "in", "value": ["abandoned"]}',
    ),
    "tag": FieldSpec(
        {"has": "tag", "not": "tag"},
        "a tag on the contact",
        '{"field": "tag", "op": "has", "value": "vip"}',
    ),
    "segment": FieldSpec(
        {"in": "segment_keys", "not_in": "segment_keys"},
        "a segment the contact is in now: rfm:<segment>, cluster:<name> or rule:<id>",
        '{"field": "segment", "op": "in", "value": "rfm:champions"}',
    ),
    "value.clv": FieldSpec(
        {"gt": "number", "lt": "number"},
        "predicted lifetime value (contacts without one never match)",
        '{"field": "value.clv", "op": "gt", "value": 100}',
    ),
    "value.order_count": FieldSpec(
        {"gt": "number", "lt": "number"},
        "orders bought, as of the latest value run",
        '{"field": "value.order_count", "op": "gt", "value": 2}',
    ),
    "event.asked_category": FieldSpec(
        {"is": "text"},
        'asked the assistant about a category; add "days": N to look back N days only',
        '{"field": "event.asked_category", "op": "is", "value": "garden", "days": 30}',
    ),
    "event.suggestion_clicked": FieldSpec(
        _RECENT_OPS,
        "pressed a product suggestion's button in the chat within N days (or not)",
        '{"field": "event.suggestion_clicked", "op": "within_days", "value": 7}',
    ),
    "event.last_message": FieldSpec(
        _RECENT_OPS,
        "wrote to the assistant within N days (or not); alias event.last_message_within_days",
        '{"field": "event.last_message", "op": "not_within_days", "value": 60}',
    ),
}


def validate_rules(rules: Any) -> dict[str, Any]:
    """The rules in normal form (JSON text is parsed first); `InvalidRules` when they are not."""
    if isinstance(rules, str):
        try:
            rules = json.loads(rules) if rules.strip() else {}
        except json.JSONDecodeError as error:
            raise InvalidRules(
                f"the rules are not valid JSON: {error.msg} (line {error.lineno}, "
                f"column {error.colno})"
            ) from None
    if rules is None or rules == {}:
        return {"all": []}
    if not isinstance(rules, dict):
        raise InvalidRules('the rules must be an object such as {"all": [...]}')
    if "field" in rules:
        rules = {"all": [rules]}
    counter = [0]
    return _group(rules, "the rules", depth=1, counter=counter)


def matching_contact_ids(
    session: Session,
    rules: Any,
    *,
    among: Iterable[int] | None = None,
    now: datetime | None = None,
) -> set[int]:
    """Ids of the contacts the rules match, optionally only among the ids given."""
    condition = compile_rules(rules, now=now)
    if among is None:
        return set(session.scalars(sa.select(Contact.id).where(condition)))
    ids = sorted(set(among))
    found: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found.update(session.scalars(sa.select(Contact.id).where(condition, Contact.id.in_(chunk))))
    return found


def contact_matches(
    session: Session, rules: Any, contact_id: int, *, now: datetime | None = None
) -> bool:
    """Whether one contact matches (what a campaign checks when its wait is over)."""
    return bool(matching_contact_ids(session, rules, among=[contact_id], now=now))


def count_matching(session: Session, rules: Any, *, now: datetime | None = None) -> int:
    """How many contacts the rules match."""
    statement = sa.select(sa.func.count()).select_from(Contact).where(compile_rules(rules, now=now))
    return int(session.scalar(statement) or 0)


def compile_rules(rules: Any, *, now: datetime | None = None) -> sa.ColumnElement[bool]:
    """The rules as one SQL condition on `Contact` (validated first)."""
    return _compile(validate_rules(rules), now or utcnow())


def _compile(node: dict[str, Any], now: datetime) -> sa.ColumnElement[bool]:
    if "field" in node:
        return condition_sql(node, now)
    kind, items = next(iter(node.items()))
    parts = [_compile(item, now) for item in items]
    if not parts:
        return sa.true()
    return sa.and_(*parts) if kind == "all" else sa.or_(*parts)


def _group(node: Any, where: str, *, depth: int, counter: list[int]) -> dict[str, Any]:
    if depth > MAX_DEPTH:
        raise InvalidRules(f"{where}: groups nest at most {MAX_DEPTH} deep")
    if not isinstance(node, dict) or len(node) != 1 or next(iter(node)) not in ("all", "any"):
        raise InvalidRules(f'{where}: a group is {{"all": [...]}} or {{"any": [...]}}')
    kind, items = next(iter(node.items()))
    if not isinstance(items, list):
        raise InvalidRules(f'{where}: "{kind}" must hold a list of conditions')
    result = []
    for number, item in enumerate(items, start=1):
        inner = f"condition {number}" if where == "the rules" else f"{where}.{number}"
        if isinstance(item, dict) and "field" in item:
            counter[0] += 1
            if counter[0] > MAX_CONDITIONS:
                raise InvalidRules(f"at most {MAX_CONDITIONS} conditions are allowed")
            result.append(_condition(item, inner))
        else:
            result.append(_group(item, inner, depth=depth + 1, counter=counter))
    return {kind: result}


def _condition(item: dict[str, Any], where: str) -> dict[str, Any]:
    unknown_keys = set(item) - {"field", "op", "value", "days"}
    if unknown_keys:
        raise InvalidRules(f"{where}: unknown key {sorted(unknown_keys)[0]!r}")
    field = item.get("field")
    field = _ALIASES.get(field, field) if isinstance(field, str) else None
    spec = FIELDS.get(field) if field is not None else None
    if field is None or spec is None:
        raise InvalidRules(
            f"{where}: unknown field {item.get('field')!r}; fields are {', '.join(FIELDS)}"
        )
    op = item.get("op")
    if not isinstance(op, str) or op not in spec.ops:
        raise InvalidRules(f"{where}: {field} has no operator {op!r}; use {' or '.join(spec.ops)}")
    result: dict[str, Any] = {"field": field, "op": op}
    kind = spec.ops[op]
    if kind != "none":
        if "value" not in item:
            raise InvalidRules(f"{where}: {field} {op} needs a value")
        result["value"] = _value(kind, item["value"], f"{where}: {field} {op}")
    elif item.get("value") is not None:
        raise InvalidRules(f"{where}: {field} {op} takes no value")
    if "days" in item:
        if field != "event.asked_category":
            raise InvalidRules(f'{where}: "days" only goes with event.asked_category')
        result["days"] = _value("days", item["days"], f"{where}: days")
    return result


def _value(kind: str, value: Any, where: str) -> Any:
    if kind in ("text", "domain", "tag"):
        text = _text(value, where)
        if kind == "domain":
            text = text.lower().lstrip("@")
        return text.lower() if kind == "tag" else text
    if kind in ("texts", "grades", "segment_keys", "lead_statuses"):
        values = value if isinstance(value, list) else [value]
        if not values:
            raise InvalidRules(f"{where} needs at least one value")
        texts = [_text(v, where) for v in values]
        if kind == "grades":
            return [t.upper() for t in texts]
        if kind == "lead_statuses":
            wrong = [t for t in texts if t not in LeadStatus.__members__]
            if wrong:
                raise InvalidRules(
                    f"{where}: unknown lead status {wrong[0]!r}; use {', '.join(LeadStatus)}"
                )
        if kind == "segment_keys":
            for key in texts:
                if key.partition(":")[0] not in ("rfm", "cluster", "rule") or ":" not in key:
                    raise InvalidRules(
                        f"{where}: {key!r} is not a segment key (rfm:<name>, cluster:<name> "
                        "or rule:<id>)"
                    )
        return texts
    if kind == "days":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 36_500:
            raise InvalidRules(f"{where} needs a whole number of days from 1 to 36500")
        return value
    if kind == "number":
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if not is_number or not math.isfinite(value):
            raise InvalidRules(f"{where} needs a number")
        return value
    if kind == _CONSENT:
        if value not in ("granted", "withdrawn", "unknown"):
            raise InvalidRules(f"{where} must be granted, withdrawn or unknown")
        return value
    if kind == "date":
        return _date(value, where).isoformat()
    raise AssertionError(kind)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRules(f"{where} needs a non-empty text")
    if len(value) > MAX_TEXT:
        raise InvalidRules(f"{where}: texts are at most {MAX_TEXT} characters")
    return value.strip()


def _date(value: Any, where: str) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
        if parsed is not None:
            if isinstance(parsed, datetime) and parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.astimezone(UTC)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise InvalidRules(f"{where} needs a date such as 2026-01-31")
