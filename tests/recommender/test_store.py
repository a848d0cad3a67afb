import json
from pathlib import Path

import pytest

from recommender import ModelLoader, ModelStore, NoModelError, PopularityRecommender
from tests.recommender.catalogue_data import CATALOGUE, make_interactions


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def fitted(half_life: float | None = None) -> PopularityRecommender:
    return PopularityRecommender(half_life_days=half_life).fit(make_interactions(), CATALOGUE)


def test_store_saves_numbered_versions_with_metrics(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    assert store.save(fitted(), {"ndcg": 0.1}) == "v000001"
    assert store.save(fitted(), {"ndcg": 0.2}) == "v000002"
    assert store.versions() == ["v000001", "v000002"]
    metrics = json.loads((tmp_path / "v000002" / "metrics.json").read_text())
    assert metrics["ndcg"] == 0.2 and "saved_at" in metrics
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".staging")]


def test_loader_reloads_when_a_new_version_appears(tmp_path: Path) -> None:
    store, clock = ModelStore(tmp_path), FakeClock()
    store.save(fitted(None), {"run": 1})
    loader = ModelLoader(tmp_path, check_interval=10, clock=clock)
    first = loader.get()
    assert first.version == "v000001" and first.model.half_life_days is None

    store.save(fitted(7.0), {"run": 2})
    assert loader.get() is first  # within the interval: no look at the folder
    clock.now = 11
    second = loader.get()
    assert second.version == "v000002" and second.metrics["run"] == 2
    assert second.model.half_life_days == 7.0
    assert loader.get() is second  # loaded once, then reused


def test_loader_without_models_raises(tmp_path: Path) -> None:
    with pytest.raises(NoModelError):
        ModelLoader(tmp_path / "missing").get()


def test_loader_ignores_unfinished_staging_folders(tmp_path: Path) -> None:
    ModelStore(tmp_path).save(fitted(), {})
    (tmp_path / ".staging-abc").mkdir()
    (tmp_path / "v000009-broken").mkdir()
    assert ModelLoader(tmp_path, check_interval=0).get().version == "v000001"
