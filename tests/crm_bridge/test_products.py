"""The product catalogue."""

from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_bridge import products
from crm_bridge.models import Product
from tests.utils.factories import make_product


def test_upsert_product_creates_then_updates_by_sku(store_session: Session) -> None:
    created = products.upsert_product(
        store_session,
        sku="LGT-900",
        name="Blue Glass Lantern",
        category="lighting",
        price=Decimal("24.99"),
        stock=3,
        attributes={"consumable": False},
    )
    updated = products.upsert_product(
        store_session,
        sku="LGT-900",
        name="Blue Glass Lantern XL",
        category="lighting",
        price=Decimal("29.50"),
        stock=0,
    )
    assert updated.id == created.id
    store_session.expire_all()
    stored = products.get_by_sku(store_session, "LGT-900")
    assert stored is not None
    assert (stored.name, stored.price, stored.stock) == (
        "Blue Glass Lantern XL",
        Decimal("29.50"),
        0,
    )
    assert stored.attributes == {}


def test_price_keeps_cents_exactly(store_session: Session) -> None:
    product = make_product(store_session, price=Decimal("0.10"))
    store_session.expire(product)
    assert product.price == Decimal("0.10")
    assert isinstance(product.price, Decimal)


def test_list_products_filters_category_stock_and_inactive(store_session: Session) -> None:
    lamp = make_product(store_session, category="lighting", name="A lamp", stock=5)
    sold_out = make_product(store_session, category="lighting", name="B lamp", stock=0)
    make_product(store_session, category="lighting", name="C lamp", active=False)
    mug = make_product(store_session, category="kitchen", name="Mug")
    assert products.list_products(store_session, category="lighting") == [lamp, sold_out]
    assert products.list_products(store_session, category="lighting", in_stock=True) == [lamp]
    assert products.list_products(store_session, in_stock=False) == [sold_out]
    assert products.list_products(store_session, limit=1) == [mug]  # kitchen sorts first
    everything = products.list_products(store_session, include_inactive=True)
    assert len(everything) == 4


def test_list_categories_sorted_distinct_and_active_only(store_session: Session) -> None:
    make_product(store_session, category="toys")
    make_product(store_session, category="garden")
    make_product(store_session, category="toys")
    make_product(store_session, category="hidden", active=False)
    assert products.list_categories(store_session) == ["garden", "toys"]


def test_search_products_matches_every_word_case_insensitively(store_session: Session) -> None:
    lantern = make_product(store_session, name="Blue Glass Lantern")
    make_product(store_session, name="Blue Enamel Mug", category="kitchen")
    assert products.search_products(store_session, text="blue LANTERN") == [lantern]
    assert products.search_products(store_session, text="100%") == []


def test_get_by_sku_unknown_is_none(store_session: Session) -> None:
    assert products.get_by_sku(store_session, "NOPE-1") is None


def test_sku_is_unique_in_the_schema(store_session: Session) -> None:
    for _ in range(2):
        store_session.add(Product(sku="DUP-1", name="x", category="c", price=Decimal(1)))
    with pytest.raises(IntegrityError):
        store_session.flush()
