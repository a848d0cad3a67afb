"""Read UCI Online Retail into plain recommender data, following the shared protocol.

Protocol (``../shared/data/README.md``): rows with a CustomerID, Quantity > 0,
UnitPrice > 0, an InvoiceNo not starting with "C" and a StockCode starting with five
digits. Customers are evaluated when they bought in both windows and bought in the later
window at least one item that exists in the earlier one and that they had not bought
there; those new items are the relevant set.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from statistics import median

import numpy as np

from recommender import Interactions, Item

_STOCK_CODE = re.compile(r"^\d{5}")


@dataclass(frozen=True)
class Purchase:
    """One kept order line."""

    customer: int
    item: str
    when: datetime
    price: float
    description: str


@dataclass(frozen=True)
class Split:
    """Training data for one cut-off and the held-out relevant items per customer."""

    interactions: Interactions
    items: list[Item]
    relevant: dict[int, set[str]]
    bought: dict[int, set[str]]
    cutoff: datetime


def read_purchases(path: Path) -> list[Purchase]:
    """Return the order lines the protocol keeps, in file order."""
    kept = []
    with gzip.open(path, "rt", encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["CustomerID"] or row["InvoiceNo"].startswith("C"):
                continue
            quantity, price = int(row["Quantity"]), float(row["UnitPrice"])
            if quantity <= 0 or price <= 0 or not _STOCK_CODE.match(row["StockCode"]):
                continue
            kept.append(
                Purchase(
                    customer=int(float(row["CustomerID"])),
                    item=row["StockCode"],
                    when=datetime.fromisoformat(row["InvoiceDate"]),
                    price=price,
                    description=row["Description"].strip(),
                )
            )
    return kept


def split(purchases: list[Purchase], cutoff: datetime, end: datetime | None = None) -> Split:
    """Train on lines before ``cutoff``; relevant items come from [cutoff, end)."""
    train = [p for p in purchases if p.when < cutoff]
    test = [p for p in purchases if p.when >= cutoff and (end is None or p.when < end)]
    bought: dict[int, set[str]] = defaultdict(set)
    for p in train:
        bought[p.customer].add(p.item)
    known_items = {p.item for p in train}
    relevant: dict[int, set[str]] = defaultdict(set)
    for p in test:
        if p.customer in bought and p.item in known_items and p.item not in bought[p.customer]:
            relevant[p.customer].add(p.item)
    return Split(
        interactions=Interactions.from_arrays(
            [p.customer for p in train],
            [p.item for p in train],
            timestamps=np.array([p.when.timestamp() for p in train]),
        ),
        items=catalogue(train),
        relevant=dict(relevant),
        bought=dict(bought),
        cutoff=cutoff,
    )


def catalogue(purchases: list[Purchase]) -> list[Item]:
    """One Item per stock code: most frequent description, median price, all in stock.

    The data has no categories, stock levels or consumable flags, so content similarity
    only sees names here, and every item may be suggested.
    """
    names: dict[str, Counter[str]] = defaultdict(Counter)
    prices: dict[str, list[float]] = defaultdict(list)
    for p in purchases:
        names[p.item][p.description] += 1
        prices[p.item].append(p.price)
    return [
        Item(id=code, name=names[code].most_common(1)[0][0].title(), price=median(prices[code]))
        for code in sorted(names)
    ]
