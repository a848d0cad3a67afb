"""Versioned model files and a loader that follows the newest version.

Layout: one folder per version under a root, ``<root>/v000001/model.pkl`` and
``<root>/v000001/metrics.json``, published by `model_versions.VersionedFolder`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from model_versions import LatestVersion, VersionedFolder
from recommender.base import Recommender

MODEL_FILE = "model.pkl"
METRICS_FILE = "metrics.json"


class NoModelError(LookupError):
    """Raised when the model folder holds no version yet."""


@dataclass(frozen=True)
class LoadedModel:
    """A model with the version it came from and the metrics saved beside it."""

    version: str
    model: Recommender
    metrics: dict[str, Any]


class ModelStore:
    """Save and list model versions under one root folder."""

    def __init__(self, root: str | Path) -> None:
        self.folder = VersionedFolder(root)
        self.root = self.folder.root

    def versions(self) -> list[str]:
        """Return the complete versions, oldest first."""
        return self.folder.versions()

    def latest(self) -> str | None:
        """Return the newest version's name, or None."""
        return self.folder.latest()

    def save(self, model: Recommender, metrics: Mapping[str, Any]) -> str:
        """Write a new version with its metrics; return its name."""

        def write(staging: Path) -> None:
            model.save(staging / MODEL_FILE)
            record = {"saved_at": datetime.now(UTC).isoformat(), **metrics}
            (staging / METRICS_FILE).write_text(json.dumps(record, indent=2, default=str))

        return self.folder.publish(write)

    def load(self, version: str) -> LoadedModel:
        """Read one version."""
        folder = self.folder.path(version)
        metrics = json.loads((folder / METRICS_FILE).read_text())
        return LoadedModel(version, Recommender.load(folder / MODEL_FILE), metrics)


class ModelLoader:
    """Hand out the newest model, loading it once and again only when a newer one appears.

    ``get()`` is cheap enough to call on every request: it looks at the folder at most
    once per ``check_interval`` seconds and otherwise returns the model it holds.
    """

    def __init__(
        self,
        root: str | Path,
        check_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = ModelStore(root)
        self._latest = LatestVersion(
            self.store.folder,
            self.store.load,
            version_of=lambda loaded: loaded.version,
            name="recommender model",
            check_interval=check_interval,
            clock=clock,
        )

    def get(self) -> LoadedModel:
        """Return the newest model; raise NoModelError when none was saved yet."""
        loaded = self._latest.get()
        if loaded is None:
            raise NoModelError(f"no model saved under {self.store.root}")
        return loaded
