"""CSV import of a real shop: all or nothing, every problem reported, re-runs change nothing."""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import contacts, orders, products, recommender_data
from crm_bridge.importer import ImportFailed, RowError, import_shop
from crm_bridge.models import Contact, Order, OrderItem, Product
from tests.utils.factories import make_contact, make_product

PRODUCTS = """sku,name,category,description,price,currency,stock,image_url
LAN-1,Blue Glass Lantern,lighting,A lantern,24.99,EUR,12,https://img.example/lan-1.png
MUG-1,Enamel Camping Mug,camping,,9.5,,0,
"""
CUSTOMERS = """external_id,name,email,phone
C1,Ada Lovelace,Ada@Example.com,+44 20 7946 0001
C2,Bo Jensen,,
"""
ORDERS = """order_ref,customer_external_id,placed_at,sku,quantity,unit_price
SO-1,C1,2025-03-14T09:30:00Z,LAN-1,2,20.00
SO-1,C1,2025-03-14T09:30:00Z,MUG-1,1,
SO-2,C2,2025-04-01,MUG-1,3,9.50
"""


def _write(folder: Path, **files: str) -> dict[str, Path]:
    paths = {}
    for name, text in files.items():
        path = folder / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths[f"{name}_csv"] = path
    return paths


def _count(session: Session, model: type) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def _errors(session: Session, **paths: Path) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        import_shop(session, **paths)
    return [str(error) for error in caught.value.errors]


def test_import_good_files(store_session: Session, tmp_path: Path) -> None:
    paths = _write(tmp_path, products=PRODUCTS, customers=CUSTOMERS, orders=ORDERS)
    summary = import_shop(store_session, **paths)
    assert (summary.products, summary.customers, summary.orders, summary.order_items) == (
        2,
        2,
        2,
        3,
    )
    mug = products.get_by_sku(store_session, "MUG-1")
    assert mug is not None
    assert (mug.price, mug.currency, mug.stock, mug.image_url) == (Decimal("9.50"), "EUR", 0, None)
    ada = contacts.get_by_external_ref(store_session, "C1")
    assert ada is not None and ada.email == "ada@example.com"
    [order] = orders.list_for_contact(store_session, ada.id)
    assert order.external_ref == "SO-1"
    assert order.placed_at == datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
    assert order.total == Decimal("49.50")  # 2 x 20.00 + 1 x catalogue price 9.50


def test_reimporting_the_same_files_changes_nothing(store_session: Session, tmp_path: Path) -> None:
    paths = _write(tmp_path, products=PRODUCTS, customers=CUSTOMERS, orders=ORDERS)
    import_shop(store_session, **paths)
    before = [_count(store_session, m) for m in (Product, Contact, Order, OrderItem)]
    item_ids = sorted(store_session.scalars(sa.select(OrderItem.id)))
    import_shop(store_session, **paths)
    assert [_count(store_session, m) for m in (Product, Contact, Order, OrderItem)] == before
    assert sorted(store_session.scalars(sa.select(OrderItem.id))) == item_ids


def test_reimport_updates_changed_rows(store_session: Session, tmp_path: Path) -> None:
    import_shop(store_session, **_write(tmp_path, products=PRODUCTS))
    import_shop(store_session, **_write(tmp_path, products=PRODUCTS.replace("24.99", "19.99")))
    lantern = products.get_by_sku(store_session, "LAN-1")
    assert lantern is not None and lantern.price == Decimal("19.99")
    assert _count(store_session, Product) == 2


def test_orders_may_refer_to_what_the_store_already_has(
    store_session: Session, tmp_path: Path
) -> None:
    make_product(store_session, sku="LAN-1", price=Decimal("30.00"))
    make_contact(store_session, external_ref="C1")
    orders_csv = (
        "order_ref,customer_external_id,placed_at,sku,quantity\nSO-9,C1,2025-01-01,LAN-1,1\n"
    )
    summary = import_shop(store_session, **_write(tmp_path, orders=orders_csv))
    assert summary.orders == 1
    stored = orders.get_by_external_ref(store_session, "SO-9")
    assert stored is not None and stored.total == Decimal("30.00")


def test_every_bad_row_is_reported_and_nothing_is_written(
    store_session: Session, tmp_path: Path
) -> None:
    bad_products = (
        PRODUCTS + "BAD-1,Broken,lighting,,twelve,EUR,-3,\nLAN-1,Again,lighting,,1.00,EUR,1,\n"
    )
    bad_customers = CUSTOMERS + "C3,Cy,not-an-email,\n"
    bad_orders = (
        "order_ref,customer_external_id,placed_at,sku,quantity,unit_price\n"
        "SO-1,C1,2025-03-14,LAN-1,2,\n"
        "SO-1,C2,2025-03-14,MUG-1,1,\n"
        "SO-3,C9,2025-13-40,NOPE-1,0,1,50\n"
        "\n"
        "SO-4,C1,2025-03-14,MUG-1,1.5,-2\n"
    )
    paths = _write(tmp_path, products=bad_products, customers=bad_customers, orders=bad_orders)
    assert _errors(store_session, **paths) == [
        "products.csv row 4, column price: must be a number like 12.50",
        "products.csv row 4, column stock: must be a whole number, 0 or more",
        "products.csv row 5, column sku: LAN-1 already appears on row 2",
        "customers.csv row 4, column email: is not a valid email address",
        "orders.csv row 3, column customer_external_id: differs from row 2 of order SO-1 (C1)",
        "orders.csv row 4: has 7 values but the header has 6 columns",
        "orders.csv row 6, column quantity: must be a positive whole number",
        "orders.csv row 6, column unit_price: must not be negative",
    ]
    for model in (Product, Contact, Order):
        assert _count(store_session, model) == 0


def test_unknown_references_and_bad_dates(store_session: Session, tmp_path: Path) -> None:
    bad_orders = (
        "order_ref,customer_external_id,placed_at,sku,quantity\nSO-3,C9,2025-13-40,NOPE-1,0\n"
    )
    paths = _write(tmp_path, products=PRODUCTS, customers=CUSTOMERS, orders=bad_orders)
    assert _errors(store_session, **paths) == [
        "orders.csv row 2, column placed_at: must be a date like 2025-03-14"
        " or a time like 2025-03-14T09:30:00Z",
        "orders.csv row 2, column quantity: must be a positive whole number",
        "orders.csv row 2, column customer_external_id: unknown customer C9",
        "orders.csv row 2, column sku: unknown SKU NOPE-1",
    ]
    assert _count(store_session, Product) == 0


def test_missing_required_columns_are_reported_on_the_header_row(
    store_session: Session, tmp_path: Path
) -> None:
    paths = _write(tmp_path, products="sku,name,description\nX-1,Thing,nice\n")
    errors = _errors(store_session, **paths)
    assert errors == [
        "products.csv row 1, column category: required column is missing",
        "products.csv row 1, column price: required column is missing",
    ]


def test_missing_file_and_empty_file(store_session: Session, tmp_path: Path) -> None:
    empty = _write(tmp_path, customers="")
    errors = _errors(store_session, products_csv=tmp_path / "nope.csv", **empty)
    assert errors == [
        "nope.csv: file not found",
        "customers.csv row 1: the file is empty (expected a header)",
    ]


def test_header_is_case_and_space_insensitive_and_extra_columns_ignored(
    store_session: Session, tmp_path: Path
) -> None:
    text = "\ufeff SKU ,Name,Category,Price,Colour\nLAN-7,Lamp,lighting,5,red\n"
    summary = import_shop(store_session, **_write(tmp_path, products=text))
    assert summary.products == 1
    assert products.get_by_sku(store_session, "LAN-7") is not None


def test_quoted_newlines_keep_row_numbers_right(store_session: Session, tmp_path: Path) -> None:
    text = (
        "sku,name,category,description,price\n"
        'A-1,Lamp,lighting,"two\nlines",5\n'
        "A-2,Mug,kitchen,,x\n"
    )
    errors = _errors(store_session, **_write(tmp_path, products=text))
    assert errors == ["products.csv row 4, column price: must be a number like 12.50"]


def test_a_failure_while_writing_leaves_nothing_behind(
    store_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(orders, "upsert_order", explode)
    paths = _write(tmp_path, products=PRODUCTS, customers=CUSTOMERS, orders=ORDERS)
    with pytest.raises(RuntimeError, match="disk full"):
        import_shop(store_session, **paths)
    assert _count(store_session, Product) == 0
    assert _count(store_session, Contact) == 0


CONSUMABLES = """sku,name,category,price,consumable
CAN-1,Beeswax Candle,lighting,6.90,yes
COF-1,Coffee Beans,kitchen,12.00, TRUE
FOOD-1,Dog Food,pets,30,1
LAN-1,Blue Glass Lantern,lighting,24.99,No
MUG-1,Enamel Camping Mug,camping,9.50,
TENT-1,Tent,camping,199,false
STOVE-1,Stove,camping,49,0
"""


def _consumable_skus(session: Session) -> set[str]:
    """SKUs the recommender's catalogue conversion sees as consumable."""
    flagged = {row.id for row in recommender_data.catalogue_rows(session) if row.is_consumable}
    return {product.sku for product in session.scalars(sa.select(Product)) if product.id in flagged}


def test_consumable_column_flags_products_for_the_recommender(
    store_session: Session, tmp_path: Path
) -> None:
    summary = import_shop(store_session, **_write(tmp_path, products=CONSUMABLES))
    assert summary.products == 7
    assert _consumable_skus(store_session) == {"CAN-1", "COF-1", "FOOD-1"}
    candle = products.get_by_sku(store_session, "CAN-1")
    mug = products.get_by_sku(store_session, "MUG-1")
    assert candle is not None and candle.attributes == {"consumable": True}
    assert mug is not None and mug.attributes == {"consumable": False}  # empty cell = false


def test_a_bad_consumable_value_is_a_row_error_and_nothing_is_imported(
    store_session: Session, tmp_path: Path
) -> None:
    bad = CONSUMABLES + "SOAP-1,Soap,bath,3.50,maybe\nSALT-1,Salt,kitchen,1,y\n"
    assert _errors(store_session, **_write(tmp_path, products=bad)) == [
        "products.csv row 9, column consumable: must be true or false (yes/no and 1/0 also work)",
        "products.csv row 10, column consumable: must be true or false (yes/no and 1/0 also work)",
    ]
    assert _count(store_session, Product) == 0


def test_files_without_the_consumable_column_still_import(
    store_session: Session, tmp_path: Path
) -> None:
    summary = import_shop(store_session, **_write(tmp_path, products=PRODUCTS))
    assert summary.products == 2
    assert _consumable_skus(store_session) == set()
    lantern = products.get_by_sku(store_session, "LAN-1")
    assert lantern is not None and lantern.attributes == {}


def test_reimport_keeps_other_attributes_and_a_flag_the_file_does_not_mention(
    store_session: Session, tmp_path: Path
) -> None:
    make_product(store_session, sku="CAN-1", attributes={"kind": "candle", "consumable": False})
    make_product(store_session, sku="LAN-1", attributes={"kind": "lantern", "consumable": True})
    import_shop(store_session, **_write(tmp_path, products=CONSUMABLES))
    candle = products.get_by_sku(store_session, "CAN-1")
    lantern = products.get_by_sku(store_session, "LAN-1")
    assert candle is not None and candle.attributes == {"kind": "candle", "consumable": True}
    assert lantern is not None and lantern.attributes == {"kind": "lantern", "consumable": False}

    without_column = "sku,name,category,price\nCAN-1,Beeswax Candle,lighting,7.50\n"
    import_shop(store_session, **_write(tmp_path, products=without_column))
    candle = products.get_by_sku(store_session, "CAN-1")
    assert candle is not None and candle.price == Decimal("7.50")
    assert candle.attributes == {"kind": "candle", "consumable": True}
    assert "CAN-1" in _consumable_skus(store_session)


def test_row_error_reads_like_a_sentence() -> None:
    error = RowError("orders.csv", 7, "quantity", "must be a positive whole number")
    assert str(error) == "orders.csv row 7, column quantity: must be a positive whole number"
    assert str(RowError("x.csv", None, None, "file not found")) == "x.csv: file not found"
