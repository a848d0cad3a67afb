"""Intent corrections as Rasa NLU YAML, in the format of nlu_data/nlu/*.yml."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.console.nlu_export import example_line, to_nlu_yaml
from launcher.settings import PROJECT_ROOT


def test_export_is_nlu_data_that_rasa_files_look_like() -> None:
    text = to_nlu_yaml(
        [
            ("faq/shipping", "do you ship\nto  Norway?"),
            ("ask_price", "how much is the [blue](colour) lantern"),
            ("faq/shipping", "Do you ship to norway?"),
            ("ask_price", "   "),
        ]
    )

    assert yaml.safe_load(text) == {
        "version": "3.1",
        "nlu": [
            {"intent": "ask_price", "examples": "- how much is the blue colour lantern\n"},
            {"intent": "faq/shipping", "examples": "- do you ship to Norway?\n"},
        ],
    }
    assert '\nversion: "3.1"\n\nnlu:\n  - intent: ask_price\n    examples: |\n      - ' in text
    # Same layout as the project's own training files.
    own = (Path(PROJECT_ROOT) / "nlu_data" / "nlu" / "handover.yml").read_text()
    assert own.startswith('version: "3.1"\n\nnlu:\n  - intent: request_human\n    examples: |\n')


def test_empty_export_is_still_valid() -> None:
    assert yaml.safe_load(to_nlu_yaml([])) == {"version": "3.1", "nlu": []}


def test_example_line_keeps_words_and_drops_annotation_characters() -> None:
    assert example_line("  a (b)\t[c]  ") == "a b c"
