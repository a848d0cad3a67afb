"""CRM rows as the recommender's plain input."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from crm_bridge import recommendations
from crm_bridge.enums import OrderStatus, SuggestionEventKind
from crm_bridge.recommender_data import (
    ASKED_WEIGHT,
    CLICK_WEIGHT,
    CatalogueRow,
    catalogue_rows,
    columns,
    interaction_rows,
)
from tests.utils.factories import make_contact, make_conversation, make_order, make_product

WHEN = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def test_catalogue_rows_are_active_products_with_consumable_flag(store_session: Session) -> None:
    candle = make_product(
        store_session,
        name="Lavender Candle",
        category="home",
        price=Decimal("9.49"),
        stock=0,
        description="smells nice",
        attributes={"consumable": True},
    )
    lamp = make_product(store_session, name="Brass Lamp", price=Decimal("62.50"))
    make_product(store_session, active=False)

    rows = catalogue_rows(store_session)

    assert rows == [
        CatalogueRow(candle.id, "Lavender Candle", "smells nice", "home", 9.49, False, True),
        CatalogueRow(lamp.id, "Brass Lamp", "", "lighting", 62.5, True, False),
    ]


def test_interactions_are_purchases_and_chat_follow_ups(store_session: Session) -> None:
    contact = make_contact(store_session)
    lamp, mug, pot = (make_product(store_session) for _ in range(3))
    make_order(store_session, contact=contact, items=[(lamp, 2)], placed_at=WHEN)
    make_order(
        store_session,
        contact=contact,
        items=[(pot, 1)],
        placed_at=WHEN,
        status=OrderStatus.returned,
    )
    conversation = make_conversation(store_session, contact=contact)
    recommendations.record_shown(
        store_session,
        conversation_id=conversation.id,
        contact_id=contact.id,
        model_version="v000001",
        shown=[
            recommendations.ShownSuggestion(mug.id, 1),
            recommendations.ShownSuggestion(pot.id, 2),
        ],
    )
    for product, kind in ((mug, SuggestionEventKind.clicked), (pot, SuggestionEventKind.asked)):
        recommendations.record_follow_up(
            store_session, conversation_id=conversation.id, product_id=product.id, kind=kind
        )

    rows = interaction_rows(store_session)

    assert [(r.user_id, r.item_id, r.weight, r.purchased) for r in rows] == [
        (contact.id, lamp.id, 2.0, True),
        (contact.id, mug.id, CLICK_WEIGHT, False),
        (contact.id, pot.id, ASKED_WEIGHT, False),
    ]
    assert rows[0].timestamp == WHEN.timestamp()
    assert columns(rows)["item_ids"] == [lamp.id, mug.id, pot.id]


def test_interactions_since_leave_out_older_events(store_session: Session) -> None:
    contact = make_contact(store_session)
    old, new = make_product(store_session), make_product(store_session)
    make_order(store_session, contact=contact, items=[(old, 1)], placed_at=WHEN)
    make_order(store_session, contact=contact, items=[(new, 1)], placed_at=WHEN + timedelta(days=3))

    rows = interaction_rows(store_session, since=WHEN + timedelta(days=1))

    assert [row.item_id for row in rows] == [new.id]
