"""Orders and their items; the purchase history recommenders learn from."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from crm_bridge.enums import OrderStatus
from crm_bridge.models import Order, OrderItem

# Orders that never reached the customer say nothing about what they like.
NOT_PURCHASED = (OrderStatus.cancelled, OrderStatus.returned)


@dataclass(frozen=True)
class OrderLine:
    """One line to put in an order."""

    product_id: int
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class Purchase:
    """One bought product as plain data, so recommenders never see ORM objects."""

    contact_id: int
    product_id: int
    quantity: int
    placed_at: datetime


def create_order(
    session: Session,
    *,
    contact_id: int,
    placed_at: datetime,
    items: Sequence[OrderLine],
    external_ref: str | None = None,
    status: OrderStatus = OrderStatus.delivered,
    currency: str = "EUR",
) -> Order:
    """Create an order with its items; the total is computed here so it always adds up."""
    if not items:
        raise ValueError("an order needs at least one item")
    order = Order(
        contact_id=contact_id,
        placed_at=placed_at,
        external_ref=external_ref,
        status=status,
        currency=currency,
    )
    _set_items(order, items)
    session.add(order)
    session.flush()
    return order


def upsert_order(
    session: Session,
    *,
    external_ref: str,
    contact_id: int,
    placed_at: datetime,
    items: Sequence[OrderLine],
    status: OrderStatus = OrderStatus.delivered,
    currency: str = "EUR",
) -> Order:
    """Create or replace the order with this shop reference, so imports can be re-run."""
    order = get_by_external_ref(session, external_ref)
    if order is None:
        return create_order(
            session,
            contact_id=contact_id,
            placed_at=placed_at,
            items=items,
            external_ref=external_ref,
            status=status,
            currency=currency,
        )
    if not items:
        raise ValueError("an order needs at least one item")
    order.contact_id = contact_id
    order.placed_at = placed_at
    order.status = status
    order.currency = currency
    if _lines(order) != sorted(_key(line) for line in items):
        order.items.clear()
        session.flush()
        _set_items(order, items)
    session.flush()
    return order


def get_by_external_ref(session: Session, external_ref: str) -> Order | None:
    """Return the order with this shop reference, or None."""
    statement = (
        sa.select(Order)
        .where(Order.external_ref == external_ref)
        .options(selectinload(Order.items))
    )
    return session.scalars(statement).first()


def list_for_contact(session: Session, contact_id: int) -> list[Order]:
    """Return a contact's orders, newest first, with their items loaded."""
    statement = (
        sa.select(Order)
        .where(Order.contact_id == contact_id)
        .options(selectinload(Order.items).selectinload(OrderItem.product))
        .order_by(Order.placed_at.desc(), Order.id.desc())
    )
    return list(session.scalars(statement))


def list_purchases(session: Session) -> list[Purchase]:
    """Return every bought line of orders that were not cancelled or returned, oldest first."""
    statement = (
        sa.select(Order.contact_id, OrderItem.product_id, OrderItem.quantity, Order.placed_at)
        .join(OrderItem, OrderItem.order_id == Order.id)
        .where(Order.status.not_in(NOT_PURCHASED))
        .order_by(Order.placed_at, Order.id, OrderItem.id)
    )
    return [Purchase(*row) for row in session.execute(statement)]


def _set_items(order: Order, items: Sequence[OrderLine]) -> None:
    order.items = [
        OrderItem(product_id=line.product_id, quantity=line.quantity, unit_price=line.unit_price)
        for line in items
    ]
    order.total = sum(
        (Decimal(line.unit_price) * line.quantity for line in items), start=Decimal("0.00")
    ).quantize(Decimal("0.01"))


def _key(line: OrderLine | OrderItem) -> tuple[int, int, Decimal]:
    return (line.product_id, line.quantity, Decimal(line.unit_price).quantize(Decimal("0.01")))


def _lines(order: Order) -> list[tuple[int, int, Decimal]]:
    return sorted(_key(item) for item in order.items)
