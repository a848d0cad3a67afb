"""Import a real shop's catalogue, customers and orders from CSV files, all or nothing.

Every file is checked first and every problem collected; if there is any, nothing is written
and ImportFailed lists them all. Otherwise rows are upserted by SKU, customer id and order
number, so importing the same files again changes nothing. Formats: docs/import.md.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import contacts, orders, products
from crm_bridge import import_values as v
from crm_bridge.import_csv import ImportFailed, Row, RowError, read_table
from crm_bridge.models import Contact, Product

__all__ = ["ImportFailed", "ImportSummary", "RowError", "import_shop"]

PRODUCT_COLUMNS = (
    ("sku", "name", "category", "price"),
    ("description", "currency", "stock", "image_url", "consumable"),
)
CUSTOMER_COLUMNS = (("external_id", "name"), ("email", "phone"))
ORDER_COLUMNS = (
    ("order_ref", "customer_external_id", "placed_at", "sku", "quantity"),
    ("unit_price",),
)

Parser = Callable[[str], Any]
_DEFAULT = object()


@dataclass(frozen=True)
class ImportSummary:
    """How many rows of each kind were written (created or updated)."""

    products: int = 0
    customers: int = 0
    orders: int = 0
    order_items: int = 0


@dataclass
class _Order:
    ref: str
    customer_ref: str
    placed_at: datetime
    first_row: int
    lines: list[tuple[str, int, Decimal | None]] = field(default_factory=list)
    skus: dict[str, int] = field(default_factory=dict)


@dataclass
class _Checker:
    """Collects parsed values and problems while walking the rows."""

    errors: list[RowError] = field(default_factory=list)

    def cell(self, file: str, row: Row, column: str, parse: Parser, default: Any = _DEFAULT) -> Any:
        """Parse one cell; an empty optional cell gives ``default``, a bad cell gives None."""
        if default is not _DEFAULT and not row[column].strip():
            return default
        try:
            return parse(row[column])
        except ValueError as exc:
            self.errors.append(RowError(file, row.number, column, str(exc)))
            return None

    def add(self, file: str, row: Row, column: str | None, reason: str) -> None:
        self.errors.append(RowError(file, row.number, column, reason))


def import_shop(
    session: Session,
    *,
    products_csv: Path | None = None,
    customers_csv: Path | None = None,
    orders_csv: Path | None = None,
) -> ImportSummary:
    """Check the files, then write them in one savepoint; raise ImportFailed on any problem."""
    check = _Checker()
    catalogue = _check_products(check, products_csv) if products_csv else {}
    people = _check_customers(check, customers_csv) if customers_csv else {}
    shop_orders = _check_orders(session, check, orders_csv, catalogue, people) if orders_csv else []
    if check.errors:
        raise ImportFailed(_in_file_order(check.errors))
    with session.begin_nested():
        return _write(session, catalogue, people, shop_orders)


def _check_products(check: _Checker, path: Path) -> dict[str, dict[str, Any]]:
    required, optional = PRODUCT_COLUMNS
    table = read_table(path, required=required, optional=optional)
    check.errors.extend(table.errors)
    found: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    has_consumable = "consumable" in table.columns
    for row in table.rows:
        values = {
            "sku": check.cell(table.name, row, "sku", v.parse_identifier),
            "name": check.cell(table.name, row, "name", lambda t: v.parse_text(t, max_length=200)),
            "category": check.cell(
                table.name, row, "category", lambda t: v.parse_text(t, max_length=100)
            ),
            "description": row["description"].strip(),
            "price": check.cell(table.name, row, "price", v.parse_price),
            "currency": check.cell(table.name, row, "currency", v.parse_currency, "EUR"),
            "stock": check.cell(table.name, row, "stock", v.parse_stock, 0),
            "image_url": check.cell(
                table.name, row, "image_url", lambda t: v.parse_optional_text(t, max_length=500)
            ),
            # Without the column, a re-import leaves the stored flag as it is.
            "attributes": (
                {"consumable": check.cell(table.name, row, "consumable", v.parse_yes_no)}
                if has_consumable
                else {}
            ),
        }
        sku = values["sku"]
        if sku in first_row:
            check.add(table.name, row, "sku", f"{sku} already appears on row {first_row[sku]}")
        elif sku is not None:
            first_row[sku] = row.number
            found[sku] = values
    return found


def _check_customers(check: _Checker, path: Path) -> dict[str, dict[str, Any]]:
    required, optional = CUSTOMER_COLUMNS
    table = read_table(path, required=required, optional=optional)
    check.errors.extend(table.errors)
    found: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    for row in table.rows:
        ref = check.cell(table.name, row, "external_id", v.parse_identifier)
        values = {
            "name": check.cell(table.name, row, "name", lambda t: v.parse_text(t, max_length=200)),
            "email": check.cell(table.name, row, "email", v.parse_email, None),
            "phone": check.cell(table.name, row, "phone", v.parse_phone, None),
        }
        if ref in first_row:
            check.add(
                table.name, row, "external_id", f"{ref} already appears on row {first_row[ref]}"
            )
        elif ref is not None:
            first_row[ref] = row.number
            found[ref] = values
    return found


def _check_orders(
    session: Session,
    check: _Checker,
    path: Path,
    catalogue: dict[str, dict[str, Any]],
    people: dict[str, dict[str, Any]],
) -> list[_Order]:
    required, optional = ORDER_COLUMNS
    table = read_table(path, required=required, optional=optional)
    check.errors.extend(table.errors)
    name = table.name
    skus = {row["sku"].strip() for row in table.rows} - catalogue.keys()
    refs = {row["customer_external_id"].strip() for row in table.rows} - people.keys()
    stored_skus = _stored(session, Product.sku, skus)
    stored_customers = _stored(session, Contact.external_ref, refs)
    found: dict[str, _Order] = {}
    for row in table.rows:
        ref = check.cell(name, row, "order_ref", v.parse_identifier)
        customer = check.cell(name, row, "customer_external_id", v.parse_identifier)
        placed_at = check.cell(name, row, "placed_at", v.parse_datetime)
        sku = check.cell(name, row, "sku", v.parse_identifier)
        quantity = check.cell(name, row, "quantity", v.parse_quantity)
        unit_price = check.cell(name, row, "unit_price", v.parse_price, None)
        if customer is not None and customer not in people and customer not in stored_customers:
            check.add(name, row, "customer_external_id", f"unknown customer {customer}")
        if sku is not None and sku not in catalogue and sku not in stored_skus:
            check.add(name, row, "sku", f"unknown SKU {sku}")
        if None in (ref, customer, placed_at, sku, quantity):
            continue
        order = found.setdefault(ref, _Order(ref, customer, placed_at, row.number))
        if order.customer_ref != customer:
            reason = f"differs from row {order.first_row} of order {ref} ({order.customer_ref})"
            check.add(name, row, "customer_external_id", reason)
        elif order.placed_at != placed_at:
            check.add(name, row, "placed_at", f"differs from row {order.first_row} of order {ref}")
        elif sku in order.skus:
            check.add(
                name, row, "sku", f"{sku} already appears in order {ref} on row {order.skus[sku]}"
            )
        else:
            order.skus[sku] = row.number
            order.lines.append((sku, quantity, unit_price))
    return list(found.values())


def _in_file_order(errors: list[RowError]) -> list[RowError]:
    """Sort problems by file (in the order given) and row, so they read top to bottom."""
    files = list(dict.fromkeys(error.file for error in errors))
    return sorted(errors, key=lambda error: (files.index(error.file), error.row or 0))


def _stored(session: Session, column: sa.ColumnElement[Any], values: set[str]) -> set[str]:
    """Return which of ``values`` the store already has in ``column``."""
    if not values:
        return set()
    return set(session.scalars(sa.select(column).where(column.in_(sorted(values)))))


def _write(
    session: Session,
    catalogue: dict[str, dict[str, Any]],
    people: dict[str, dict[str, Any]],
    shop_orders: list[_Order],
) -> ImportSummary:
    for sku, values in catalogue.items():
        # Attributes the file does not set (the demo's, or set by hand) survive a re-import.
        existing = products.get_by_sku(session, sku)
        kept = existing.attributes if existing is not None else {}
        products.upsert_product(
            session, **{**values, "attributes": {**kept, **values["attributes"]}}
        )
    for ref, values in people.items():
        contacts.upsert_customer(session, external_ref=ref, **values)
    skus = sorted({sku for order in shop_orders for sku, _, _ in order.lines})
    by_sku = {p.sku: p for p in session.scalars(sa.select(Product).where(Product.sku.in_(skus)))}
    refs = sorted({order.customer_ref for order in shop_orders})
    by_ref = {
        c.external_ref: c
        for c in session.scalars(sa.select(Contact).where(Contact.external_ref.in_(refs)))
    }
    items = 0
    for order in shop_orders:
        lines = [
            orders.OrderLine(
                by_sku[sku].id, quantity, by_sku[sku].price if unit_price is None else unit_price
            )
            for sku, quantity, unit_price in order.lines
        ]
        orders.upsert_order(
            session,
            external_ref=order.ref,
            contact_id=by_ref[order.customer_ref].id,
            placed_at=order.placed_at,
            items=lines,
            currency=by_sku[order.lines[0][0]].currency,
        )
        items += len(lines)
    return ImportSummary(len(catalogue), len(people), len(shop_orders), items)
