"""Saved segments: rules validated and normalised, unique names, deletion closes memberships."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from crm_bridge import segment_memberships, segments
from crm_bridge.segment_rules import InvalidRules
from tests.utils.factories import make_contact

RULES = {"field": "email", "op": "ends_with", "value": "@Acme.com"}


def test_create_validates_and_normalises(db_session: Session) -> None:
    segment = segments.create_segment(
        db_session,
        name="  Acme   people ",
        description=" Our friends at Acme ",
        rules=RULES,
        created_by="m@shop.test",
    )

    assert segment.id and segment.name == "Acme people"
    assert segment.description == "Our friends at Acme"
    assert segment.rules == {"all": [{"field": "email", "op": "ends_with", "value": "acme.com"}]}
    assert segments.get_segment(db_session, segment.id) is segment
    assert segments.segment_key(segment.id) == f"rule:{segment.id}"


def test_rules_may_be_json_text(db_session: Session) -> None:
    segment = segments.create_segment(
        db_session, name="All", rules='{"all": []}', created_by="m@shop.test"
    )
    assert segment.rules == {"all": []}


def test_duplicate_names_are_refused_ignoring_case(db_session: Session) -> None:
    first = segments.create_segment(db_session, name="VIP", rules={}, created_by="m@shop.test")
    other = segments.create_segment(db_session, name="Other", rules={}, created_by="m@shop.test")

    with pytest.raises(segments.DuplicateSegment, match='a segment named "vip" already exists'):
        segments.create_segment(db_session, name="vip", rules={}, created_by="m@shop.test")
    with pytest.raises(segments.DuplicateSegment):
        segments.update_segment(db_session, other.id, name="Vip", rules={})
    # Keeping its own name is fine.
    assert segments.update_segment(db_session, first.id, name="VIP", rules={}).name == "VIP"


@pytest.mark.parametrize(
    ("name", "rules", "error", "message"),
    [
        ("  ", {}, segments.InvalidSegment, "a segment needs a name"),
        ("x" * 121, {}, segments.InvalidSegment, "at most 120 characters"),
        ("Bad", {"all": [{"field": "nope", "op": "x"}]}, InvalidRules, "unknown field 'nope'"),
        ("Bad", "{not json", InvalidRules, "not valid JSON"),
    ],
)
def test_refused_segments_are_not_saved(
    db_session: Session, name: str, rules: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        segments.create_segment(db_session, name=name, rules=rules, created_by="m@shop.test")

    assert segments.list_segments(db_session) == []


def test_update_changes_everything_and_missing_is_lookup_error(db_session: Session) -> None:
    segment = segments.create_segment(db_session, name="A", rules={}, created_by="m@shop.test")

    segments.update_segment(
        db_session, segment.id, name="B", description="d", rules={"any": [RULES]}
    )

    assert (segment.name, segment.description) == ("B", "d")
    assert segment.rules == {"any": [{"field": "email", "op": "ends_with", "value": "acme.com"}]}
    with pytest.raises(LookupError, match="There is no segment 999999"):
        segments.update_segment(db_session, 999_999, name="C", rules={})
    with pytest.raises(LookupError):
        segments.delete_segment(db_session, 999_999)


def test_list_is_by_name_and_delete_closes_memberships(db_session: Session) -> None:
    b = segments.create_segment(db_session, name="beta", rules={}, created_by="m@shop.test")
    segments.create_segment(db_session, name="Alpha", rules={}, created_by="m@shop.test")
    contact = make_contact(db_session)
    key = segments.segment_key(b.id)
    segment_memberships.sync_segment(
        db_session, segment_key=key, contact_ids={contact.id}, now=datetime(2026, 11, 1, tzinfo=UTC)
    )

    assert [s.name for s in segments.list_segments(db_session)] == ["Alpha", "beta"]
    segments.delete_segment(db_session, b.id)

    assert [s.name for s in segments.list_segments(db_session)] == ["Alpha"]
    assert segment_memberships.members(db_session, key) == []


def test_members_page_counts_all_and_returns_a_page(store_session: Session) -> None:
    acme = [make_contact(store_session, email=f"p{i}@acme.com") for i in range(5)]
    make_contact(store_session, email="x@elsewhere.com")

    page = segments.members_page(store_session, RULES, limit=2, offset=1)

    assert page.total == 5
    assert [row.contact.id for row in page.rows] == [acme[1].id, acme[2].id]
    assert all(row.value is None and row.contact.identities == [] for row in page.rows)
