"""The action server's own registry loads our package and finds every domain action."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

from launcher.settings import PROJECT_ROOT

# Our actions, and the forms' validation actions (`validate_<form>`).
CUSTOM_PREFIXES = ("action_", "validate_")


def _domain_custom_actions() -> set[str]:
    domain = yaml.safe_load(Path(PROJECT_ROOT / "domain.yml").read_text())
    return {name for name in domain.get("actions", []) if name.startswith(CUSTOM_PREFIXES)}


def test_registry_loads_the_package_and_knows_every_domain_action() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")  # what `python -m rasa_sdk --actions actions` does

    registered = set(executor.actions)
    assert _domain_custom_actions() <= registered
    assert all(name.startswith(CUSTOM_PREFIXES) for name in registered), registered
    assert "validate_lead_form" in registered
