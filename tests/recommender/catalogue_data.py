"""Small deterministic shop fixtures for the recommender tests."""

from __future__ import annotations

import numpy as np

from recommender import Interactions, Item

DAY = 86_400.0

# Two kinds of customer: lighting lovers and textile lovers; one consumable (candles);
# one out-of-stock item; one product nobody has bought yet (the wool scarf deluxe).
CATALOGUE = [
    Item(0, "Blue Glass Lantern", "a portable glass light for tables", "lighting", 24.0),
    Item(1, "Brass Lantern", "a portable brass light for porches", "lighting", 40.0),
    Item(2, "Oak Table Lamp", "a warm reading light", "lighting", 45.0),
    Item(3, "Wool Scarf", "a warm knitted scarf", "textiles", 30.0),
    Item(4, "Linen Cushion", "a soft cushion cover", "textiles", 22.0),
    Item(5, "Pillar Candles", "slow-burning candles", "lighting", 9.0, is_consumable=True),
    Item(6, "Velvet Throw", "a heavy blanket", "textiles", 80.0, in_stock=False),
    Item(7, "Ceramic Mug", "a coffee mug", "kitchen", 10.0),
    Item(8, "Grey Wool Scarf Deluxe", "a warm knitted wool scarf, extra long", "textiles", 55.0),
]

BASKETS = {
    "ann": [0, 1, 2, 5],
    "bob": [0, 1, 2],
    "cat": [0, 2, 5],
    "dan": [3, 4, 6],
    "eve": [3, 4],
    "fay": [3, 6, 7],
    "gus": [0, 1],  # a lighting customer: the oak lamp (2) is the known answer for gus
    "hal": [3],  # a textile customer: the linen cushion (4) is the known answer for hal
}


def make_interactions(baskets: dict[str, list[int]] = BASKETS) -> Interactions:
    """One purchase event per basket line, a day apart."""
    users = [u for u, items in baskets.items() for _ in items]
    items = [i for basket in baskets.values() for i in basket]
    return Interactions.from_arrays(users, items, timestamps=np.arange(len(items)) * DAY)
