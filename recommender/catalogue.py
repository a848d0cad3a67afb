"""The catalogue as arrays indexed like the item columns of the user-item matrix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from recommender.data import Item, ItemId
from recommender.matrix import IdIndex


class Catalogue:
    """Item attributes in index order, so constraints are vectorised numpy masks.

    Items that only appear in interactions (sold once, since removed) get a placeholder
    that is out of stock and has no price, so they are never suggested by default.
    """

    def __init__(self, items: Sequence[Item], extra_ids: Iterable[ItemId] = ()) -> None:
        known = {item.id: item for item in items}
        for item_id in extra_ids:
            if item_id not in known:
                known[item_id] = Item(id=item_id, name=str(item_id), in_stock=False)
        self.items: list[Item] = list(known.values())
        self.index = IdIndex(item.id for item in self.items)
        self.categories: list[str] = sorted({item.category for item in self.items})
        self._category_codes = {name: code for code, name in enumerate(self.categories)}
        self.category_codes = np.array(
            [self._category_codes[item.category] for item in self.items], dtype=np.int32
        )
        self.prices = np.array(
            [np.nan if item.price is None else float(item.price) for item in self.items]
        )
        self.in_stock = np.array([item.in_stock for item in self.items], dtype=bool)
        self.consumable = np.array([item.is_consumable for item in self.items], dtype=bool)

    def __len__(self) -> int:
        return len(self.items)

    def category_code(self, name: str) -> int | None:
        """Return the code of a category (matched case-insensitively), or None."""
        code = self._category_codes.get(name)
        if code is not None:
            return code
        wanted = name.casefold()
        for candidate, code in self._category_codes.items():
            if candidate.casefold() == wanted:
                return code
        return None

    def name(self, index: int) -> str:
        """Return an item's display name."""
        return self.items[index].name

    def updated(self, items: Sequence[Item]) -> Catalogue:
        """Return a catalogue with these items' attributes replaced (ids must be known).

        Price and stock change daily; this refreshes them without refitting anything.
        """
        unknown = [item.id for item in items if item.id not in self.index]
        if unknown:
            raise KeyError(f"unknown item ids (refit to add items): {unknown[:5]}")
        replaced = {item.id: item for item in items}
        return Catalogue([replaced.get(item.id, item) for item in self.items])
