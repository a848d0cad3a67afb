"""The segment rule language: every field and operator on both backends, and clear refusals."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from crm_bridge import consents, messages, segment_memberships
from crm_bridge.enums import ConsentKind, LeadStatus, SuggestionEventKind
from crm_bridge.models import Contact, ContactTag, CustomerValue, SuggestionEvent, ValueRun
from crm_bridge.segment_rules import (
    InvalidRules,
    contact_matches,
    count_matching,
    matching_contact_ids,
    validate_rules,
)
from tests.utils.factories import make_contact, make_conversation, make_lead, make_product

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@dataclass
class World:
    session: Session
    ids: dict[str, int]

    def match(self, rules: Any) -> set[str]:
        found = matching_contact_ids(self.session, rules, now=NOW)
        return {name for name, contact_id in self.ids.items() if contact_id in found}


def _said(session: Session, conversation_id: int, text: str, *, days: float, intent: str) -> None:
    message = messages.record_incoming(session, conversation_id=conversation_id, text=text)
    messages.set_nlu_result(session, message, intent=intent, confidence=0.9, entities=[])
    message.created_at = ago(days)


def _consent(session: Session, contact_id: int, kind: ConsentKind, *answers: bool) -> None:
    for number, granted in enumerate(answers):
        row = consents.record_consent(
            session, contact_id=contact_id, kind=kind, granted=granted, wording="ok?"
        )
        row.recorded_at = ago(10 - number)


def _lead(
    session: Session, contact: Contact, *, status: LeadStatus, grade: str | None, days: int
) -> None:
    lead = make_lead(session, conversation=make_conversation(session, contact=contact))
    lead.status, lead.grade, lead.created_at = status, grade, ago(days)


@pytest.fixture
def world(store_session: Session) -> World:
    """Ann (engaged, valuable), Bob (new, small, recent), Cy (nothing known)."""
    s = store_session
    ann = make_contact(s, name="Ann Smith", email="Ann@Acme.com")
    ann.source, ann.campaign = "instagram", "spring"
    bob = make_contact(s, name="Bob 100%_off", email="bob@gmail.com")
    cy = make_contact(s, name=None, email=None)
    ann.created_at, bob.created_at, cy.created_at = ago(100), ago(5), ago(1)

    _consent(s, ann.id, ConsentKind.marketing, True, False)
    _consent(s, ann.id, ConsentKind.proactive_messages, True)
    _consent(s, bob.id, ConsentKind.marketing, False, True)
    _lead(s, ann, status=LeadStatus.qualified, grade="A", days=30)
    _lead(s, ann, status=LeadStatus.abandoned, grade=None, days=2)
    _lead(s, bob, status=LeadStatus.qualified, grade="C", days=3)

    s.add(ContactTag(contact_id=ann.id, tag="vip", added_by="staff@shop.test"))
    segment_memberships.sync_segment(
        s, segment_key="rfm:champions", contact_ids={ann.id}, now=ago(9)
    )
    segment_memberships.sync_segment(s, segment_key="rfm:lost", contact_ids={bob.id}, now=ago(9))
    run = ValueRun(started_at=ago(1), status="ok", report={})
    s.add(run)
    s.flush()
    for contact, clv, orders in ((ann, "500.00", 6), (bob, "20.00", 1)):
        s.add(CustomerValue(
            contact_id=contact.id, run_id=run.id, first_order_at=ago(300), last_order_at=ago(3),
            order_count=orders, total_spent=Decimal("100.00"), recency_days=3, r_score=5,
            f_score=3, m_score=3, rfm_segment="champions", cluster="x", clv=Decimal(clv),
        ))  # fmt: skip

    ann_chat = make_conversation(s, contact=ann)
    bob_chat = make_conversation(s, contact=bob)
    _said(s, ann_chat.id, "show me your GARDEN stuff", days=40, intent="ask_category")
    _said(s, bob_chat.id, "a toy for my nephew", days=2, intent="ask_category")
    _said(s, bob_chat.id, "garden gloves price", days=2, intent="ask_price")
    product = make_product(s)
    for contact, days in ((ann, 3), (bob, 20)):
        s.add(SuggestionEvent(
            contact_id=contact.id, product_id=product.id, kind=SuggestionEventKind.clicked,
            rank=1, model_version="v1", created_at=ago(days),
        ))  # fmt: skip
    s.add(SuggestionEvent(
        contact_id=None, product_id=product.id, kind=SuggestionEventKind.clicked, rank=1,
        model_version="v1", created_at=ago(1),
    ))  # fmt: skip
    s.flush()
    return World(s, {"ann": ann.id, "bob": bob.id, "cy": cy.id})


def cond(field: str, op: str, value: Any = None, **extra: Any) -> dict[str, Any]:
    condition = {"field": field, "op": op, **extra}
    if value is not None:
        condition["value"] = value
    return {"all": [condition]}


EVERYONE = {"ann", "bob", "cy"}
CASES: dict[str, list[tuple[str, Any, set[str]]]] = {
    "email": [
        ("is_set", None, {"ann", "bob"}),
        ("not_set", None, {"cy"}),
        ("ends_with", "acme.com", {"ann"}),
        ("ends_with", "@GMAIL.com", {"bob"}),
        ("equals", "ann@acme.com", {"ann"}),
    ],
    "name": [
        ("is_set", None, {"ann", "bob"}),
        ("not_set", None, {"cy"}),
        ("contains", "smith", {"ann"}),
        ("contains", "%_", {"bob"}),  # LIKE wildcards are matched literally
        ("equals", "bob 100%_off", {"bob"}),
    ],
    "source": [
        ("is_set", None, {"ann"}),
        ("not_set", None, {"bob", "cy"}),
        ("equals", "Instagram", {"ann"}),
        ("in", ["telegram", "instagram"], {"ann"}),
    ],
    "campaign": [("equals", "spring", {"ann"}), ("in", ["autumn"], set())],
    "created_at": [
        ("within_days", 7, {"bob", "cy"}),
        ("before", ago(50).date().isoformat(), {"ann"}),
        ("after", ago(3).isoformat(), {"cy"}),
    ],
    "consent.marketing": [
        ("is", "granted", {"bob"}),  # the latest answer counts
        ("is", "withdrawn", {"ann"}),
        ("is", "unknown", {"cy"}),
    ],
    "consent.proactive_messages": [
        ("is", "granted", {"ann"}),
        ("is", "withdrawn", set()),
        ("is", "unknown", {"bob", "cy"}),
    ],
    "lead.grade": [
        ("in", ["a"], {"ann"}),  # the latest graded lead, though the latest lead has no grade
        ("in", ["B", "C"], {"bob"}),
        ("not_in", ["A"], {"bob", "cy"}),
    ],
    "lead.status": [
        ("in", ["abandoned"], {"ann"}),
        ("in", ["qualified"], {"bob"}),
        ("not_in", ["abandoned"], {"bob", "cy"}),
    ],
    "tag": [("has", "VIP", {"ann"}), ("not", "vip", {"bob", "cy"})],
    "segment": [
        ("in", "rfm:champions", {"ann"}),
        ("in", ["rfm:champions", "rfm:lost"], {"ann", "bob"}),
        ("not_in", "rfm:champions", {"bob", "cy"}),
    ],
    "value.clv": [("gt", 100, {"ann"}), ("lt", 100.5, {"bob"}), ("gt", 10_000, set())],
    "value.order_count": [("gt", 1, {"ann"}), ("lt", 2, {"bob"})],
    "event.asked_category": [
        ("is", "garden", {"ann"}),  # an ask_price about garden gloves does not count
        ("is", "toys", {"bob"}),  # the singular "toy" in the text counts
        ("is", "kitchen", set()),
    ],
    "event.suggestion_clicked": [
        ("within_days", 7, {"ann"}),
        ("within_days", 30, {"ann", "bob"}),
        ("not_within_days", 7, {"bob", "cy"}),
    ],
    "event.last_message": [
        ("within_days", 7, {"bob"}),
        ("not_within_days", 7, {"ann", "cy"}),
        ("within_days", 60, {"ann", "bob"}),
    ],
}


@pytest.mark.parametrize("field", list(CASES))
def test_every_field_and_operator(world: World, field: str) -> None:
    for op, value, expected in CASES[field]:
        assert world.match(cond(field, op, value)) == expected, (field, op, value)


def test_asked_category_can_look_back_a_few_days_only(world: World) -> None:
    assert world.match(cond("event.asked_category", "is", "garden", days=30)) == set()
    assert world.match(cond("event.asked_category", "is", "garden", days=45)) == {"ann"}


def test_groups_combine_and_nest(world: World) -> None:
    rules = {
        "any": [
            {"field": "tag", "op": "has", "value": "vip"},
            {"all": [
                {"field": "email", "op": "ends_with", "value": "gmail.com"},
                {"field": "value.clv", "op": "gt", "value": 1000},
            ]},
        ]
    }  # fmt: skip
    assert world.match(rules) == {"ann"}
    rules["any"][1]["all"][1]["value"] = 1
    assert world.match(rules) == {"ann", "bob"}


@pytest.mark.parametrize("rules", [{}, {"all": []}, {"any": []}, None, "", '{"all": []}'])
def test_empty_rules_match_everyone(world: World, rules: Any) -> None:
    assert world.match(rules) == EVERYONE
    assert count_matching(world.session, rules, now=NOW) >= 3


def test_among_contact_matches_and_count(world: World) -> None:
    rules = cond("email", "is_set")
    ann, bob, cy = world.ids["ann"], world.ids["bob"], world.ids["cy"]

    assert matching_contact_ids(world.session, rules, among=[bob, cy], now=NOW) == {bob}
    assert matching_contact_ids(world.session, rules, among=[], now=NOW) == set()
    assert contact_matches(world.session, rules, ann, now=NOW)
    assert not contact_matches(world.session, rules, cy, now=NOW)
    assert count_matching(world.session, cond("segment", "in", "rfm:champions"), now=NOW) == 1


def test_validation_returns_the_normal_form() -> None:
    bare = {"field": "event.last_message_within_days", "op": "within_days", "value": 7}

    assert validate_rules(bare) == {
        "all": [{"field": "event.last_message", "op": "within_days", "value": 7}]
    }
    assert validate_rules(cond("tag", "has", " VIP ")) == cond("tag", "has", "vip")
    assert validate_rules(cond("email", "ends_with", "@Acme.com")) == cond(
        "email", "ends_with", "acme.com"
    )
    assert validate_rules(cond("segment", "in", "rfm:lost")) == cond("segment", "in", ["rfm:lost"])
    assert validate_rules(cond("created_at", "before", "2026-01-31")) == cond(
        "created_at", "before", "2026-01-31T00:00:00+00:00"
    )


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ('{"all": [', "the rules are not valid JSON"),
        ([1, 2], 'must be an object such as {"all": [...]}'),
        ({"every": []}, 'condition|a group is {"all": [...]} or {"any": [...]}'),
        ({"all": {"field": "email"}}, '"all" must hold a list'),
        (cond("emial", "is_set"), "condition 1: unknown field 'emial'; fields are email, name"),
        (
            cond("email", "contains", "x"),
            "condition 1: email has no operator 'contains'; use is_set",
        ),
        (cond("email", "ends_with"), "email ends_with needs a value"),
        ({"all": [{"field": ["email"], "op": "is_set"}]}, "unknown field ['email']"),
        ({"all": [{"field": "email", "op": ["is_set"]}]}, "email has no operator ['is_set']"),
        (cond("email", "is_set", "x"), "email is_set takes no value"),
        (cond("name", "contains", "   "), "needs a non-empty text"),
        (cond("consent.marketing", "is", "yes"), "must be granted, withdrawn or unknown"),
        (cond("lead.status", "in", ["won"]), "unknown lead status 'won'; use draft, abandoned"),
        (cond("lead.grade", "in", []), "needs at least one value"),
        (cond("segment", "in", "champions"), "'champions' is not a segment key"),
        (cond("value.clv", "gt", "100"), "value.clv gt needs a number"),
        (cond("value.clv", "gt", True), "value.clv gt needs a number"),
        ('{"field": "value.clv", "op": "lt", "value": Infinity}', "value.clv lt needs a number"),
        (cond("event.last_message", "within_days", 0), "whole number of days from 1"),
        (cond("event.suggestion_clicked", "within_days", 2.5), "whole number of days"),
        (cond("created_at", "before", "31/01/2026"), "needs a date such as 2026-01-31"),
        (cond("tag", "has", "vip", days=3), '"days" only goes with event.asked_category'),
        (
            {"all": [{"field": "tag", "op": "has", "value": "x", "colour": 1}]},
            "unknown key 'colour'",
        ),
        ({"all": [{"any": [{"all": [{"any": [{"all": []}]}]}]}]}, "groups nest at most 4 deep"),
        ({"all": [{"any": [{"field": "tag", "op": "x"}]}]}, "condition 1.1: tag has no operator"),
        ({"all": [cond("tag", "has", "v")["all"][0]] * 51}, "at most 50 conditions"),
    ],
)
def test_invalid_rules_are_refused_with_a_clear_message(rules: Any, message: str) -> None:
    with pytest.raises(InvalidRules) as refused:
        validate_rules(rules)

    assert any(part in str(refused.value) for part in message.split("|")), str(refused.value)
