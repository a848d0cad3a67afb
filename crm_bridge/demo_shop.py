"""A deterministic demo shop (catalogue, customers, orders, leads) so a fresh install has signal.

Customers have hidden tastes (two favourite categories and a price band) and some products
are simply more popular, so purchase histories carry the structure a recommender should find.
The same seed always gives the same shop; nothing depends on the clock.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import contacts, orders, products
from crm_bridge.demo_catalogue import (
    BUDGET_STYLES,
    CATEGORIES,
    FIRST_NAMES,
    LAST_NAMES,
    PREMIUM_STYLES,
    CategorySpec,
)
from crm_bridge.demo_leads import generate_demo_leads, seed_demo_leads
from crm_bridge.enums import OrderStatus
from crm_bridge.models import Product

PRODUCTS_PER_CATEGORY = 18
CUSTOMERS = 300
EMAIL_DOMAIN = "demo-shop.example"
HISTORY_END = datetime(2026, 11, 1, tzinfo=UTC)
HISTORY_DAYS = 730
FAVOURITE_SHARE = 0.85  # share of items a customer picks from their two favourite categories
PRICE_BANDS: dict[str, tuple[Decimal, Decimal]] = {
    "budget": (Decimal("0"), Decimal("20")),
    "mid": (Decimal("12"), Decimal("45")),
    "premium": (Decimal("35"), Decimal("10000")),
}


@dataclass(frozen=True)
class DemoProduct:
    """A catalogue entry of the demo shop."""

    sku: str
    name: str
    category: str
    description: str
    price: Decimal
    stock: int
    image_url: str
    attributes: dict[str, object]


@dataclass(frozen=True)
class DemoCustomer:
    """A demo customer and the hidden tastes their orders follow (never written to the store)."""

    external_ref: str
    name: str
    email: str
    phone: str | None
    favourite_categories: tuple[str, str]
    price_band: str


@dataclass(frozen=True)
class DemoOrder:
    """A demo order: (sku, quantity, unit price) lines."""

    external_ref: str
    customer_ref: str
    placed_at: datetime
    status: OrderStatus
    lines: tuple[tuple[str, int, Decimal], ...]


@dataclass(frozen=True)
class DemoShop:
    """Everything the demo generator makes, as plain data."""

    products: tuple[DemoProduct, ...]
    customers: tuple[DemoCustomer, ...]
    orders: tuple[DemoOrder, ...]


def generate_demo_shop(seed: int = 42) -> DemoShop:
    """Build the demo shop in memory; the same seed gives identical data."""
    rng = random.Random(seed)
    catalogue = tuple(p for spec in CATEGORIES for p in _category_products(rng, spec))
    customers = tuple(_customers(rng))
    return DemoShop(catalogue, customers, tuple(_orders(rng, catalogue, customers)))


def is_empty(session: Session) -> bool:
    """Tell whether the store has no products yet (then the launcher seeds the demo shop)."""
    return session.scalars(sa.select(Product.id).limit(1)).first() is None


def seed_demo_shop(session: Session, *, seed: int = 42) -> DemoShop:
    """Write the demo shop through the repositories; re-running updates rather than duplicates.

    Leads are written only when the demo customers have none yet (they have no natural key).
    """
    shop = generate_demo_shop(seed)
    product_ids: dict[str, int] = {}
    for item in shop.products:
        product = products.upsert_product(
            session,
            sku=item.sku,
            name=item.name,
            category=item.category,
            description=item.description,
            price=item.price,
            stock=item.stock,
            image_url=item.image_url,
            attributes=item.attributes,
        )
        product_ids[item.sku] = product.id
    contact_ids: dict[str, int] = {}
    for customer in shop.customers:
        contact = contacts.upsert_customer(
            session,
            external_ref=customer.external_ref,
            name=customer.name,
            email=customer.email,
            phone=customer.phone,
        )
        contact_ids[customer.external_ref] = contact.id
    for order in shop.orders:
        orders.upsert_order(
            session,
            external_ref=order.external_ref,
            contact_id=contact_ids[order.customer_ref],
            placed_at=order.placed_at,
            status=order.status,
            items=[
                orders.OrderLine(product_ids[sku], qty, price) for sku, qty, price in order.lines
            ],
        )
    # A history of sales leads with outcomes, so a first lead scorer can be trained.
    seed_demo_leads(session, generate_demo_leads(shop, end=HISTORY_END, seed=seed), contact_ids)
    return shop


def _category_products(rng: random.Random, spec: CategorySpec) -> list[DemoProduct]:
    combos = [(kind, style) for kind in spec.kinds for style in (kind.styles or spec.styles)]
    rng.shuffle(combos)
    # Every kind once first, then any other combinations, so each category is varied.
    chosen = [next(c for c in combos if c[0] is kind) for kind in spec.kinds]
    chosen += [c for c in combos if c not in chosen][: PRODUCTS_PER_CATEGORY - len(chosen)]
    result = []
    for number, (kind, style) in enumerate(chosen, start=1):
        sku = f"{spec.code}-{number:03d}"
        factor = 1.45 if style in PREMIUM_STYLES else 0.75 if style in BUDGET_STYLES else 1.0
        price = _shop_price(kind.base_price * factor * rng.uniform(0.85, 1.2))
        stock = 0 if rng.random() < 0.08 else rng.randint(1, 120)
        description = f"{style} {kind.noun}: {kind.blurb}. {rng.choice(spec.selling_points)}"
        attributes = {"kind": kind.noun, "style": style, "consumable": kind.consumable}
        result.append(
            DemoProduct(
                sku=sku,
                name=f"{style} {kind.noun}",
                category=spec.name,
                description=description,
                price=price,
                stock=stock,
                image_url=f"/media/products/{sku}.svg",
                attributes=attributes,
            )
        )
    return result


def _shop_price(value: float) -> Decimal:
    """Round like a shop does: 9.49 or 9.99 below 10, whole euros minus a cent above."""
    if value < 10:
        return Decimal(int(value)) + (Decimal("0.49") if value % 1 < 0.5 else Decimal("0.99"))
    return Decimal(round(value)) - Decimal("0.01")


def _customers(rng: random.Random) -> list[DemoCustomer]:
    categories = [spec.name for spec in CATEGORIES]
    seen_emails: set[str] = set()
    result = []
    for number in range(1, CUSTOMERS + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{first}.{last}".lower().replace("'", "")
        email = f"{local}@{EMAIL_DOMAIN}"
        if email in seen_emails:
            email = f"{local}{number}@{EMAIL_DOMAIN}"
        seen_emails.add(email)
        phone = f"+44 20 7946 {number:04d}" if rng.random() < 0.7 else None
        favourites = rng.sample(categories, 2)
        band = rng.choices(list(PRICE_BANDS), weights=[3, 5, 2])[0]
        result.append(
            DemoCustomer(
                f"DEMO-C{number:04d}", f"{first} {last}", email, phone, tuple(favourites), band
            )
        )
    return result


def _orders(
    rng: random.Random, catalogue: tuple[DemoProduct, ...], customers: tuple[DemoCustomer, ...]
) -> list[DemoOrder]:
    by_category: dict[str, list[DemoProduct]] = {}
    for product in catalogue:
        by_category.setdefault(product.category, []).append(product)
    # A few hits per category: weights fall off with a random rank (Zipf-like).
    popularity: dict[str, float] = {}
    for items in by_category.values():
        ranks = list(range(len(items)))
        rng.shuffle(ranks)
        popularity.update(
            {p.sku: 1.0 / (rank + 1) ** 0.9 for p, rank in zip(items, ranks, strict=True)}
        )
    drafts: list[tuple[datetime, str, tuple[tuple[str, int, Decimal], ...]]] = []
    for customer in customers:
        first_day = rng.randint(0, HISTORY_DAYS - 30)
        count = min(20, 1 + int(rng.expovariate(1 / 4.6)))
        bought_consumables: list[DemoProduct] = []
        for _ in range(count):
            day = rng.randint(first_day, HISTORY_DAYS - 1)
            placed_at = HISTORY_END - timedelta(
                days=HISTORY_DAYS - day, minutes=rng.randint(0, 1439)
            )
            picks = _basket(rng, customer, by_category, popularity, bought_consumables)
            bought_consumables.extend(p for p in picks if p.attributes["consumable"])
            lines = tuple(
                (p.sku, rng.randint(1, 3) if p.attributes["consumable"] else 1, p.price)
                for p in picks
            )
            drafts.append((placed_at, customer.external_ref, lines))
    drafts.sort(key=lambda draft: (draft[0], draft[1]))
    statuses = [OrderStatus.delivered, OrderStatus.cancelled, OrderStatus.returned]
    return [
        DemoOrder(
            external_ref=f"DEMO-O{number:05d}",
            customer_ref=customer_ref,
            placed_at=placed_at,
            status=rng.choices(statuses, weights=[94, 3, 3])[0],
            lines=lines,
        )
        for number, (placed_at, customer_ref, lines) in enumerate(drafts, start=1)
    ]


def _basket(
    rng: random.Random,
    customer: DemoCustomer,
    by_category: dict[str, list[DemoProduct]],
    popularity: dict[str, float],
    bought_consumables: list[DemoProduct],
) -> list[DemoProduct]:
    """Pick 1-5 distinct products the way this customer shops."""
    size = rng.choices([1, 2, 3, 4, 5], weights=[40, 28, 17, 10, 5])[0]
    low, high = PRICE_BANDS[customer.price_band]
    picks: list[DemoProduct] = []
    if bought_consumables and rng.random() < 0.35:
        picks.append(rng.choice(bought_consumables))  # running out: buy it again
    while len(picks) < size:
        if rng.random() < FAVOURITE_SHARE:
            category = rng.choices(customer.favourite_categories, weights=[6, 4])[0]
        else:
            category = rng.choice(list(by_category))
        candidates = [p for p in by_category[category] if p not in picks]
        weights = [popularity[p.sku] * (3.0 if low <= p.price <= high else 0.4) for p in candidates]
        picks.append(rng.choices(candidates, weights=weights)[0])
    return picks
