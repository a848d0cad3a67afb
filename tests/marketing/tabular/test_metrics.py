"""Validation figures: ranking, precision, Brier score and calibration bins."""

import numpy as np
import pytest

from marketing.tabular import reliability_bins, validation_metrics


def test_perfect_predictions_score_perfectly() -> None:
    metrics = validation_metrics([0, 0, 1, 1], [0.0, 0.0, 1.0, 1.0])

    assert metrics.roc_auc == 1.0
    assert metrics.average_precision == 1.0
    assert metrics.brier == 0.0
    assert metrics.calibration_error == 0.0
    assert (metrics.rows, metrics.positives) == (4, 2)


def test_reversed_predictions_rank_worst() -> None:
    metrics = validation_metrics([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])

    assert metrics.roc_auc == 0.0
    assert metrics.brier == pytest.approx((0.81 + 0.64 + 0.64 + 0.81) / 4)


def test_calibration_error_sees_overconfidence() -> None:
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 1, 20_000)
    y = (rng.uniform(0, 1, p.size) < p).astype(int)

    honest = validation_metrics(y, p).calibration_error
    overconfident = validation_metrics(y, np.clip(p * 1.6 - 0.3, 0, 1)).calibration_error

    assert honest < 0.02
    assert overconfident > 3 * honest


def test_reliability_bins_cover_every_prediction_in_order() -> None:
    p = np.linspace(0, 1, 95)
    y = (p > 0.5).astype(int)

    bins = reliability_bins(y, p, bins=10)

    assert len(bins) == 10
    assert sum(b.count for b in bins) == 95
    assert [b.mean_predicted for b in bins] == sorted(b.mean_predicted for b in bins)
    assert bins[0].observed_rate == 0.0 and bins[-1].observed_rate == 1.0


def test_as_dict_is_rounded_json_data() -> None:
    metrics = validation_metrics([0, 1, 0, 1], [0.1234567, 0.7, 0.3, 0.9], fold_roc_auc=[0.5])

    figures = metrics.as_dict()

    assert figures["brier"] == round(metrics.brier, 4)
    assert figures["fold_roc_auc"] == [0.5]
    assert figures["rows"] == 4
