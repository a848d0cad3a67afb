"""The product catalogue: listing for the assistant, upserts for imports and the demo shop."""

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.models import Product


def list_products(
    session: Session,
    *,
    category: str | None = None,
    in_stock: bool | None = None,
    limit: int | None = None,
    include_inactive: bool = False,
) -> list[Product]:
    """Return products by category and name; ``in_stock`` True/False filters on stock > 0."""
    statement = sa.select(Product)
    if not include_inactive:
        statement = statement.where(Product.active.is_(True))
    if category is not None:
        statement = statement.where(Product.category == category)
    if in_stock is True:
        statement = statement.where(Product.stock > 0)
    elif in_stock is False:
        statement = statement.where(Product.stock <= 0)
    statement = statement.order_by(Product.category, Product.name, Product.id).limit(limit)
    return list(session.scalars(statement))


def search_products(session: Session, *, text: str, limit: int = 10) -> list[Product]:
    """Return active products whose name or category contains every word of ``text``."""
    statement = sa.select(Product).where(Product.active.is_(True))
    for word in text.split():
        pattern = f"%{_escape_like(word)}%"
        statement = statement.where(
            sa.or_(
                Product.name.ilike(pattern, escape="\\"),
                Product.category.ilike(pattern, escape="\\"),
            )
        )
    return list(session.scalars(statement.order_by(Product.name, Product.id).limit(limit)))


def get_by_sku(session: Session, sku: str) -> Product | None:
    """Return the product with this SKU, or None."""
    return session.scalars(sa.select(Product).where(Product.sku == sku)).first()


def get_product(session: Session, product_id: int) -> Product | None:
    """Return the product with this id, or None."""
    return session.get(Product, product_id)


def list_categories(session: Session) -> list[str]:
    """Return the categories of active products, sorted, for menus and NLU lookups."""
    statement = (
        sa.select(Product.category)
        .where(Product.active.is_(True))
        .distinct()
        .order_by(Product.category)
    )
    return list(session.scalars(statement))


def upsert_product(
    session: Session,
    *,
    sku: str,
    name: str,
    category: str,
    price: Decimal,
    description: str = "",
    currency: str = "EUR",
    stock: int = 0,
    image_url: str | None = None,
    active: bool = True,
    attributes: dict[str, Any] | None = None,
) -> Product:
    """Create the product with this SKU or overwrite its fields, so imports can be re-run."""
    values: dict[str, Any] = {
        "name": name,
        "category": category,
        "price": Decimal(price),
        "description": description,
        "currency": currency,
        "stock": stock,
        "image_url": image_url,
        "active": active,
        "attributes": dict(attributes or {}),
    }
    product = get_by_sku(session, sku)
    if product is None:
        product = Product(sku=sku, **values)
        session.add(product)
    else:
        for field, value in values.items():
            if getattr(product, field) != value:
                setattr(product, field, value)
    session.flush()
    return product


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
