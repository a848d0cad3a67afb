"""Training on feature dicts: cross-validated figures, a calibrated fit, reasons by occlusion."""

import numpy as np
import pytest
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from marketing.tabular import (
    TrainingResult,
    cross_validate,
    cv_folds,
    fit_classifier,
    train_classifier,
)
from tests.marketing.tabular.synthetic import COLUMNS, synthetic_table, true_probability


@pytest.fixture(scope="module")
def trained() -> TrainingResult:
    rows, labels = synthetic_table(500, seed=1)
    return train_classifier(rows, labels, COLUMNS, folds=5, seed=0)


def test_cross_validated_figures_see_the_signal(trained: TrainingResult) -> None:
    metrics = trained.metrics

    assert (metrics.rows, metrics.folds, len(metrics.fold_roc_auc)) == (500, 5, 5)
    assert metrics.roc_auc > 0.8  # the drawing process itself scores about 0.85
    assert metrics.brier < 0.18
    assert trained.cv_probabilities.shape == (500,)


def test_model_ranks_positives_higher_on_new_rows(trained: TrainingResult) -> None:
    rows, labels = synthetic_table(2_000, seed=99)

    p = trained.classifier.predict_proba(rows)

    y = np.array(labels)
    assert p[y == 1].mean() > p[y == 0].mean() + 0.25
    hot, cold = trained.classifier.predict_proba(
        [{"x": 2.0, "colour": "red", "noise": 0.0}, {"x": -2.0, "colour": "blue", "noise": 0.0}]
    )
    assert hot > 0.85 and cold < 0.1


def test_probabilities_are_calibrated(trained: TrainingResult) -> None:
    rows, labels = synthetic_table(4_000, seed=7)

    p = trained.classifier.predict_proba(rows)

    truth = np.array([true_probability(row) for row in rows])
    assert abs(p.mean() - np.mean(labels)) < 0.04
    for low, high in [(0.0, 0.2), (0.4, 0.6), (0.8, 1.0)]:
        band = (p >= low) & (p < high)
        assert abs(p[band].mean() - truth[band].mean()) < 0.08


def test_explain_names_the_dominant_column_with_its_direction(trained: TrainingResult) -> None:
    probability, high = trained.classifier.explain({"x": 2.5, "colour": "green", "noise": 0.1})
    _, low = trained.classifier.explain({"x": -2.5, "colour": "green", "noise": 0.1})

    assert probability == pytest.approx(
        trained.classifier.predict_proba([{"x": 2.5, "colour": "green", "noise": 0.1}])[0]
    )
    assert high[0].group == "x" and high[0].change > 0.3
    assert low[0].group == "x" and low[0].change < -0.1
    assert {c.group for c in high} == {"x", "colour", "noise"}


def test_explain_gives_little_effect_to_a_column_without_signal(
    trained: TrainingResult,
) -> None:
    rows, _ = synthetic_table(20, seed=11)

    for row in rows:
        _, contributions = trained.classifier.explain(row)
        effect = {c.group: abs(c.change) for c in contributions}
        assert effect["noise"] < 0.1
        assert effect["noise"] < effect["x"] or abs(row["x"]) < 0.3


def test_explain_keeps_a_seeded_sample_of_training_rows(trained: TrainingResult) -> None:
    rows, _ = synthetic_table(500, seed=1)

    assert len(trained.classifier.background) == 40
    assert all(row in rows for row in trained.classifier.background)


def test_missing_and_junk_values_still_score(trained: TrainingResult) -> None:
    p = trained.classifier.predict_proba([{}, {"x": "lots", "colour": 3, "noise": None}])

    assert ((p > 0) & (p < 1)).all()


def test_folds_are_stratified_and_seeded() -> None:
    labels = [1] * 20 + [0] * 80

    folds = cv_folds(labels, folds=5, seed=0)

    assert all(sum(labels[i] for i in held_out) == 4 for _, held_out in folds)
    assert [f[1].tolist() for f in folds] == [f[1].tolist() for f in cv_folds(labels, seed=0)]
    assert [f[1].tolist() for f in folds] != [f[1].tolist() for f in cv_folds(labels, seed=1)]


def test_too_few_rows_of_a_class_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 5 rows of each class"):
        cv_folds([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], folds=5)


def test_rows_and_labels_must_match() -> None:
    rows, labels = synthetic_table(50)

    with pytest.raises(ValueError, match="50 rows but 49 labels"):
        cross_validate(rows, labels[:-1], COLUMNS)


def test_any_sklearn_model_can_be_validated_the_same_way() -> None:
    rows, labels = synthetic_table(300, seed=3)

    metrics, p = cross_validate(
        rows, labels, COLUMNS, make_model=lambda mask, seed: _imputing_logistic()
    )
    fitted = fit_classifier(
        rows, labels, COLUMNS, make_model=lambda mask, seed: _imputing_logistic()
    )

    assert metrics.roc_auc > 0.75
    assert p.shape == (300,)
    assert fitted.predict_proba([{"x": 3, "colour": "red", "noise": 0}])[0] > 0.9


def _imputing_logistic() -> Pipeline:
    return make_pipeline(SimpleImputer(), LogisticRegression())
