"""Hard constraints on what may be suggested, compiled to a boolean mask over items."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from recommender.catalogue import Catalogue
from recommender.data import ItemId


@dataclass(frozen=True)
class Constraints:
    """What the customer asked for or ruled out; every suggestion satisfies all of it.

    Attributes
    ----------
    categories
        Allowed categories (case-insensitive); None allows all. An unknown category
        allows nothing: suggesting other things would ignore what was asked.
    min_price, max_price
        Inclusive price range; items without a price fail any price bound.
    in_stock_only
        Drop items that are out of stock.
    exclude_ids
        Items the customer rejected ("not this one") or was already shown.
    exclude_purchased
        Drop what the customer already bought, except consumables, which people buy again.
    """

    categories: frozenset[str] | None = None
    min_price: float | None = None
    max_price: float | None = None
    in_stock_only: bool = True
    exclude_ids: frozenset[ItemId] = field(default_factory=frozenset)
    exclude_purchased: bool = True

    @classmethod
    def of(
        cls,
        *,
        categories: Iterable[str] | None = None,
        min_price: float | None = None,
        max_price: float | None = None,
        in_stock_only: bool = True,
        exclude_ids: Iterable[ItemId] = (),
        exclude_purchased: bool = True,
    ) -> Constraints:
        """Build from any iterables (lists from slots, say)."""
        return cls(
            categories=None if categories is None else frozenset(categories),
            min_price=min_price,
            max_price=max_price,
            in_stock_only=in_stock_only,
            exclude_ids=frozenset(exclude_ids),
            exclude_purchased=exclude_purchased,
        )


def allowed_mask(
    catalogue: Catalogue,
    constraints: Constraints | None,
    purchased: np.ndarray | None = None,
) -> np.ndarray:
    """Return a boolean array over the catalogue: True where an item may be suggested.

    ``purchased`` holds the item indices the customer bought; they are masked out
    (unless consumable) when ``constraints.exclude_purchased`` is set.
    """
    constraints = constraints or Constraints()
    mask = np.ones(len(catalogue), dtype=bool)
    if constraints.categories is not None:
        codes = [catalogue.category_code(name) for name in constraints.categories]
        mask &= np.isin(catalogue.category_codes, [c for c in codes if c is not None])
    if constraints.min_price is not None:
        mask &= catalogue.prices >= constraints.min_price
    if constraints.max_price is not None:
        mask &= catalogue.prices <= constraints.max_price
    if constraints.in_stock_only:
        mask &= catalogue.in_stock
    if constraints.exclude_ids:
        excluded = catalogue.index.lookup(list(constraints.exclude_ids))
        mask[excluded[excluded >= 0]] = False
    if constraints.exclude_purchased and purchased is not None and len(purchased):
        bought = np.asarray(purchased, dtype=np.int64)
        mask[bought[~catalogue.consumable[bought]]] = False
    return mask
