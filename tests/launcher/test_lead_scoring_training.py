"""`python -m launcher train-lead-scorer` and the first training at start-up."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from crm_bridge.db import make_engine, make_session_factory, upgrade_to_head
from crm_bridge.demo_shop import seed_demo_shop
from crm_bridge.settings import StoreSettings
from launcher import lead_scoring_training as training
from launcher import supervisor
from launcher.__main__ import main
from marketing.lead_scoring import ScorerStore
from tests.utils.factories import lead_data, make_closed_lead


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "crm.sqlite3"
    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        seed_demo_shop(session)
        session.commit()
    engine.dispose()
    return path


@pytest.fixture
def demo_url(demo_file: Path, tmp_path: Path) -> str:
    copy = tmp_path / "crm.sqlite3"
    shutil.copyfile(demo_file, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def small_store(sqlite_url: str) -> str:
    """A store with 30 converted and 30 lost leads; decision makers convert far more."""
    rng = random.Random(0)
    engine = make_engine(sqlite_url)
    with make_session_factory(engine)() as session:
        for converted in [True] * 30 + [False] * 30:
            likely = rng.random() < (0.8 if converted else 0.2)
            authority = "decision_maker" if likely else "user"
            make_closed_lead(session, converted=converted, data=lead_data(authority=authority))
        session.commit()
    engine.dispose()
    return sqlite_url


def test_first_training_on_the_demo_history(demo_url: str, tmp_path: Path) -> None:
    root = training.lead_scoring_root(tmp_path)

    version = training.ensure_trained(demo_url, root)

    assert version == "v000001"
    metadata = json.loads((root / version / "metadata.json").read_text())
    assert metadata["rows"] > 600 and 0.3 < metadata["positives"] / metadata["rows"] < 0.5
    # The demo history's outcomes depend on the answers: far better than chance.
    assert metadata["metrics"]["roc_auc"] > 0.68
    assert metadata["metrics"]["calibration_error"] < 0.08
    assert metadata["first_lead"] < metadata["last_lead"]
    assert training.ensure_trained(demo_url, root) is None  # a version exists: no retraining
    assert ScorerStore(root).versions() == ["v000001"]


def test_too_few_closed_leads_is_said_plainly(sqlite_url: str, tmp_path: Path) -> None:
    with pytest.raises(training.NotEnoughLeads, match="only 0 converted and 0 lost"):
        training.train(sqlite_url, tmp_path / "lead_scoring")
    assert ScorerStore(tmp_path / "lead_scoring").versions() == []


def test_start_up_goes_on_with_rules_when_it_cannot_train(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = StoreSettings(data_dir=tmp_path, database_url=sqlite_url)

    supervisor.prepare_lead_scorer(store)

    out = capsys.readouterr().out
    assert "Lead scoring: only 0 converted and 0 lost leads" in out
    assert "scored by rules" in out
    assert not (tmp_path / "lead_scoring").exists() or not any(
        (tmp_path / "lead_scoring").iterdir()
    )


def test_the_command_trains_a_new_version_and_prints_its_metrics(
    small_store: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", small_store)

    assert main(["train-lead-scorer"]) == 0
    assert main(["train-lead-scorer"]) == 0

    out = capsys.readouterr().out
    assert f"v000002 in {tmp_path / 'lead_scoring' / 'v000002'}" in out
    assert "trained on 60 closed leads (30 converted)" in out
    assert "5-fold CV: ROC AUC" in out
    assert ScorerStore(tmp_path / "lead_scoring").versions() == ["v000001", "v000002"]


def test_the_command_fails_with_one_line_without_enough_leads(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", sqlite_url)

    assert main(["train-lead-scorer"]) == 2

    err = capsys.readouterr().err
    assert err.startswith("error: only 0 converted and 0 lost leads")
    assert err.count("\n") == 1
