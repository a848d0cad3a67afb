"""Run commands of the Rasa environment (Python 3.10) from the app environment's pytest.

Nothing here imports `rasa`: every check is a subprocess of `.venvs/rasa/bin/rasa`. The
model is trained once per test session into a temporary folder.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venvs" / "rasa" / "bin" / "rasa"
TRAIN_TIMEOUT_SECONDS = 600


def run_rasa(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `rasa <args>` from the project root with the project on PYTHONPATH."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    return subprocess.run(
        [str(RASA), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def rasa_env() -> Path:
    """The `rasa` executable; the Rasa tests skip where the environment is not set up."""
    if not RASA.exists():
        pytest.skip(f"the Rasa environment is missing ({RASA}); run the project set-up")
    return RASA


@pytest.fixture(scope="session")
def trained_model(rasa_env: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model trained from the current config, domain and data, once per session."""
    out = tmp_path_factory.mktemp("models")
    result = run_rasa(
        "train",
        "--config", "config.yml",
        "--domain", "domain.yml",
        "--data", "nlu_data",
        "--out", str(out),
        "--fixed-model-name", "under-test",
        timeout=TRAIN_TIMEOUT_SECONDS,
    )  # fmt: skip
    model = out / "under-test.tar.gz"
    assert result.returncode == 0 and model.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    return model
