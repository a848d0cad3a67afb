"""Train the Rasa model only when its inputs changed, keyed by a content hash.

The model file is named after the hash of `config.yml`, `domain.yml`, `nlu_data/`,
`rasa_ext/` (custom components) and the Rasa lock file, so a second `make run` with
unchanged data finds the model and starts without training.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from launcher.errors import StartupError

TRAINING_INPUTS = ("config.yml", "domain.yml", "nlu_data", "rasa_ext", "requirements/rasa.lock")


def _input_files(root: Path) -> Iterator[Path]:
    for name in TRAINING_INPUTS:
        path = root / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def training_data_hash(root: Path) -> str:
    """Hash of every file that changes what `rasa train` produces (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(_input_files(root)):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def model_path_for(root: Path, models_dir: Path) -> Path:
    """Where the model for the current training data lives (it may not exist yet)."""
    return models_dir / f"{training_data_hash(root)}.tar.gz"


def rasa_env(root: Path) -> dict[str, str]:
    """Environment for Rasa commands: project on the path, no telemetry, quiet TensorFlow."""
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(root),
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        RASA_CACHE_DIRECTORY=str(root / "var" / "rasa_cache"),
    )
    return env


def ensure_model(root: Path, models_dir: Path, rasa_bin: Path, *, log_path: Path) -> Path:
    """Return the model for the current data, training it first when it is missing.

    Training writes into a scratch folder and renames at the end, so an interrupted
    training never leaves a half-written model under the final name.
    """
    target = model_path_for(root, models_dir)
    if target.exists():
        return target
    scratch = models_dir / f".training-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(rasa_bin), "train",
        "--config", "config.yml", "--domain", "domain.yml", "--data", "nlu_data",
        "--out", str(scratch), "--fixed-model-name", target.name.removesuffix(".tar.gz"),
    ]  # fmt: skip
    try:
        with log_path.open("w") as log:
            result = subprocess.run(
                command, cwd=root, env=rasa_env(root), stdout=log, stderr=subprocess.STDOUT
            )
        trained = scratch / target.name
        if result.returncode != 0 or not trained.exists():
            raise StartupError(
                f"training the Rasa model failed (exit {result.returncode}): "
                f"{_last_line(log_path)} (full log: {log_path})"
            )
        os.replace(trained, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def _last_line(path: Path) -> str:
    lines = [line.strip() for line in path.read_text(errors="replace").splitlines()]
    meaningful = [line for line in lines if line]
    return meaningful[-1] if meaningful else "no output"
