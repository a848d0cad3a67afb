"""The deterministic demo shop and the tastes hidden in its orders."""

from collections import Counter
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import orders, products
from crm_bridge.demo_shop import PRICE_BANDS, DemoShop, generate_demo_shop, is_empty, seed_demo_shop
from crm_bridge.models import Contact, Order, OrderItem, Product


@pytest.fixture(scope="module")
def shop() -> DemoShop:
    return generate_demo_shop(seed=42)


def test_same_seed_gives_identical_shop(shop: DemoShop) -> None:
    assert generate_demo_shop(seed=42) == shop


def test_other_seed_gives_another_shop(shop: DemoShop) -> None:
    other = generate_demo_shop(seed=7)
    assert other.orders != shop.orders
    assert [p.name for p in other.products] != [p.name for p in shop.products]


def test_catalogue_size_and_shape(shop: DemoShop) -> None:
    assert len(shop.products) >= 150
    categories = Counter(p.category for p in shop.products)
    assert 8 <= len(categories) <= 10
    assert min(categories.values()) >= 10
    assert len({p.sku for p in shop.products}) == len(shop.products)
    assert len({p.name for p in shop.products}) == len(shop.products)
    assert all(p.price > 0 and p.price == p.price.quantize(Decimal("0.01")) for p in shop.products)
    assert all(p.image_url == f"/media/products/{p.sku}.svg" for p in shop.products)
    sold_out = sum(p.stock == 0 for p in shop.products)
    assert 0 < sold_out < len(shop.products) // 4
    assert sum(bool(p.attributes["consumable"]) for p in shop.products) >= 20
    assert all(p.description.startswith(p.name) for p in shop.products)


def test_customers_and_orders_counts(shop: DemoShop) -> None:
    assert len(shop.customers) == 300
    assert len({c.email for c in shop.customers}) == 300
    assert all(c.email.endswith("@demo-shop.example") for c in shop.customers)
    assert len(shop.orders) >= 1500
    assert all(1 <= len(o.lines) <= 5 for o in shop.orders)
    assert {o.customer_ref for o in shop.orders} <= {c.external_ref for c in shop.customers}


def test_orders_concentrate_in_favourite_categories(shop: DemoShop) -> None:
    category = {p.sku: p.category for p in shop.products}
    favourites = {c.external_ref: set(c.favourite_categories) for c in shop.customers}
    lines = [(o.customer_ref, sku) for o in shop.orders for sku, _, _ in o.lines]
    share = sum(category[sku] in favourites[ref] for ref, sku in lines) / len(lines)
    chance = 2 / len(set(category.values()))
    assert share > 3 * chance  # about 0.85 against 0.22 by chance


def test_orders_follow_the_price_band(shop: DemoShop) -> None:
    band = {c.external_ref: PRICE_BANDS[c.price_band] for c in shop.customers}
    prices = {p.sku: p.price for p in shop.products}
    in_band = [
        band[o.customer_ref][0] <= prices[sku] <= band[o.customer_ref][1]
        for o in shop.orders
        for sku, _, _ in o.lines
    ]
    everyone_in_band = [
        low <= p.price <= high for low, high in band.values() for p in shop.products
    ]
    assert sum(in_band) / len(in_band) > sum(everyone_in_band) / len(everyone_in_band) + 0.15


def test_popular_products_are_much_more_popular(shop: DemoShop) -> None:
    sales = Counter(sku for o in shop.orders for sku, _, _ in o.lines)
    counts = sorted((sales[p.sku] for p in shop.products), reverse=True)
    top_tenth = sum(counts[: len(counts) // 10])
    assert top_tenth / sum(counts) > 0.2  # a uniform shop would give 0.1


def test_consumables_are_bought_again(shop: DemoShop) -> None:
    consumable = {p.sku for p in shop.products if p.attributes["consumable"]}
    bought = Counter(
        (o.customer_ref, sku) for o in shop.orders for sku, _, _ in o.lines if sku in consumable
    )
    assert sum(n > 1 for n in bought.values()) >= 100


def test_seed_demo_shop_writes_everything_once(store_session: Session, shop: DemoShop) -> None:
    assert is_empty(store_session)
    seed_demo_shop(store_session, seed=42)
    seed_demo_shop(store_session, seed=42)  # re-running updates, never duplicates
    assert not is_empty(store_session)

    def count(model: type) -> int:
        return store_session.scalar(sa.select(sa.func.count()).select_from(model))

    assert count(Product) == len(shop.products)
    assert count(Contact) == len(shop.customers)
    assert count(Order) == len(shop.orders)
    assert count(OrderItem) == sum(len(o.lines) for o in shop.orders)
    assert len(products.list_categories(store_session)) == len({p.category for p in shop.products})
    first = shop.orders[0]
    stored = orders.get_by_external_ref(store_session, first.external_ref)
    assert stored is not None and stored.placed_at == first.placed_at
    assert stored.total == sum(price * qty for _, qty, price in first.lines)
