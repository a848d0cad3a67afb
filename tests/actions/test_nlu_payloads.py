"""Button payloads written as text must be questions the NLU data teaches verbatim."""

from pathlib import Path

import yaml

from actions.fallback import CHOICES

ROOT = Path(__file__).resolve().parents[2]


def _faq_examples() -> dict[str, list[str]]:
    data = yaml.safe_load((ROOT / "nlu_data/nlu/faq.yml").read_text())
    return {
        block["intent"]: [line[2:] for line in block["examples"].splitlines() if line]
        for block in data["nlu"]
    }


def test_fallback_faq_payloads_are_canonical_examples() -> None:
    examples = _faq_examples()
    for key, (_, payload) in CHOICES.items():
        if key.startswith("faq/"):
            assert examples[key][0] == payload


def test_every_faq_sub_intent_has_a_choice_and_a_response() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    for key in _faq_examples():
        assert key in CHOICES
        assert f"utter_{key}" in domain["responses"]


def test_greeting_button_payloads_are_taught() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    taught = {example for examples in _faq_examples().values() for example in examples}
    for button in domain["responses"]["utter_greet"][0]["buttons"]:
        assert button["payload"].startswith("/") or button["payload"] in taught
