"""A small table with a known signal: `x` matters most, `colour` some, `noise` not at all."""

import math
import random
from typing import Any

from marketing.tabular import categorical, numeric

COLUMNS = [numeric("x"), categorical("colour"), numeric("noise")]


def true_probability(row: dict[str, Any]) -> float:
    """The chance of label 1 the rows are drawn with."""
    logit = 2.0 * row["x"] + (1.0 if row["colour"] == "red" else 0.0) - 0.5
    return 1.0 / (1.0 + math.exp(-logit))


def synthetic_table(n: int, seed: int = 0) -> tuple[list[dict[str, Any]], list[int]]:
    """``n`` rows and their labels, the same for the same seed."""
    rng = random.Random(seed)
    rows = [
        {
            "x": rng.gauss(0, 1),
            "colour": rng.choice(["red", "green", "blue"]),
            "noise": rng.gauss(0, 1),
        }
        for _ in range(n)
    ]
    labels = [int(rng.random() < true_probability(row)) for row in rows]
    return rows, labels
