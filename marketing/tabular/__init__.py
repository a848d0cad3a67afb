"""Calibrated probabilistic classifiers for tabular rows (feature dicts) with honest validation.

Typical use::

    columns = [numeric("budget"), categorical("authority")]
    result = train_classifier(rows, labels, columns)       # 5-fold CV metrics, then a full fit
    result.metrics.roc_auc, result.classifier.predict_proba([row])
"""

from marketing.tabular.blend import BlendedClassifier
from marketing.tabular.columns import Column, TableEncoder, categorical, numeric
from marketing.tabular.metrics import (
    ReliabilityBin,
    ValidationMetrics,
    reliability_bins,
    validation_metrics,
)
from marketing.tabular.training import (
    Contribution,
    TrainedClassifier,
    TrainingResult,
    blended_model,
    cross_validate,
    cv_folds,
    fit_classifier,
    train_classifier,
)

__all__ = [
    "BlendedClassifier",
    "Column",
    "Contribution",
    "ReliabilityBin",
    "TableEncoder",
    "TrainedClassifier",
    "TrainingResult",
    "ValidationMetrics",
    "blended_model",
    "categorical",
    "cross_validate",
    "cv_folds",
    "fit_classifier",
    "numeric",
    "reliability_bins",
    "train_classifier",
    "validation_metrics",
]
