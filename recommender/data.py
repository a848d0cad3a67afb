"""Plain data the recommender takes and returns, so callers never hand it ORM objects."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np

ItemId = Hashable
UserId = Hashable


@dataclass(frozen=True)
class Item:
    """A catalogue item as the recommender sees it.

    ``price`` may be None when unknown; price constraints then exclude the item because
    they cannot be checked. ``is_consumable`` items may be suggested again to customers
    who already bought them (candles, coffee), everything else is not.
    """

    id: ItemId
    name: str
    description: str = ""
    category: str = ""
    price: float | None = None
    in_stock: bool = True
    is_consumable: bool = False


@dataclass(frozen=True)
class Interactions:
    """Who did what with which item, as parallel arrays (one entry per event).

    ``weights`` say how strong the signal is (a purchase 1.0 or its quantity, a click in
    the chat 0.3, ...); ``timestamps`` are seconds since the epoch and drive recency;
    ``purchased`` marks purchases, which the repeat-purchase rule looks at (a product the
    customer only clicked may be suggested again, one they bought may not).
    """

    user_ids: np.ndarray
    item_ids: np.ndarray
    weights: np.ndarray
    timestamps: np.ndarray
    purchased: np.ndarray

    @classmethod
    def from_arrays(
        cls,
        user_ids: Sequence[UserId] | np.ndarray,
        item_ids: Sequence[ItemId] | np.ndarray,
        weights: Sequence[float] | np.ndarray | None = None,
        timestamps: Sequence[float] | np.ndarray | None = None,
        purchased: Sequence[bool] | np.ndarray | None = None,
    ) -> Interactions:
        """Build from sequences; missing weights are 1, timestamps 0, all are purchases."""
        users = np.asarray(user_ids, dtype=object)
        n = len(users)
        items = np.asarray(item_ids, dtype=object)
        if len(items) != n:
            raise ValueError("user_ids and item_ids must have the same length")
        return cls(
            user_ids=users,
            item_ids=items,
            weights=_column(weights, n, 1.0, np.float64),
            timestamps=_column(timestamps, n, 0.0, np.float64),
            purchased=_column(purchased, n, True, np.bool_),
        )

    def __len__(self) -> int:
        return len(self.user_ids)


@dataclass(frozen=True)
class Context:
    """What is known about the current conversation, for anonymous or new visitors.

    ``text`` is what the customer typed (catalogue phrases in it are matched);
    ``item_ids`` are products they looked at or clicked in this conversation and count
    as light interactions; ``item_weight`` is how much one such click counts.
    """

    text: str = ""
    item_ids: tuple[ItemId, ...] = ()
    item_weight: float = 1.0


@dataclass(frozen=True)
class Recommendation:
    """One suggestion: the item id, its blended score and a one-line reason."""

    item_id: ItemId
    score: float
    reason: str
    details: dict[str, float] = field(default_factory=dict, compare=False)


def _column(values: object, n: int, default: object, dtype: type) -> np.ndarray:
    if values is None:
        return np.full(n, default, dtype=dtype)
    array = np.asarray(values, dtype=dtype)
    if len(array) != n:
        raise ValueError("every interaction column must have the same length")
    return array
