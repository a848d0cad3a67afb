"""Readable, unique cluster names from how each centroid differs from the median customer.

A feature earns a word when the centroid sits at least `THRESHOLD` standard deviations
(on the log scale) from the median customer. Up to three words are used, taken in the
order recency, frequency, spend, average order value, extra columns; they read as
"<recency> <frequency> <extra> <basket> <spend noun>", the noun being "big spenders",
"low spenders", or "buyers" when spend is unremarkable. Names that clash get more
words, then weaker ones, and only then a number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

THRESHOLD = 0.5
MAX_WORDS = 3
TYPICAL = "Typical customers"
ONE_ORDER = 1.5  # a centroid below this many orders is a one-time buyer

# Which words a name uses first; average order value mostly echoes frequency and spend.
_PRIORITY = ("recency_days", "frequency", "monetary", "average_order_value")


def cluster_names(
    feature_names: Sequence[str],
    centroids: np.ndarray,
    deviations: np.ndarray,
    sizes: Sequence[int],
) -> tuple[str, ...]:
    """One name per cluster; ``deviations`` are centroid minus median in standardised units."""
    k = len(centroids)
    attempts = [(THRESHOLD, MAX_WORDS), (THRESHOLD, None), (THRESHOLD / 2, None), (0.0, None)]
    names = [_name(feature_names, centroids[i], deviations[i], *attempts[0]) for i in range(k)]
    for threshold, words in attempts[1:]:
        clashing = _clashing(names)
        if not clashing:
            break
        for i in clashing:
            names[i] = _name(feature_names, centroids[i], deviations[i], threshold, words)
    for name in {names[i] for i in _clashing(names)}:
        same = sorted((i for i in range(k) if names[i] == name), key=lambda i: -sizes[i])
        for number, i in enumerate(same[1:], start=2):
            names[i] = f"{name} ({number})"
    return tuple(names)


def _name(
    feature_names: Sequence[str],
    centroid: np.ndarray,
    deviation: np.ndarray,
    threshold: float,
    max_words: int | None,
) -> str:
    ranked = [f for f in _PRIORITY if f in feature_names]
    ranked += [f for f in feature_names if f not in _PRIORITY]
    position = {f: j for j, f in enumerate(feature_names)}
    strong = [f for f in ranked if abs(deviation[position[f]]) >= threshold]
    chosen = {f: position[f] for f in strong[:max_words]}
    words = [f for f in ("recency_days", "frequency") if f in chosen]
    words += [f for f in chosen if f not in _PRIORITY]
    words += [f for f in ("average_order_value",) if f in chosen]
    text = [_word(f, centroid[chosen[f]], deviation[chosen[f]]) for f in words]
    if "monetary" in chosen:
        text.append("big spenders" if deviation[chosen["monetary"]] > 0 else "low spenders")
    elif text:
        text.append("buyers")
    if not text:
        return TYPICAL
    sentence = " ".join(text)
    return sentence[0].upper() + sentence[1:]


def _word(feature: str, value: float, deviation: float) -> str:
    above = deviation > 0
    if feature == "recency_days":
        return "lapsed" if above else "recent"
    if feature == "frequency":
        if above:
            return "frequent"
        return "one-time" if value < ONE_ORDER else "occasional"
    if feature == "average_order_value":
        return "big-basket" if above else "small-basket"
    return f"{'high' if above else 'low'}-{feature.replace('_', '-')}"  # "high-return-rate"


def _clashing(names: list[str]) -> list[int]:
    counts = Counter(names)
    return [i for i, name in enumerate(names) if counts[name] > 1]
