"""Train a lead scorer from closed leads: their form data, the day they came in, the outcome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from marketing.lead_scoring.features import LEAD_COLUMNS, lead_features
from marketing.tabular import TrainingResult, train_classifier

FOLDS = 5
SEED = 0


def train_lead_scorer(
    leads: Sequence[tuple[Mapping[str, Any], date, int]], *, folds: int = FOLDS, seed: int = SEED
) -> TrainingResult:
    """Fit on (lead data, qualified day, 1 converted / 0 lost) triples, with CV metrics.

    Features are taken as of each lead's own day, as they were when it was scored.
    """
    rows = [lead_features(data, as_of=day) for data, day, _ in leads]
    labels = [int(label) for _, _, label in leads]
    return train_classifier(rows, labels, LEAD_COLUMNS, folds=folds, seed=seed)
