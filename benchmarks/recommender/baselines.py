"""The baselines, run with implicit exactly as the shared protocol measured them."""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from implicit.als import AlternatingLeastSquares
from implicit.nearest_neighbours import BM25Recommender

from benchmarks.recommender.retail_dataset import Split
from recommender import RankingMetrics, ranking_metrics


@dataclass(frozen=True)
class Result:
    """One model's metrics and fit time."""

    name: str
    metrics: RankingMetrics
    fit_seconds: float


def run_baselines(data: Split, k: int = 10) -> list[Result]:
    """Fit and evaluate popularity, BM25 item-kNN and ALS on the same training window."""
    counts, users, items = _count_matrix(data)
    eval_users = sorted(data.relevant)
    rows = np.array([users[u] for u in eval_users])
    results = []

    start = time.perf_counter()
    popularity = np.asarray((counts > 0).sum(axis=0)).ravel().astype(np.float64)
    fit = time.perf_counter() - start
    scores = np.tile(popularity, (len(rows), 1))
    seen = counts[rows].nonzero()
    scores[seen] = -np.inf
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    results.append(Result("popularity", _metrics(top, items, eval_users, data, k), fit))

    models = {
        "implicit BM25 item-kNN": (BM25Recommender(), counts),
        "implicit ALS": (
            AlternatingLeastSquares(factors=64, regularization=0.05, iterations=15, random_state=0),
            _log1p(counts),
        ),
    }
    for name, (model, matrix) in models.items():
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Method expects CSR input")
            model.fit(matrix, show_progress=False)
        fit = time.perf_counter() - start
        top, _ = model.recommend(rows, matrix[rows], N=k, filter_already_liked_items=True)
        results.append(Result(name, _metrics(top, items, eval_users, data, k), fit))
    return results


def _count_matrix(data: Split) -> tuple[sp.csr_matrix, dict[int, int], list[str]]:
    """Users x items count of order lines, the matrix the baselines were measured on."""
    user_ids = sorted(set(data.interactions.user_ids.tolist()))
    item_ids = [item.id for item in data.items]
    users = {u: i for i, u in enumerate(user_ids)}
    index = {it: i for i, it in enumerate(item_ids)}
    rows = [users[u] for u in data.interactions.user_ids]
    cols = [index[i] for i in data.interactions.item_ids]
    counts = sp.csr_matrix(
        (np.ones(len(rows), np.float32), (rows, cols)), shape=(len(users), len(item_ids))
    )
    counts.sum_duplicates()
    return counts, users, item_ids


def _log1p(matrix: sp.csr_matrix) -> sp.csr_matrix:
    out = matrix.copy()
    out.data = np.log1p(out.data)
    return out


def _metrics(
    top: np.ndarray, items: list[str], users: list[int], data: Split, k: int
) -> RankingMetrics:
    recommended = [[items[j] for j in row] for row in top]
    return ranking_metrics(
        recommended, [data.relevant[u] for u in users], k=k, catalogue_size=len(items)
    )
