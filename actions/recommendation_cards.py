"""Product cards: the `custom` payload both channels render (web widget, Telegram).

Shape (docs/architecture.md): `{"type": "product_card", "name", "price", "image",
"reason", "buttons", "url"}` plus `product_id` and `rank` so a pressed button can be
traced to the card. Button payloads are `/intent{"product_id": N}`, which Rasa parses
without NLU, so a press is recognised with certainty and names the product exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from actions.formatting import Button, button, format_price

CARD_TYPE = "product_card"
DETAILS_INTENT = "product_details"
SIMILAR_INTENT = "more_like_this"
PRODUCT_ENTITY = "product_id"


@dataclass(frozen=True)
class CardProduct:
    """What a card shows of a product, read fresh from the store."""

    id: int
    sku: str
    name: str
    price: Decimal
    currency: str
    image_url: str | None


def intent_payload(intent: str, product_id: int) -> str:
    """`/more_like_this{"product_id": 12}`: an intent with the product as an entity."""
    return f"/{intent}{json.dumps({PRODUCT_ENTITY: product_id})}"


def card_buttons(product_id: int) -> list[Button]:
    """ "Details" and "More like this" for one product."""
    return [
        button("Details", intent_payload(DETAILS_INTENT, product_id)),
        button("More like this", intent_payload(SIMILAR_INTENT, product_id)),
    ]


def product_card(product: CardProduct, *, reason: str, rank: int) -> dict[str, Any]:
    """The card of one suggestion; `rank` is 1 for the first card of a reply."""
    return {
        "type": CARD_TYPE,
        "product_id": product.id,
        "rank": rank,
        "name": product.name,
        "price": format_price(product.price, product.currency),
        "image": product.image_url or f"/media/products/{product.sku}.svg",
        "reason": _sentence(reason),
        "buttons": card_buttons(product.id),
        "url": None,
    }


def _sentence(reason: str) -> str:
    reason = reason.strip()
    return reason[:1].upper() + reason[1:] if reason else ""
