"""Suggestion events: shown, follow-ups attributed to the shown card, conversions, funnel."""

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from crm_bridge import recommendations
from crm_bridge.column_types import utcnow
from crm_bridge.enums import OrderStatus, SuggestionEventKind
from crm_bridge.models import Contact, Conversation, Product
from crm_bridge.recommendations import ShownSuggestion
from tests.utils.factories import make_conversation, make_order, make_product

Kind = SuggestionEventKind


def _show(
    session: Session, conversation: Conversation, items: list[Product], version: str = "v000001"
) -> None:
    recommendations.record_shown(
        session,
        conversation_id=conversation.id,
        contact_id=conversation.contact_id,
        model_version=version,
        shown=[ShownSuggestion(p.id, rank, f"reason {rank}") for rank, p in enumerate(items, 1)],
    )


def test_record_shown_keeps_rank_reason_and_version(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    first, second = make_product(store_session), make_product(store_session)

    _show(store_session, conversation, [first, second])

    rows = recommendations.list_events(store_session, conversation_id=conversation.id)
    assert [(r.product_id, r.kind, r.rank, r.reason, r.model_version) for r in rows] == [
        (first.id, Kind.shown, 1, "reason 1", "v000001"),
        (second.id, Kind.shown, 2, "reason 2", "v000001"),
    ]
    assert {r.contact_id for r in rows} == {conversation.contact_id}


def test_follow_up_copies_rank_and_version_of_latest_shown(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    first, second = make_product(store_session), make_product(store_session)
    _show(store_session, conversation, [first, second], "v000001")
    _show(store_session, conversation, [second, first], "v000002")

    clicked = recommendations.record_follow_up(
        store_session, conversation_id=conversation.id, product_id=first.id, kind=Kind.clicked
    )

    assert clicked is not None
    assert (clicked.kind, clicked.rank, clicked.model_version) == (Kind.clicked, 2, "v000002")
    assert clicked.contact_id == conversation.contact_id


def test_follow_up_of_a_product_never_shown_here_is_not_recorded(store_session: Session) -> None:
    conversation, elsewhere = make_conversation(store_session), make_conversation(store_session)
    product = make_product(store_session)
    _show(store_session, elsewhere, [product])

    row = recommendations.record_follow_up(
        store_session, conversation_id=conversation.id, product_id=product.id, kind=Kind.asked
    )

    assert row is None
    assert recommendations.list_events(store_session, conversation_id=conversation.id) == []


@pytest.mark.parametrize("kind", [Kind.shown, Kind.bought])
def test_follow_up_refuses_kinds_that_are_not_follow_ups(
    store_session: Session, kind: SuggestionEventKind
) -> None:
    conversation = make_conversation(store_session)
    with pytest.raises(ValueError):
        recommendations.record_follow_up(
            store_session, conversation_id=conversation.id, product_id=1, kind=kind
        )


def _contact(session: Session, conversation: Conversation) -> Contact:
    return session.get(Contact, conversation.contact_id)  # type: ignore[return-value]


def test_conversion_counts_an_order_after_the_suggestion_once(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    product = make_product(store_session)
    _show(store_session, conversation, [product])
    contact = _contact(store_session, conversation)
    order = make_order(
        store_session,
        contact=contact,
        items=[(product, 1)],
        placed_at=utcnow() + timedelta(hours=2),
    )

    assert recommendations.record_conversions(store_session) == 1
    assert recommendations.record_conversions(store_session) == 0
    [bought] = recommendations.list_events(store_session, kind=Kind.bought)
    assert (bought.product_id, bought.order_id, bought.rank) == (product.id, order.id, 1)
    assert bought.conversation_id == conversation.id


def test_conversion_ignores_earlier_late_cancelled_and_other_orders(
    store_session: Session,
) -> None:
    conversation = make_conversation(store_session)
    product, other = make_product(store_session), make_product(store_session)
    contact = _contact(store_session, conversation)
    make_order(
        store_session, contact=contact, items=[(product, 1)], placed_at=utcnow() - timedelta(days=1)
    )
    _show(store_session, conversation, [product])
    now = utcnow()
    make_order(
        store_session, contact=contact, items=[(product, 1)], placed_at=now + timedelta(days=40)
    )
    make_order(
        store_session,
        contact=contact,
        items=[(product, 1)],
        placed_at=now + timedelta(days=1),
        status=OrderStatus.cancelled,
    )
    make_order(
        store_session, contact=contact, items=[(other, 1)], placed_at=now + timedelta(days=1)
    )
    make_order(store_session, items=[(product, 1)], placed_at=now + timedelta(days=1))

    assert recommendations.record_conversions(store_session) == 0


def test_funnel_counts_each_kind_per_model_version(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    items = [make_product(store_session) for _ in range(4)]
    _show(store_session, conversation, items, "v000001")
    _show(store_session, conversation, items[:2], "v000002")
    recommendations.record_follow_up(
        store_session, conversation_id=conversation.id, product_id=items[0].id, kind=Kind.clicked
    )
    recommendations.record_follow_up(
        store_session, conversation_id=conversation.id, product_id=items[3].id, kind=Kind.asked
    )

    rows = {row.model_version: row for row in recommendations.funnel(store_session)}

    assert (rows["v000001"].shown, rows["v000001"].clicked, rows["v000001"].asked) == (4, 0, 1)
    assert (rows["v000002"].shown, rows["v000002"].clicked) == (2, 1)
    assert rows["v000002"].click_through_rate == 0.5
    assert rows["v000001"].conversion_rate == 0.0
