"""The Recommender base class: one contract for every model, in the shape of implicit.

How to write a model
--------------------
Subclass :class:`Recommender` and implement two methods that work on matrix indices:

- ``_fit(matrix, catalogue)`` learns from a :class:`~recommender.matrix.TrainingMatrix`
  (users x items) and the :class:`~recommender.catalogue.Catalogue`;
- ``score_rows(rows, context)`` turns user rows (a CSR matrix of interaction weights,
  one row per user, as many columns as items) into dense scores, higher is better.

Optionally override ``explain`` (a one-line reason for one item), ``similar_scores``
(item-to-item scores) and ``_fold_in`` (refresh per-user state after new events).
Everything with ids, constraints, ranking and persistence is done here, so each model
stays short and behaves the same way.

Contract (checked for every model by ``tests/recommender/contract.py``)
---------------------------------------------------------------------
- ``fit(interactions, items)`` accepts any hashable user and item ids; items only seen in
  interactions are kept but treated as out of stock.
- ``recommend(user, context=..., constraints=..., k=...)`` returns at most ``k``
  :class:`~recommender.data.Recommendation` objects, best first, each with a one-line
  reason, and **never** an item that breaks ``constraints``; an unknown user is served
  from the context, and with no context from whatever the model knows (popularity, or
  ties in catalogue order).
- ``similar_items(item_id, ...)`` never returns the item itself.
- ``partial_fit_users(interactions)`` folds new events of known or new users in without
  refitting; their next recommendations use them.
- ``save(path)`` / ``Recommender.load(path)`` round-trip a fitted model. Files are
  pickles: load only models you trained.
"""

from __future__ import annotations

import pickle
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from recommender.catalogue import Catalogue
from recommender.constraints import Constraints, allowed_mask
from recommender.data import Context, Interactions, Item, ItemId, Recommendation, UserId
from recommender.matrix import IdIndex, TrainingMatrix, build_training_matrix, merge_rows


class NotFittedError(RuntimeError):
    """Raised when a model is used before ``fit``."""


class Recommender(ABC):
    """Abstract recommender; see the module docstring for the how-to and the contract."""

    catalogue_: Catalogue
    users_: IdIndex
    matrix_: TrainingMatrix

    # --- fitting -------------------------------------------------------------------

    def fit(
        self, interactions: Interactions, items: list[Item], *, now: float | None = None
    ) -> Self:
        """Learn from interactions; ``now`` (epoch seconds, default: last event) sets ages."""
        catalogue = Catalogue(items, extra_ids=dict.fromkeys(interactions.item_ids))
        users = IdIndex()
        matrix = build_training_matrix(interactions, users, catalogue.index, now=now)
        return self.fit_matrix(matrix, catalogue, users)

    def fit_matrix(
        self, matrix: TrainingMatrix, catalogue: Catalogue, users: IdIndex | None = None
    ) -> Self:
        """Learn from prepared matrices (used by the hybrid to fit its parts once)."""
        self.catalogue_ = catalogue
        self.users_ = users if users is not None else IdIndex(range(matrix.shape[0]))
        self.matrix_ = matrix
        self._fit(matrix, catalogue)
        return self

    @abstractmethod
    def _fit(self, matrix: TrainingMatrix, catalogue: Catalogue) -> None:
        """Learn the model's parameters."""

    def partial_fit_users(self, interactions: Interactions) -> None:
        """Fold new events of known or new users in; events on unknown items are ignored."""
        self._check_fitted()
        known = np.array([i in self.catalogue_.index for i in interactions.item_ids], dtype=bool)
        if not known.any():
            return
        subset = Interactions(
            interactions.user_ids[known],
            interactions.item_ids[known],
            interactions.weights[known],
            interactions.timestamps[known],
            interactions.purchased[known],
        )
        new = build_training_matrix(
            subset, self.users_, self.catalogue_.index, now=self.matrix_.now
        )
        self.matrix_ = merge_rows(self.matrix_, new)
        self._fold_in(np.unique(self.users_.lookup(list(subset.user_ids))))

    def _fold_in(self, user_indices: np.ndarray) -> None:
        """Refresh per-user state after ``matrix_`` changed for these users."""
        return None

    def update_items(self, items: list[Item]) -> None:
        """Refresh price, stock and other attributes of known items without refitting."""
        self._check_fitted()
        self.catalogue_ = self.catalogue_.updated(items)

    # --- scoring -------------------------------------------------------------------

    @abstractmethod
    def score_rows(self, rows: sp.csr_matrix, context: Context | None = None) -> np.ndarray:
        """Return dense scores (len(rows) x n_items) for user rows of interaction weights."""

    def similar_scores(self, item_index: int) -> np.ndarray:
        """Return scores of every item for "customers who liked this item"."""
        row = sp.csr_matrix(([1.0], ([0], [item_index])), shape=(1, len(self.catalogue_)))
        return self.score_rows(row)[0]

    def explain(self, row: sp.csr_matrix, item_index: int, context: Context | None) -> str:
        """Return a one-line reason why this model suggests the item."""
        return "picked for you"

    def explain_many(
        self, row: sp.csr_matrix, item_indices: list[int], context: Context | None
    ) -> list[str]:
        """Return reasons for several items; models override it when batching is cheaper."""
        return [self.explain(row, i, context) for i in item_indices]

    def user_row(self, user: UserId | None, context: Context | None = None) -> sp.csr_matrix:
        """Return the 1 x n_items row of a user's weights plus items clicked in the context."""
        self._check_fitted()
        n_items = len(self.catalogue_)
        index = None if user is None else self.users_.get(user)
        row = (
            self.matrix_.weights[index]
            if index is not None and index < self.matrix_.shape[0]
            else sp.csr_matrix((1, n_items), dtype=np.float32)
        )
        if context and context.item_ids:
            cols = self.catalogue_.index.lookup(list(context.item_ids))
            cols = cols[cols >= 0]
            extra = sp.csr_matrix(
                (np.full(len(cols), context.item_weight, np.float32), (np.zeros_like(cols), cols)),
                shape=(1, n_items),
            )
            row = row + extra
        return sp.csr_matrix(row, dtype=np.float32)

    # --- ranking -------------------------------------------------------------------

    def recommend(
        self,
        user: UserId | None = None,
        *,
        context: Context | None = None,
        constraints: Constraints | None = None,
        k: int = 10,
    ) -> list[Recommendation]:
        """Return up to ``k`` suggestions for a customer and/or a conversation, best first.

        Items the customer looked at in this conversation (``context.item_ids``) are not
        suggested back to them.
        """
        row = self.user_row(user, context)
        scores, parts = self._score_request(row, context)
        index = None if user is None else self.users_.get(user)
        purchased = (
            self.matrix_.purchased[index].indices
            if index is not None and index < self.matrix_.shape[0]
            else None
        )
        mask = allowed_mask(self.catalogue_, constraints, purchased)
        if context is not None and context.item_ids:
            mask[
                row.indices[np.isin(row.indices, self.catalogue_.index.lookup(context.item_ids))]
            ] = False
        chosen = self._select(scores, mask, k)
        reasons = self._reasons(row, context, chosen, parts)
        return [
            Recommendation(self.catalogue_.index.ids[i], float(scores[i]), reason)
            for i, reason in zip(chosen, reasons, strict=True)
        ]

    def similar_items(
        self, item_id: ItemId, *, constraints: Constraints | None = None, k: int = 10
    ) -> list[Recommendation]:
        """Return up to ``k`` items like ``item_id`` that satisfy ``constraints``."""
        self._check_fitted()
        index = self.catalogue_.index.get(item_id)
        if index is None:
            raise KeyError(f"unknown item id {item_id!r}")
        scores = self.similar_scores(index)
        mask = allowed_mask(self.catalogue_, constraints)
        mask[index] = False
        reason = f"similar to {self.catalogue_.name(index)}"
        return [
            Recommendation(self.catalogue_.index.ids[i], float(scores[i]), reason)
            for i in self._select(scores, mask, k)
        ]

    def _score_request(self, row: sp.csr_matrix, context: Context | None) -> tuple[np.ndarray, Any]:
        """Score one request; the second value is passed on to ``_reasons``."""
        return self.score_rows(row, context)[0], None

    def _select(self, scores: np.ndarray, mask: np.ndarray, k: int) -> list[int]:
        """Return the indices of the ``k`` best allowed items (ties in catalogue order)."""
        return top_k(scores, mask, k)

    def _reasons(
        self, row: sp.csr_matrix, context: Context | None, chosen: list[int], parts: Any
    ) -> list[str]:
        return self.explain_many(row, chosen, context)

    # --- persistence ---------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the fitted model to one file."""
        self._check_fitted()
        with Path(path).open("wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: str | Path) -> Self:
        """Read a model written by ``save``; only load files you wrote yourself."""
        with Path(path).open("rb") as handle:
            model = pickle.load(handle)  # our own model files (see docstring)
        if not isinstance(model, cls):
            raise TypeError(f"{path} holds a {type(model).__name__}, not a {cls.__name__}")
        return model

    def _check_fitted(self) -> None:
        if not hasattr(self, "matrix_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet")


def top_k(scores: np.ndarray, mask: np.ndarray, k: int) -> list[int]:
    """Return indices of the ``k`` highest scores where ``mask`` holds, best first."""
    allowed = np.flatnonzero(mask)
    if k <= 0 or not len(allowed):
        return []
    values = scores[allowed]
    if len(allowed) > k:
        part = np.argpartition(-values, k - 1)[:k]
        allowed, values = allowed[part], values[part]
    order = np.lexsort((allowed, -values))
    return allowed[order].tolist()
