"""The declared columns of a table and the encoder that turns feature dicts into a matrix.

Rows are plain dicts; a column is numeric (ints, floats, booleans) or categorical (any
value, compared as its string). Whatever cannot be read (a missing key, None, text in a
numeric column, NaN, infinity) becomes a missing value, which the models handle natively,
so junk input never raises. Categories are learned from the training rows; one never seen
in training is treated as missing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

Kind = Literal["numeric", "categorical"]
MAX_CATEGORIES = 250  # gradient boosting's native categories must fit in its 255 bins


@dataclass(frozen=True)
class Column:
    """One input column; ``group`` joins columns that explain one thing (a budget's parts)."""

    name: str
    kind: Kind
    group: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("numeric", "categorical"):
            raise ValueError(f"column {self.name!r}: kind must be numeric or categorical")

    @property
    def explained_as(self) -> str:
        """The group this column is explained with (its own name when it has none)."""
        return self.group or self.name

    def as_dict(self) -> dict[str, str | None]:
        """The column as JSON-ready data, for a model's metadata."""
        return asdict(self)


def numeric(name: str, group: str | None = None) -> Column:
    """A numeric column (booleans count as 0 / 1)."""
    return Column(name, "numeric", group)


def categorical(name: str, group: str | None = None) -> Column:
    """A categorical column."""
    return Column(name, "categorical", group)


def as_number(value: Any) -> float:
    """The value as a finite float, or NaN when it is not a number."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return math.nan


def as_category(value: Any) -> str | None:
    """The value as a category name, or None when it is missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


class TableEncoder:
    """Feature dicts -> a float matrix: numbers as they are, categories as integer codes."""

    def __init__(self, columns: Sequence[Column]) -> None:
        names = [column.name for column in columns]
        if not names or len(set(names)) != len(names):
            raise ValueError("columns must be a non-empty list of distinct names")
        self.columns = tuple(columns)
        self.categories_: dict[str, list[str]] = {}

    @property
    def categorical_mask(self) -> np.ndarray:
        """True for the categorical columns, in column order."""
        return np.array([column.kind == "categorical" for column in self.columns])

    def fit(self, rows: Sequence[Mapping[str, Any]]) -> TableEncoder:
        """Learn the categories (the most frequent ones, when there are very many)."""
        for column in self.columns:
            if column.kind == "categorical":
                counts = Counter(as_category(row.get(column.name)) for row in rows)
                counts.pop(None, None)
                common = [name for name, _ in counts.most_common(MAX_CATEGORIES)]
                self.categories_[column.name] = sorted(common)
        return self

    def transform(self, rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """The rows as a float matrix; missing and unknown values are NaN."""
        matrix = np.full((len(rows), len(self.columns)), np.nan)
        for j, column in enumerate(self.columns):
            if column.kind == "numeric":
                matrix[:, j] = [as_number(row.get(column.name)) for row in rows]
                continue
            codes = {name: code for code, name in enumerate(self.categories_[column.name])}
            matrix[:, j] = [
                codes.get(as_category(row.get(column.name)) or "", np.nan) for row in rows
            ]
        return matrix
