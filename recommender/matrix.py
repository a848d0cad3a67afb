"""Id <-> index maps and the sparse user-item matrices every model trains on."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommender.data import Interactions

SECONDS_PER_DAY = 86_400.0


class IdIndex:
    """A stable map between external ids and matrix indices, in first-seen order."""

    def __init__(self, ids: Iterable[Hashable] = ()) -> None:
        self.ids: list[Hashable] = []
        self._index: dict[Hashable, int] = {}
        self.extend(ids)

    def extend(self, ids: Iterable[Hashable]) -> list[int]:
        """Add unseen ids at the end; return the indices of all given ids."""
        indices = []
        for id_ in ids:
            index = self._index.get(id_)
            if index is None:
                index = len(self.ids)
                self._index[id_] = index
                self.ids.append(id_)
            indices.append(index)
        return indices

    def get(self, id_: Hashable) -> int | None:
        """Return the index of an id, or None when it is unknown."""
        return self._index.get(id_)

    def lookup(self, ids: Sequence[Hashable]) -> np.ndarray:
        """Return indices for ids, -1 for unknown ones."""
        return np.array([self._index.get(id_, -1) for id_ in ids], dtype=np.int64)

    def __contains__(self, id_: object) -> bool:
        return id_ in self._index

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class TrainingMatrix:
    """The user-item matrices a model learns from, all users x items, same row order.

    ``weights`` sums interaction weights per pair; ``age_days`` holds, per pair, the age
    in days of its newest event at ``now`` (stored + 1 so a same-day event is not a
    structural zero); ``purchased`` marks pairs with at least one purchase.
    """

    weights: sp.csr_matrix
    age_days: sp.csr_matrix
    purchased: sp.csr_matrix
    now: float

    @property
    def shape(self) -> tuple[int, int]:
        return self.weights.shape


def build_training_matrix(
    interactions: Interactions,
    users: IdIndex,
    items: IdIndex,
    now: float | None = None,
) -> TrainingMatrix:
    """Build the matrices; ids missing from the indices are added to them first."""
    rows = np.asarray(users.extend(interactions.user_ids), dtype=np.int64)
    cols = np.asarray(items.extend(interactions.item_ids), dtype=np.int64)
    if now is None:
        now = float(interactions.timestamps.max()) if len(interactions) else 0.0
    shape = (len(users), len(items))
    return TrainingMatrix(
        weights=_summed(rows, cols, interactions.weights, shape),
        age_days=_newest_age(rows, cols, interactions.timestamps, now, shape),
        purchased=_summed(
            rows, cols, interactions.purchased.astype(np.float32), shape, binary=True
        ),
        now=now,
    )


def merge_rows(base: TrainingMatrix, new: TrainingMatrix) -> TrainingMatrix:
    """Add ``new``'s events to ``base`` (new may have more rows and as many columns)."""
    n_users = max(base.shape[0], new.shape[0])
    grown = [_resize(m, (n_users, base.shape[1])) for m in (base.weights, base.age_days)]
    bought = _resize(base.purchased, (n_users, base.shape[1]))
    new_w, new_age, new_bought = (
        _resize(m, (n_users, base.shape[1])) for m in (new.weights, new.age_days, new.purchased)
    )
    age = (
        grown[1].minimum(new_age).tocsr()
        + _only_in(grown[1], new_age)
        + _only_in(new_age, grown[1])
    )
    purchased = (bought + new_bought).tocsr()
    purchased.data[:] = 1.0
    return TrainingMatrix(
        weights=(grown[0] + new_w).tocsr(), age_days=age.tocsr(), purchased=purchased, now=base.now
    )


def binarize(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Return a float32 copy with every stored value set to one."""
    out = matrix.astype(np.float32, copy=True)
    out.data[:] = 1.0
    return out


def log_scaled(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Return log1p of the weights: repeated orders count, but with diminishing returns."""
    out = matrix.astype(np.float32, copy=True)
    out.data = np.log1p(out.data)
    return out


def _summed(
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    shape: tuple[int, int],
    *,
    binary: bool = False,
) -> sp.csr_matrix:
    matrix = sp.csr_matrix((values.astype(np.float32), (rows, cols)), shape=shape)
    matrix.sum_duplicates()
    if binary:
        matrix.data = (matrix.data > 0).astype(np.float32)
        matrix.eliminate_zeros()
    return matrix


def _newest_age(
    rows: np.ndarray, cols: np.ndarray, timestamps: np.ndarray, now: float, shape: tuple[int, int]
) -> sp.csr_matrix:
    age = np.maximum(now - timestamps, 0.0) / SECONDS_PER_DAY + 1.0
    order = np.lexsort((age, cols, rows))
    rows, cols, age = rows[order], cols[order], age[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    return sp.csr_matrix((age[first].astype(np.float32), (rows[first], cols[first])), shape=shape)


def _resize(matrix: sp.csr_matrix, shape: tuple[int, int]) -> sp.csr_matrix:
    out = matrix.copy().tocsr()
    out.resize(shape)
    return out


def _only_in(a: sp.csr_matrix, b: sp.csr_matrix) -> sp.csr_matrix:
    """Entries of ``a`` where ``b`` has none (minimum() drops those)."""
    mask = binarize(b)
    return (a - a.multiply(mask)).tocsr()
