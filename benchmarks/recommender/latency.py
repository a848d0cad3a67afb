"""Request latency of ``recommend()`` and a synthetic 100k-item catalogue to time it on."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from recommender import Constraints, Interactions, Item, Recommender

_STYLES = (
    "red",
    "blue",
    "green",
    "oak",
    "brass",
    "linen",
    "wool",
    "glass",
    "ceramic",
    "copper",
    "velvet",
    "rattan",
)
_NOUNS = (
    "lantern",
    "lamp",
    "mug",
    "scarf",
    "cushion",
    "candle",
    "basket",
    "vase",
    "bowl",
    "blanket",
    "tray",
    "clock",
)
_WORDS = (
    "soft",
    "warm",
    "handmade",
    "small",
    "large",
    "round",
    "square",
    "vintage",
    "modern",
    "rustic",
    "classic",
)


def _name(i: int) -> str:
    style, word, noun = _STYLES[i % 12], _WORDS[(i // 12) % 11], _NOUNS[(i // 132) % 12]
    return f"{style.title()} {word} {noun} {i}"


@dataclass(frozen=True)
class Latency:
    """Milliseconds per request over ``requests`` calls."""

    p50_ms: float
    p99_ms: float
    requests: int


def time_requests(
    model: Recommender, users: list[object], *, requests: int = 1_000, seed: int = 0, k: int = 10
) -> Latency:
    """Time ``recommend`` for random known customers with price and exclusion constraints."""
    rng = np.random.default_rng(seed)
    item_ids = model.catalogue_.index.ids
    prices = model.catalogue_.prices
    upper = float(np.nanpercentile(prices, 75))
    timings = []
    for _ in range(requests):
        user = users[int(rng.integers(len(users)))]
        excluded = frozenset(item_ids[int(i)] for i in rng.integers(len(item_ids), size=3))
        constraints = Constraints(max_price=upper, exclude_ids=excluded)
        start = time.perf_counter()
        model.recommend(user, constraints=constraints, k=k)
        timings.append(time.perf_counter() - start)
    ms = np.array(timings) * 1_000
    return Latency(float(np.percentile(ms, 50)), float(np.percentile(ms, 99)), requests)


def synthetic_shop(
    n_items: int = 100_000, n_users: int = 20_000, events_per_user: int = 15, seed: int = 0
) -> tuple[list[Item], Interactions]:
    """Make a catalogue with named items in 50 categories and clustered purchases.

    Customers favour two categories and popular items (Zipf-like), which is enough
    structure for every part of the hybrid to do real work at this size.
    """
    rng = np.random.default_rng(seed)
    categories = np.arange(n_items) % 50
    items = [
        Item(
            id=f"SKU{i:06d}",
            name=_name(i),
            description=f"{_WORDS[(i * 7) % 11]} {_NOUNS[(i // 3) % 12]} for the home",
            category=f"category {categories[i]}",
            price=float(rng.uniform(2, 200)),
            in_stock=bool(rng.random() < 0.9),
            is_consumable=bool(i % 20 == 0),
        )
        for i in range(n_items)
    ]
    # Every category has the same size, so one Zipf-like CDF serves them all.
    members = np.stack([np.flatnonzero(categories == c) for c in range(50)])
    cdf = np.cumsum(1.0 / np.arange(1, members.shape[1] + 1) ** 0.8)
    liked = np.stack([rng.choice(50, size=2, replace=False) for _ in range(n_users)])
    users = np.repeat(np.arange(n_users), events_per_user)
    chosen = liked[users, rng.integers(2, size=len(users))]
    rank = np.minimum(np.searchsorted(cdf, rng.random(len(users)) * cdf[-1]), len(cdf) - 1)
    item_ids = [items[i].id for i in members[chosen, rank]]
    timestamps = rng.uniform(0, 365 * 86_400, size=len(users))
    return items, Interactions.from_arrays(users, item_ids, timestamps=timestamps)
