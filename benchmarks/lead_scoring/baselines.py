"""The protocol's two baselines, validated on the same folds as our model.

- logistic regression: one-hot categories, standardised numbers (measured before: 0.765);
- HistGradientBoosting with default settings and native categorical splits (0.798).

Both see the raw columns only (no day of the year), as when the anchors were measured.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def logistic_regression(categorical: np.ndarray, seed: int) -> BaseEstimator:
    """One-hot + scaling + logistic regression (sklearn defaults otherwise)."""
    features = ColumnTransformer(
        [
            ("numbers", StandardScaler(), np.flatnonzero(~categorical).tolist()),
            (
                "categories",
                OneHotEncoder(handle_unknown="ignore"),
                np.flatnonzero(categorical).tolist(),
            ),
        ]
    )
    return make_pipeline(features, LogisticRegression(max_iter=2_000))


def gradient_boosting(categorical: np.ndarray, seed: int) -> BaseEstimator:
    """HistGradientBoostingClassifier with its defaults and native categorical support."""
    return HistGradientBoostingClassifier(categorical_features=categorical, random_state=seed)


BASELINES = {
    "logistic regression": logistic_regression,
    "HistGradientBoosting (default)": gradient_boosting,
}
ANCHORS = {"logistic regression": 0.765, "HistGradientBoosting (default)": 0.798}
