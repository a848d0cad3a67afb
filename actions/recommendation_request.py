"""The running recommendation request of a conversation, kept in slots between turns.

"A gift for my dad under 30 euros" starts a request; "show me more", "cheaper ones" and
"more like this" change it rather than start over, so the budget and the products already
shown carry over. Pure: slots in, slots out, no tracker and no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from actions.recommendation_parsing import Wish

ASK = "ask_recommendation"
SHOW_MORE = "show_more"
CHEAPER = "cheaper"
SIMILAR = "more_like_this"

# Slot name -> dataclass field; every slot is declared in domain.yml with a custom mapping.
SLOTS = {
    "rec_text": "text",
    "rec_category": "category",
    "rec_min_price": "min_price",
    "rec_max_price": "max_price",
    "rec_recipient": "recipient",
    "rec_occasion": "occasion",
    "rec_anchor": "anchor",
    "rec_shown": "shown",
    "rec_last_shown": "last_shown",
    "rec_excluded": "excluded",
}
CENT = 0.01

# Soft hints added to the text the recommender reads (never hard filters): words of the
# demo shop's categories that suit a recipient, and "gifts" for any present.
RECIPIENT_HINTS = {
    "child": "toys", "baby": "toys", "son": "toys", "daughter": "toys", "niece": "toys",
    "nephew": "toys", "dog": "pet supplies", "cat": "pet supplies", "gardener": "garden",
    "cook": "kitchen", "camper": "camping",
}  # fmt: skip
_REJECTION = re.compile(r"\b(?:not|no|except|without|other than|anything but)\s+(?P<rest>.+)", re.I)


@dataclass(frozen=True)
class Request:
    """What the customer asked for and what they have seen since."""

    text: str = ""
    category: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    recipient: str | None = None
    occasion: str | None = None
    anchor: int | None = None
    shown: tuple[int, ...] = ()
    last_shown: tuple[int, ...] = ()
    excluded: tuple[int, ...] = field(default=())

    @classmethod
    def from_slots(cls, slots: dict[str, Any]) -> Request:
        values = {attr: slots.get(slot) for slot, attr in SLOTS.items()}
        for attr in ("shown", "last_shown", "excluded"):
            values[attr] = tuple(int(v) for v in values[attr] or ())
        values["text"] = values["text"] or ""
        if values["anchor"] is not None:
            values["anchor"] = int(values["anchor"])
        return cls(**values)

    def slot_values(self) -> dict[str, Any]:
        values = {slot: getattr(self, attr) for slot, attr in SLOTS.items()}
        for slot in ("rec_shown", "rec_last_shown", "rec_excluded"):
            values[slot] = list(values[slot])
        return values

    @property
    def context_text(self) -> str:
        """The request's words plus soft hints, for the recommender's content matching."""
        hints = [RECIPIENT_HINTS.get(self.recipient or "", ""), self.occasion or ""]
        return " ".join(part for part in (self.text, *hints) if part)

    def after_showing(self, product_ids: list[int]) -> Request:
        return replace(self, shown=self.shown + tuple(product_ids), last_shown=tuple(product_ids))


def started(text: str, wish: Wish, category: str | None, excluded: tuple[int, ...]) -> Request:
    """A fresh request from one message; products ruled out earlier stay ruled out."""
    gift_hint = "gifts" if wish.is_gift and category is None else ""
    return Request(
        text=" ".join(part for part in (text, gift_hint) if part),
        category=category,
        min_price=wish.price.low,
        max_price=wish.price.high,
        recipient=wish.recipient,
        occasion=wish.occasion,
        excluded=excluded,
    )


def cheaper(request: Request, last_prices: list[float]) -> Request:
    """Below the cheapest card of the last reply (or the current cap when none was shown)."""
    if last_prices:
        cap = round(min(last_prices) - CENT, 2)
    elif request.max_price is not None:
        cap = round(request.max_price - CENT, 2)
    else:
        return request
    low = request.min_price if request.min_price is not None and request.min_price <= cap else None
    return replace(request, max_price=cap, min_price=low)


def similar_to(request: Request, product_id: int) -> Request:
    """ "More like this": the same budget, ideas around one product, nothing shown again."""
    return replace(request, anchor=product_id, category=None)


def rejected_text(text: str) -> str | None:
    """The words after "not"/"no"/"except" ("not the blue lantern"), or None."""
    match = _REJECTION.search(text)
    return match["rest"] if match else None
