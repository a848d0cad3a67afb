"""The Rasa model is retrained only when its inputs change."""

from __future__ import annotations

import shutil
from pathlib import Path

from launcher.model import TRAINING_INPUTS, model_path_for, training_data_hash
from launcher.settings import PROJECT_ROOT


def _copy_inputs(target: Path) -> Path:
    for name in TRAINING_INPUTS:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target / name)
    return target


def test_training_data_hash_is_stable_for_unchanged_inputs(tmp_path: Path) -> None:
    root = _copy_inputs(tmp_path)
    assert training_data_hash(root) == training_data_hash(root) == training_data_hash(PROJECT_ROOT)


def test_training_data_hash_changes_when_nlu_data_changes(tmp_path: Path) -> None:
    root = _copy_inputs(tmp_path)
    before = training_data_hash(root)
    nlu_file = next((root / "nlu_data").rglob("*.yml"))
    nlu_file.write_text(nlu_file.read_text() + "\n# a new comment\n")
    assert training_data_hash(root) != before


def test_training_data_hash_ignores_files_outside_the_inputs(tmp_path: Path) -> None:
    root = _copy_inputs(tmp_path)
    before = training_data_hash(root)
    (root / "README.md").write_text("unrelated")
    (root / "nlu_data" / "__pycache__").mkdir()
    (root / "nlu_data" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert training_data_hash(root) == before


def test_model_path_is_named_after_the_hash(tmp_path: Path) -> None:
    path = model_path_for(PROJECT_ROOT, tmp_path)
    assert path == tmp_path / f"{training_data_hash(PROJECT_ROOT)}.tar.gz"
