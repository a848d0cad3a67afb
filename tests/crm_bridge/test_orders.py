"""Orders, their items and the purchase history."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_bridge import orders
from crm_bridge.enums import OrderStatus
from tests.utils.factories import make_contact, make_order, make_product

WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def test_create_order_computes_total_from_items(store_session: Session) -> None:
    contact = make_contact(store_session)
    lamp = make_product(store_session, price=Decimal("24.99"))
    mug = make_product(store_session, price=Decimal("7.50"))
    order = orders.create_order(
        store_session,
        contact_id=contact.id,
        placed_at=WHEN,
        items=[orders.OrderLine(lamp.id, 2, lamp.price), orders.OrderLine(mug.id, 3, mug.price)],
        external_ref="SHOP-1",
    )
    store_session.expire_all()
    [stored] = orders.list_for_contact(store_session, contact.id)
    assert stored.id == order.id
    assert stored.total == Decimal("72.48")
    assert stored.placed_at == WHEN
    assert [(i.product.sku, i.quantity) for i in stored.items] == [(lamp.sku, 2), (mug.sku, 3)]


def test_create_order_without_items_is_refused(store_session: Session) -> None:
    contact = make_contact(store_session)
    with pytest.raises(ValueError, match="at least one item"):
        orders.create_order(store_session, contact_id=contact.id, placed_at=WHEN, items=[])


def test_external_ref_is_unique(store_session: Session) -> None:
    make_order(store_session, external_ref="SHOP-2")
    with pytest.raises(IntegrityError):
        make_order(store_session, external_ref="SHOP-2")


def test_list_for_contact_newest_first(store_session: Session) -> None:
    contact = make_contact(store_session)
    old = make_order(store_session, contact=contact, placed_at=WHEN)
    new = make_order(store_session, contact=contact, placed_at=WHEN + timedelta(days=1))
    make_order(store_session)  # someone else's
    assert orders.list_for_contact(store_session, contact.id) == [new, old]


def test_upsert_order_replaces_items_and_keeps_the_order(store_session: Session) -> None:
    contact = make_contact(store_session)
    lamp, mug = make_product(store_session), make_product(store_session)
    first = orders.upsert_order(
        store_session,
        external_ref="SHOP-3",
        contact_id=contact.id,
        placed_at=WHEN,
        items=[orders.OrderLine(lamp.id, 1, Decimal("10.00"))],
    )
    second = orders.upsert_order(
        store_session,
        external_ref="SHOP-3",
        contact_id=contact.id,
        placed_at=WHEN,
        items=[orders.OrderLine(mug.id, 2, Decimal("5.00"))],
    )
    store_session.expire_all()
    assert second.id == first.id
    stored = orders.get_by_external_ref(store_session, "SHOP-3")
    assert stored is not None
    assert [(i.product_id, i.quantity) for i in stored.items] == [(mug.id, 2)]
    assert stored.total == Decimal("10.00")


def test_list_purchases_skips_cancelled_and_returned(store_session: Session) -> None:
    contact = make_contact(store_session)
    kept = make_product(store_session)
    make_order(store_session, contact=contact, items=[(kept, 2)], placed_at=WHEN)
    for status in (OrderStatus.cancelled, OrderStatus.returned):
        make_order(store_session, contact=contact, status=status)
    purchases = orders.list_purchases(store_session)
    assert [(p.contact_id, p.product_id, p.quantity) for p in purchases] == [
        (contact.id, kept.id, 2)
    ]
    assert purchases[0].placed_at == WHEN


def test_deleting_a_product_that_was_ordered_is_refused(store_session: Session) -> None:
    product = make_product(store_session)
    make_order(store_session, items=[(product, 1)])
    store_session.delete(product)
    with pytest.raises(IntegrityError):
        store_session.flush()
