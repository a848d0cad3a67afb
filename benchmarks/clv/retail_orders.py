"""Read UCI Online Retail into order lines, with the shared protocol's cleaning.

Protocol (``../shared/data/README.md``): rows with a CustomerID, Quantity > 0,
UnitPrice > 0 and an InvoiceNo not starting with "C". The recommender's StockCode filter
is not applied: postage and other non-product lines are part of what a customer spends.
An order is an invoice; its amount is the sum of Quantity x UnitPrice over its lines.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

COLUMNS = ("InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID")


class DataMissing(FileNotFoundError):
    """Raised when the CSV is not where the benchmark was told to look."""


@dataclass(frozen=True)
class OrderLine:
    """One kept invoice line: who, which invoice, when, and Quantity x UnitPrice."""

    customer: int
    invoice: str
    when: datetime
    amount: float


def read_order_lines(path: Path) -> list[OrderLine]:
    """Return the lines the protocol keeps, in file order."""
    if not path.is_file():
        raise DataMissing(
            f"no Online Retail CSV at {path}: pass --data PATH to online_retail.csv.gz "
            "(UCI Online Retail, columns InvoiceNo, Quantity, InvoiceDate, UnitPrice, CustomerID)"
        )
    kept = []
    moments: dict[str, datetime] = {}  # an invoice's many lines share one timestamp
    with gzip.open(path, "rt", encoding="utf-8", errors="replace", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        invoice_at, quantity_at, date_at, price_at, customer_at = (
            header.index(name) for name in COLUMNS
        )
        for row in rows:
            invoice, customer = row[invoice_at], row[customer_at]
            if not customer or invoice.startswith("C"):
                continue
            quantity, price = int(row[quantity_at]), float(row[price_at])
            if quantity <= 0 or price <= 0:
                continue
            stamp = row[date_at]
            when = moments.get(stamp) or moments.setdefault(stamp, datetime.fromisoformat(stamp))
            kept.append(OrderLine(int(float(customer)), invoice, when, quantity * price))
    return kept
