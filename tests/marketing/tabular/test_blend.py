"""The blended classifier: choices made on its own rows, calibration, models it keeps."""

import numpy as np
import pytest

from marketing.tabular import BlendedClassifier, TableEncoder
from tests.marketing.tabular.synthetic import COLUMNS, synthetic_table

Table = tuple[np.ndarray, np.ndarray, np.ndarray]


@pytest.fixture(scope="module")
def table() -> Table:
    rows, labels = synthetic_table(300, seed=5)
    encoder = TableEncoder(COLUMNS).fit(rows)
    return encoder.transform(rows), np.array(labels), encoder.categorical_mask


def test_small_data_gets_sigmoid_calibration_and_a_pair_per_inner_fold(table: Table) -> None:
    X, y, mask = table

    model = BlendedClassifier(mask).fit(X, y)

    assert model.calibration_ == "sigmoid"
    assert model.linear_weight_ in model.linear_weights
    assert len(model.models_) == 5
    p = model.predict_proba(X)
    assert p.shape == (300, 2) and np.allclose(p.sum(axis=1), 1.0)
    assert ((p >= 0) & (p <= 1)).all()
    assert set(model.predict(X)) <= {0, 1}


def test_without_ensemble_one_pair_is_refitted_on_all_rows(table: Table) -> None:
    X, y, mask = table

    model = BlendedClassifier(mask, ensemble=False, inner_folds=3).fit(X, y)

    assert len(model.models_) == 1
    p = model.predict_proba(X)[:, 1]
    assert p[y == 1].mean() > p[y == 0].mean() + 0.2


def test_a_model_without_weight_is_dropped(table: Table) -> None:
    X, y, mask = table

    linear_only = BlendedClassifier(mask, linear_weights=(1.0,)).fit(X, y)
    trees_only = BlendedClassifier(mask, linear_weights=(0.0,)).fit(X, y)

    assert linear_only.models_[0][0] is None and linear_only.models_[0][1] is not None
    assert trees_only.models_[0][1] is None and trees_only.models_[0][0] is not None
    for model in (linear_only, trees_only):
        p = model.predict_proba(X)[:, 1]
        assert p[y == 1].mean() > p[y == 0].mean() + 0.2


def test_the_calibration_asked_for_is_used(table: Table) -> None:
    X, y, mask = table

    assert BlendedClassifier(mask, calibration="isotonic").fit(X, y).calibration_ == "isotonic"
    with pytest.raises(ValueError, match="calibration"):
        BlendedClassifier(mask, calibration="magic").fit(X, y)


def test_same_seed_gives_the_same_model(table: Table) -> None:
    X, y, mask = table

    first = BlendedClassifier(mask, random_state=3).fit(X, y).predict_proba(X)
    again = BlendedClassifier(mask, random_state=3).fit(X, y).predict_proba(X)

    assert np.array_equal(first, again)


def test_labels_of_one_class_or_a_wrong_mask_are_refused(table: Table) -> None:
    X, y, mask = table

    with pytest.raises(ValueError, match="both classes"):
        BlendedClassifier(mask).fit(X, np.zeros_like(y))
    with pytest.raises(ValueError, match="one flag per column"):
        BlendedClassifier(mask[:-1]).fit(X, y)
