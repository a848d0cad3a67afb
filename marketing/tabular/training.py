"""Train a calibrated classifier on feature dicts: cross-validated figures, then a full fit.

The same function trains the CRM's lead scorer and the bank-marketing benchmark's model,
so the benchmark measures the code that runs in production. Validation is k-fold,
stratified and shuffled with a fixed seed; everything the model learns (categories,
typical values, blend weight, calibration) is learnt inside the training folds only.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.model_selection import StratifiedKFold

from marketing.tabular.blend import BlendedClassifier
from marketing.tabular.columns import Column, TableEncoder
from marketing.tabular.metrics import ValidationMetrics, validation_metrics

Row = Mapping[str, Any]
ModelFactory = Callable[[np.ndarray, int], BaseEstimator]
BACKGROUND_ROWS = 40  # training rows kept to explain against: stable enough, cheap to score


def blended_model(categorical: np.ndarray, seed: int) -> BaseEstimator:
    """The default model: `BlendedClassifier` with its tuned defaults."""
    return BlendedClassifier(categorical, random_state=seed)


@dataclass(frozen=True)
class Contribution:
    """How much one group of columns moves a row's probability from what is usual."""

    group: str
    change: float


class TrainedClassifier:
    """A fitted encoder and model, with a sample of training rows to explain against."""

    def __init__(
        self,
        columns: Sequence[Column],
        encoder: TableEncoder,
        model: Any,
        background: Sequence[Row] = (),
    ) -> None:
        self.columns = tuple(columns)
        self.encoder = encoder
        self.model = model
        self.background = [dict(row) for row in background]

    def predict_proba(self, rows: Sequence[Row]) -> np.ndarray:
        """The probability of class 1 for each row."""
        return self.model.predict_proba(self.encoder.transform(rows))[:, 1]

    def explain(self, row: Row) -> tuple[float, list[Contribution]]:
        """The row's probability and each column group's effect on it, largest first.

        By occlusion: the group's columns are replaced by those of each background row
        (a sample of the training rows) and the mean change in probability is recorded;
        positive means this row's values raise it above what is usual. Model-agnostic,
        and a value as common as any other (say the most frequent category) still shows
        its effect against the mix of the others.
        """
        groups: dict[str, list[str]] = {}
        for column in self.columns:
            groups.setdefault(column.explained_as, []).append(column.name)
        background = self.background or [{}]
        variants = [dict(row)]
        for names in groups.values():
            for other in background:
                variants.append({**row, **{name: other.get(name) for name in names}})
        probabilities = self.predict_proba(variants)
        occluded = probabilities[1:].reshape(len(groups), len(background)).mean(axis=1)
        found = [
            Contribution(group, float(probabilities[0] - value))
            for group, value in zip(groups, occluded, strict=True)
        ]
        return float(probabilities[0]), sorted(found, key=lambda c: -abs(c.change))


@dataclass(frozen=True)
class TrainingResult:
    """The classifier fitted on every row, its cross-validated figures and predictions."""

    classifier: TrainedClassifier
    metrics: ValidationMetrics
    cv_probabilities: np.ndarray


def cv_folds(
    labels: Sequence[int] | np.ndarray, *, folds: int = 5, seed: int = 0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The validation folds: stratified, shuffled, seeded (the same folds for every model)."""
    y = np.asarray(labels, dtype=int)
    smaller = min(int(y.sum()), int(len(y) - y.sum()))
    if smaller < folds:
        raise ValueError(f"{folds}-fold validation needs at least {folds} rows of each class")
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(y)), y))


def fit_classifier(
    rows: Sequence[Row],
    labels: Sequence[int] | np.ndarray,
    columns: Sequence[Column],
    *,
    seed: int = 0,
    make_model: ModelFactory = blended_model,
) -> TrainedClassifier:
    """Fit the encoder and the model on these rows; keep a seeded sample to explain against."""
    encoder = TableEncoder(columns).fit(rows)
    model = make_model(encoder.categorical_mask, seed)
    model.fit(encoder.transform(rows), np.asarray(labels, dtype=int))
    picked = random.Random(seed).sample(range(len(rows)), min(BACKGROUND_ROWS, len(rows)))
    return TrainedClassifier(columns, encoder, model, [rows[i] for i in sorted(picked)])


def cross_validate(
    rows: Sequence[Row],
    labels: Sequence[int] | np.ndarray,
    columns: Sequence[Column],
    *,
    folds: int = 5,
    seed: int = 0,
    make_model: ModelFactory = blended_model,
) -> tuple[ValidationMetrics, np.ndarray]:
    """Out-of-fold probabilities of a model refitted on each fold's training part, and figures."""
    y = np.asarray(labels, dtype=int)
    if len(rows) != len(y):
        raise ValueError(f"{len(rows)} rows but {len(y)} labels")
    predicted = np.zeros(len(y))
    per_fold = []
    for train, held_out in cv_folds(y, folds=folds, seed=seed):
        fitted = fit_classifier(
            [rows[i] for i in train], y[train], columns, seed=seed, make_model=make_model
        )
        predicted[held_out] = fitted.predict_proba([rows[i] for i in held_out])
        per_fold.append(validation_metrics(y[held_out], predicted[held_out]).roc_auc)
    metrics = validation_metrics(y, predicted, folds=folds, fold_roc_auc=per_fold)
    return metrics, predicted


def train_classifier(
    rows: Sequence[Row],
    labels: Sequence[int] | np.ndarray,
    columns: Sequence[Column],
    *,
    folds: int = 5,
    seed: int = 0,
    make_model: ModelFactory = blended_model,
) -> TrainingResult:
    """Cross-validate on ``folds`` folds, then fit on every row; the model is calibrated.

    ``rows`` are feature dicts keyed by the column names, ``labels`` 0 or 1.
    """
    metrics, predicted = cross_validate(
        rows, labels, columns, folds=folds, seed=seed, make_model=make_model
    )
    classifier = fit_classifier(rows, labels, columns, seed=seed, make_model=make_model)
    return TrainingResult(classifier, metrics, predicted)
