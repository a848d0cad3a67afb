"""Training a lead scorer from (data, day, outcome) triples."""

import random
from datetime import date, timedelta

from marketing.lead_scoring import LEAD_COLUMNS, train_lead_scorer
from marketing.tabular import TrainingResult
from tests.utils.factories import lead_data


def test_scorer_trains_on_every_lead_with_validation_figures(
    lead_training: TrainingResult,
) -> None:
    metrics = lead_training.metrics

    assert (metrics.rows, metrics.folds) == (240, 3)
    assert metrics.roc_auc > 0.75  # authority alone separates 0.85 / 0.35 / 0.05
    assert lead_training.classifier.columns == LEAD_COLUMNS


def test_features_are_taken_as_of_each_leads_own_day() -> None:
    rng = random.Random(4)
    leads = []
    for _ in range(120):
        day = date(2025, 1, 1) + timedelta(days=rng.randint(0, 700))
        soon = rng.random() < 0.5
        start = day + timedelta(days=10 if soon else 200)
        timeline = {"label": "x", "start": start.isoformat(), "end": None}
        data = lead_data(timeline=timeline | {"asap": False, "just_looking": False})
        leads.append((data, day, int(soon)))

    result = train_lead_scorer(leads, folds=3)

    # Only days counted from each lead's own day tell the two kinds apart.
    assert result.metrics.roc_auc > 0.95
