"""Validation figures of a probabilistic classifier: ranking, precision and calibration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score


@dataclass(frozen=True)
class ReliabilityBin:
    """Predictions in one probability band: how many, their mean, and the share that were 1."""

    low: float
    high: float
    count: int
    mean_predicted: float
    observed_rate: float


@dataclass(frozen=True)
class ValidationMetrics:
    """Cross-validated figures over out-of-fold predictions, with the spread over folds."""

    roc_auc: float
    average_precision: float
    brier: float
    log_loss: float
    calibration_error: float
    rows: int
    positives: int
    folds: int
    fold_roc_auc: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, float | int | list[float]]:
        """JSON-ready figures, rounded to what is meaningful."""
        return {
            key: [round(v, 4) for v in value] if isinstance(value, list) else _round(value)
            for key, value in asdict(self).items()
        }


def validation_metrics(
    y: Sequence[int] | np.ndarray,
    p: Sequence[float] | np.ndarray,
    *,
    folds: int = 1,
    fold_roc_auc: Sequence[float] = (),
) -> ValidationMetrics:
    """ROC AUC, average precision, Brier score, log loss and calibration error of ``p``."""
    labels, probabilities = np.asarray(y, dtype=int), np.asarray(p, dtype=float)
    return ValidationMetrics(
        roc_auc=float(roc_auc_score(labels, probabilities)),
        average_precision=float(average_precision_score(labels, probabilities)),
        brier=float(brier_score_loss(labels, probabilities)),
        log_loss=float(log_loss(labels, np.clip(probabilities, 1e-6, 1 - 1e-6), labels=[0, 1])),
        calibration_error=expected_calibration_error(labels, probabilities),
        rows=len(labels),
        positives=int(labels.sum()),
        folds=folds,
        fold_roc_auc=[float(v) for v in fold_roc_auc],
    )


def reliability_bins(
    y: Sequence[int] | np.ndarray, p: Sequence[float] | np.ndarray, *, bins: int = 10
) -> list[ReliabilityBin]:
    """Predictions grouped in equal-count bands (deciles by default), for a reliability plot."""
    labels, probabilities = np.asarray(y, dtype=int), np.asarray(p, dtype=float)
    order = np.argsort(probabilities, kind="stable")
    result = []
    for part in np.array_split(order, bins):
        if len(part) == 0:
            continue
        result.append(
            ReliabilityBin(
                low=float(probabilities[part].min()),
                high=float(probabilities[part].max()),
                count=len(part),
                mean_predicted=float(probabilities[part].mean()),
                observed_rate=float(labels[part].mean()),
            )
        )
    return result


def expected_calibration_error(
    y: Sequence[int] | np.ndarray, p: Sequence[float] | np.ndarray, *, bins: int = 10
) -> float:
    """Mean gap between predicted and observed rates over equal-count bins, weighted by size."""
    found = reliability_bins(y, p, bins=bins)
    total = sum(b.count for b in found)
    return float(sum(b.count * abs(b.mean_predicted - b.observed_rate) for b in found) / total)


def _round(value: float | int) -> float | int:
    return value if isinstance(value, int) else round(float(value), 4)
