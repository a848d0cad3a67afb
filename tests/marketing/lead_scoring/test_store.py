"""Scorer versions on disk: save, load with metadata, and a loader that follows the newest."""

import json
from datetime import UTC, datetime
from pathlib import Path

import joblib
import pytest

from marketing.lead_scoring import ScorerLoader, ScorerStore, lead_features
from marketing.tabular import TrainingResult
from tests.utils.factories import lead_data

TRAINED_AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_save_and_load_round_trip(tmp_path: Path, lead_training: TrainingResult) -> None:
    store = ScorerStore(tmp_path)

    version = store.save(lead_training, trained_at=TRAINED_AT, extra={"first_lead": "2026-01-01"})
    loaded = store.load(version)

    assert version == "v000001" and store.versions() == ["v000001"]
    rows = [lead_data(authority=a) for a in ("decision_maker", "user")]
    features = [lead_features(row, as_of=TRAINED_AT.date()) for row in rows]
    assert loaded.classifier.predict_proba(features).tolist() == (
        lead_training.classifier.predict_proba(features).tolist()
    )
    assert loaded.version == version


def test_metadata_records_version_date_size_columns_and_metrics(
    tmp_path: Path, lead_training: TrainingResult
) -> None:
    version = ScorerStore(tmp_path).save(lead_training, trained_at=TRAINED_AT, extra={"x": 1})

    metadata = json.loads((tmp_path / version / "metadata.json").read_text())

    assert metadata["version"] == version
    assert metadata["trained_at"] == "2026-11-23T12:00:00+00:00"
    assert metadata["rows"] == 240 and 0 < metadata["positives"] < 240
    assert {"name": "authority", "kind": "categorical", "group": None} in metadata["columns"]
    assert metadata["metrics"]["folds"] == 3
    assert 0.5 < metadata["metrics"]["roc_auc"] <= 1.0
    assert {"roc_auc", "average_precision", "brier"} <= set(metadata["metrics"])
    assert metadata["model"]["calibration"] == "sigmoid"
    assert metadata["x"] == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".staging")]


def test_loader_gives_none_until_a_version_exists_then_follows_newer_ones(
    tmp_path: Path, lead_training: TrainingResult
) -> None:
    clock = FakeClock()
    loader = ScorerLoader(tmp_path / "lead_scoring", check_interval=5.0, clock=clock)
    store = ScorerStore(tmp_path / "lead_scoring")

    assert loader.get() is None
    store.save(lead_training, trained_at=TRAINED_AT)
    assert loader.get() is None  # not looked again yet
    clock.now = 5.0
    first = loader.get()
    assert first is not None and first.version == "v000001"

    store.save(lead_training, trained_at=TRAINED_AT)
    clock.now = 6.0
    assert loader.get() is first
    clock.now = 10.0
    newer = loader.get()
    assert newer is not None and newer.version == "v000002"


def test_loader_skips_a_version_it_cannot_read(
    tmp_path: Path, lead_training: TrainingResult, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    store = ScorerStore(tmp_path)
    store.save(lead_training, trained_at=TRAINED_AT)
    loader = ScorerLoader(tmp_path, check_interval=1.0, clock=clock)
    assert loader.get() is not None
    broken = tmp_path / "v000002"
    broken.mkdir()
    (broken / "metadata.json").write_text("{}")
    (broken / "model.joblib").write_bytes(b"not a pickle")

    clock.now = 2.0
    kept = loader.get()

    assert kept is not None and kept.version == "v000001"
    assert "Could not load lead scorer v000002" in caplog.text


def test_loading_something_else_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "v000001"
    folder.mkdir()
    (folder / "metadata.json").write_text("{}")
    joblib.dump({"not": "a model"}, folder / "model.joblib")

    with pytest.raises(TypeError, match="holds a dict"):
        ScorerStore(tmp_path).load("v000001")
