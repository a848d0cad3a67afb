"""CRM rows as the recommender's plain input: catalogue rows and interaction rows.

`crm_bridge` imports nothing else of the project, so these are plain dataclasses whose
fields are exactly those of `recommender.Item` and the columns of
`recommender.Interactions`; the application turns them into those types in one line.

Signals and their weights: a purchase counts its quantity and is marked purchased (so it
is not suggested again unless consumable); a suggestion clicked in the chat counts
`CLICK_WEIGHT`, a question about a suggested product `ASKED_WEIGHT`, neither purchased.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import orders
from crm_bridge.enums import SuggestionEventKind
from crm_bridge.models import Product, SuggestionEvent

CLICK_WEIGHT = 0.3
ASKED_WEIGHT = 0.2
_CHAT_WEIGHTS = {SuggestionEventKind.clicked: CLICK_WEIGHT, SuggestionEventKind.asked: ASKED_WEIGHT}


@dataclass(frozen=True)
class CatalogueRow:
    """A product with the fields of `recommender.Item` (ids are product ids)."""

    id: int
    name: str
    description: str
    category: str
    price: float
    in_stock: bool
    is_consumable: bool


@dataclass(frozen=True)
class InteractionRow:
    """One event with the columns of `recommender.Interactions` (users are contact ids)."""

    user_id: int
    item_id: int
    weight: float
    timestamp: float
    purchased: bool


def catalogue_rows(session: Session) -> list[CatalogueRow]:
    """Active products in id order; inactive ones are left out and so never suggested."""
    statement = sa.select(Product).where(Product.active.is_(True)).order_by(Product.id)
    return [_catalogue_row(product) for product in session.scalars(statement)]


def is_consumable(product: Product) -> bool:
    """Whether customers buy it again: the `consumable` attribute the demo shop sets."""
    return bool((product.attributes or {}).get("consumable", False))


def interaction_rows(session: Session, *, since: datetime | None = None) -> list[InteractionRow]:
    """Purchases and chat clicks/questions of known contacts, oldest first.

    With `since`, only events after that moment: what a fold-in adds to a trained model.
    """
    rows = [
        InteractionRow(p.contact_id, p.product_id, float(p.quantity), p.placed_at.timestamp(), True)
        for p in orders.list_purchases(session)
        if since is None or p.placed_at > since
    ]
    statement = sa.select(SuggestionEvent).where(
        SuggestionEvent.kind.in_(list(_CHAT_WEIGHTS)), SuggestionEvent.contact_id.is_not(None)
    )
    if since is not None:
        statement = statement.where(SuggestionEvent.created_at > since)
    rows += [
        InteractionRow(
            int(event.contact_id),  # type: ignore[arg-type]  # filtered to not None above
            event.product_id,
            _CHAT_WEIGHTS[event.kind],
            event.created_at.timestamp(),
            False,
        )
        for event in session.scalars(statement)
    ]
    return sorted(rows, key=lambda row: row.timestamp)


def columns(rows: Iterable[InteractionRow]) -> dict[str, list[float] | list[int] | list[bool]]:
    """The rows as parallel columns, the keyword arguments of `Interactions.from_arrays`."""
    listed = list(rows)
    return {
        "user_ids": [row.user_id for row in listed],
        "item_ids": [row.item_id for row in listed],
        "weights": [row.weight for row in listed],
        "timestamps": [row.timestamp for row in listed],
        "purchased": [row.purchased for row in listed],
    }


def _catalogue_row(product: Product) -> CatalogueRow:
    return CatalogueRow(
        id=product.id,
        name=product.name,
        description=product.description or "",
        category=product.category,
        price=float(product.price),
        in_stock=product.stock > 0,
        is_consumable=is_consumable(product),
    )
