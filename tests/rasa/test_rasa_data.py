"""Rasa's own checks of the assistant: data validation, test stories and held-out NLU."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.rasa.conftest import ROOT, run_rasa

pytestmark = pytest.mark.rasa

STORIES = ROOT / "tests" / "rasa" / "test_stories.yml"
HELD_OUT_NLU = ROOT / "tests" / "rasa" / "test_nlu.yml"
MIN_HELD_OUT_ACCURACY = 0.85

# Warnings Rasa 3.6 raises about correct data, which is why `--fail-on-warnings` is not
# used; every other warning fails the test.
# - The retrieval intent `faq` must be listed in domain.yml for stories to use it, and
#   Rasa also adds it from the NLU data, then warns about the "duplicate".
# - utter_default / utter_ask_rephrase are spoken by Rasa's default fallback actions,
#   never by a story step, so the validator thinks they are unused.
# - utter_greet is what action_greet (actions/greeting.py) falls back to, likewise.
KNOWN_RASA_WARNINGS = (
    "The following duplicated intents have been found across multiple domain files: faq",
    "The utterance 'utter_default' is not used in any story or rule.",
    "The utterance 'utter_ask_rephrase' is not used in any story or rule.",
    "The utterance 'utter_greet' is not used in any story or rule.",
)
_USER_WARNING = re.compile(r"UserWarning: (.*)")


def _unexpected_warnings(output: str) -> list[str]:
    return [
        warning.strip()
        for warning in _USER_WARNING.findall(output)
        if not warning.strip().startswith(KNOWN_RASA_WARNINGS)
    ]


def test_data_validates(rasa_env: Path) -> None:
    result = run_rasa(
        "data", "validate", "--config", "config.yml", "--domain", "domain.yml",
        "--data", "nlu_data",
    )  # fmt: skip

    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert _unexpected_warnings(output) == []


def _test_core(model: Path, stories: Path, out: Path) -> tuple[int, str]:
    """Run the story test; Rasa silently skips files not named `test_*`, so count them."""
    result = run_rasa(
        "test", "core", "--e2e", "--model", str(model), "--stories", str(stories),
        "--out", str(out), "--fail-on-prediction-errors",
    )  # fmt: skip
    output = result.stdout + result.stderr
    expected = len(yaml.safe_load(stories.read_text())["stories"])
    assert f"Evaluating {expected} stories" in output, output[-4000:]
    return result.returncode, output


def test_stories_are_predicted(trained_model: Path, tmp_path: Path) -> None:
    # --e2e parses each story's user text with the model, so a wrong intent (or FAQ
    # topic) fails as well as a wrong action.
    returncode, output = _test_core(trained_model, STORIES, tmp_path)

    assert returncode == 0, output[-4000:]


def test_a_wrong_story_fails(trained_model: Path, tmp_path: Path) -> None:
    """Guards the guard: the story test must fail when a prediction is wrong."""
    wrong = tmp_path / "test_wrong_stories.yml"
    wrong.write_text(STORIES.read_text().replace("intent: faq/payment", "intent: faq/returns", 1))

    returncode, _ = _test_core(trained_model, wrong, tmp_path / "out")

    assert returncode != 0


def test_held_out_nlu_accuracy(trained_model: Path, tmp_path: Path) -> None:
    """Phrasings the training data does not contain; FAQ topics scored by the selector."""
    result = run_rasa(
        "test", "nlu", "--model", str(trained_model), "--nlu", str(HELD_OUT_NLU),
        "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]

    intents = json.loads((tmp_path / "intent_report.json").read_text())
    selector = json.loads((tmp_path / "response_selection_report.json").read_text())
    assert intents["accuracy"] >= MIN_HELD_OUT_ACCURACY, _errors(tmp_path)
    assert selector["accuracy"] >= MIN_HELD_OUT_ACCURACY, _errors(tmp_path)


def _errors(folder: Path) -> str:
    errors = folder / "intent_errors.json"
    return errors.read_text()[:3000] if errors.exists() else "no intent_errors.json"
