"""Collaborative filtering on orders and chat clicks: item-kNN and ALS (implicit), EASE.

Scores are computed from the user's row at request time (``row @ similarity`` or a
least-squares solve for ALS factors), so events folded in with ``partial_fit_users``
count at once, and anonymous visitors are scored from the items they clicked.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from implicit.cpu.als import AlternatingLeastSquares
from implicit.nearest_neighbours import BM25Recommender, CosineRecommender
from threadpoolctl import threadpool_limits

from recommender.base import Recommender
from recommender.catalogue import Catalogue
from recommender.data import Context
from recommender.matrix import TrainingMatrix, binarize, log_scaled


class _ItemBased(Recommender):
    """Models whose scores are ``row @ W`` for an item-item matrix ``W``."""

    binary: bool = True

    def _rows(self, rows: sp.csr_matrix) -> sp.csr_matrix:
        return binarize(rows) if self.binary else log_scaled(rows)

    def _weights(self) -> sp.csr_matrix | np.ndarray:
        raise NotImplementedError

    def score_rows(self, rows: sp.csr_matrix, context: Context | None = None) -> np.ndarray:
        scores = self._rows(rows) @ self._weights()
        return scores.toarray() if sp.issparse(scores) else np.asarray(scores)

    def explain(self, row: sp.csr_matrix, item_index: int, context: Context | None) -> str:
        return self.explain_many(row, [item_index], context)[0]

    def explain_many(
        self, row: sp.csr_matrix, item_indices: list[int], context: Context | None
    ) -> list[str]:
        sources = self.strongest_sources(row, item_indices)
        return [
            "popular with customers like you"
            if source is None
            else f"popular with customers who bought {self.catalogue_.name(source)}"
            for source in sources
        ]

    def strongest_sources(self, row: sp.csr_matrix, item_indices: list[int]) -> list[int | None]:
        """Return, per item, the item in ``row`` that contributes most to its score."""
        history = row.indices
        if not len(history) or not item_indices:
            return [None] * len(item_indices)
        weights = self._weights()[history]
        block = weights[:, item_indices]
        block = block.toarray() if sp.issparse(block) else np.asarray(block)
        contribution = block * self._rows(row).data[:, None]
        best = contribution.argmax(axis=0)
        return [int(history[b]) if contribution[b, j] > 0 else None for j, b in enumerate(best)]


class ItemKNNRecommender(_ItemBased):
    """Item-item neighbours from implicit (BM25 or cosine), the classic co-purchase model.

    Parameters
    ----------
    neighbours
        Neighbours kept per item (K); fewer is faster and sharper.
    similarity
        ``"bm25"`` damps heavy buyers and blockbuster items; ``"cosine"`` does not.
    k1, b
        BM25 parameters.
    """

    def __init__(
        self,
        neighbours: int = 100,
        similarity: str = "bm25",
        k1: float = 1.2,
        b: float = 0.75,
        binary: bool = True,
        num_threads: int = 0,
    ) -> None:
        if similarity not in ("bm25", "cosine"):
            raise ValueError("similarity must be 'bm25' or 'cosine'")
        self.neighbours = neighbours
        self.similarity = similarity
        self.k1, self.b = k1, b
        self.binary = binary
        self.num_threads = num_threads

    def _fit(self, matrix: TrainingMatrix, catalogue: Catalogue) -> None:
        if self.similarity == "bm25":
            model = BM25Recommender(
                K=self.neighbours, K1=self.k1, B=self.b, num_threads=self.num_threads
            )
        else:
            model = CosineRecommender(K=self.neighbours, num_threads=self.num_threads)
        with warnings.catch_warnings():
            # implicit converts its own BM25-weighted COO copy and warns about it.
            warnings.filterwarnings("ignore", message="Method expects CSR input")
            model.fit(self._rows(matrix.weights), show_progress=False)
        self.similarity_ = sp.csr_matrix(model.similarity, dtype=np.float32)
        self.similarity_.setdiag(0)
        self.similarity_.eliminate_zeros()

    def _weights(self) -> sp.csr_matrix:
        return self.similarity_


class EASERecommender(_ItemBased):
    """EASE (Steck 2019): a closed-form item-item regression, strong on small catalogues.

    It inverts a dense items x items matrix, so it is limited to ``max_items`` items
    (memory grows with the square); larger catalogues use item-kNN and ALS instead.
    """

    def __init__(self, regularization: float = 300.0, max_items: int = 8_000) -> None:
        self.regularization = regularization
        self.max_items = max_items

    def _fit(self, matrix: TrainingMatrix, catalogue: Catalogue) -> None:
        n_items = matrix.shape[1]
        if n_items > self.max_items:
            raise ValueError(f"EASE is limited to {self.max_items} items, got {n_items}")
        x = self._rows(matrix.weights)
        gram = (x.T @ x).toarray().astype(np.float64)
        gram[np.diag_indices(n_items)] += self.regularization
        precision = np.linalg.inv(gram)
        weights = -precision / np.diag(precision)
        weights[np.diag_indices(n_items)] = 0.0
        self.weights_ = weights.astype(np.float32)

    def _weights(self) -> np.ndarray:
        return self.weights_


class ALSRecommender(Recommender):
    """Implicit's alternating least squares; user factors are solved from the row per request.

    Parameters follow ``implicit.als.AlternatingLeastSquares``; weights are log-scaled
    (``log1p``) before fitting so that one customer's bulk orders do not dominate.
    """

    def __init__(
        self,
        factors: int = 64,
        regularization: float = 0.05,
        alpha: float = 1.0,
        iterations: int = 15,
        random_state: int = 0,
        num_threads: int = 0,
    ) -> None:
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.random_state = random_state
        self.num_threads = num_threads

    def _fit(self, matrix: TrainingMatrix, catalogue: Catalogue) -> None:
        # implicit parallelises ALS itself; a BLAS thread pool inside it only competes
        # (implicit checks this when the model is built, so both steps run under the limit).
        with threadpool_limits(1, "blas"):
            self.model_ = AlternatingLeastSquares(
                factors=self.factors,
                regularization=self.regularization,
                alpha=self.alpha,
                iterations=self.iterations,
                random_state=self.random_state,
                num_threads=self.num_threads,
            )
            self.model_.fit(log_scaled(matrix.weights), show_progress=False)
        factors = self.model_.item_factors
        self.gram_ = factors.T @ factors
        norms = np.linalg.norm(factors, axis=1, keepdims=True)
        self.normalized_items_ = factors / np.where(norms > 0, norms, 1.0)

    def user_factors(self, rows: sp.csr_matrix) -> np.ndarray:
        """Solve the user factors that best explain ``rows`` given the item factors.

        This is ALS's own user step, ``(YtY + Yt(C-1)Y + reg I) x = Yt C p``, in numpy:
        for the one or few users of a request it beats implicit's threaded solver.
        """
        rows = log_scaled(rows)
        items = self.model_.item_factors
        gram = self.gram_ + self.regularization * np.eye(self.factors, dtype=np.float32)
        out = np.zeros((rows.shape[0], items.shape[1]), dtype=np.float32)
        for u in range(rows.shape[0]):
            start, end = rows.indptr[u], rows.indptr[u + 1]
            if start == end:
                continue
            y = items[rows.indices[start:end]]
            confidence = self.alpha * rows.data[start:end]
            a = gram + (y.T * (confidence - 1.0)) @ y
            out[u] = np.linalg.solve(a, y.T @ confidence)
        return out

    def score_rows(self, rows: sp.csr_matrix, context: Context | None = None) -> np.ndarray:
        return self.user_factors(rows) @ self.model_.item_factors.T

    def similar_scores(self, item_index: int) -> np.ndarray:
        return self.normalized_items_ @ self.normalized_items_[item_index]

    def explain(self, row: sp.csr_matrix, item_index: int, context: Context | None) -> str:
        if not len(row.indices):
            return "popular with customers like you"
        similarity = self.normalized_items_[row.indices] @ self.normalized_items_[item_index]
        source = int(row.indices[int(np.argmax(similarity))])
        return f"popular with customers who bought {self.catalogue_.name(source)}"
