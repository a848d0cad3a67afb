"""Versioned model files and a loader that follows the newest version.

Layout: one folder per version under a root, ``<root>/v000001/model.pkl`` and
``<root>/v000001/metrics.json``. A version is written to a hidden temporary folder and
renamed into place, so a reader never sees half a model.
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from recommender.base import Recommender

MODEL_FILE = "model.pkl"
METRICS_FILE = "metrics.json"
_VERSION = re.compile(r"^v(\d{6,})$")
_RENAME_ATTEMPTS = 100


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
        self.root = Path(root)

    def versions(self) -> list[str]:
        """Return the complete versions, oldest first."""
        if not self.root.is_dir():
            return []
        found = [p.name for p in self.root.iterdir() if _VERSION.match(p.name) and p.is_dir()]
        return sorted(found, key=lambda name: int(name[1:]))

    def latest(self) -> str | None:
        """Return the newest version's name, or None."""
        versions = self.versions()
        return versions[-1] if versions else None

    def save(self, model: Recommender, metrics: Mapping[str, Any]) -> str:
        """Write a new version with its metrics; return its name."""
        self.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.root))
        model.save(staging / MODEL_FILE)
        record = {"saved_at": datetime.now(UTC).isoformat(), **metrics}
        (staging / METRICS_FILE).write_text(json.dumps(record, indent=2, default=str))
        for _ in range(_RENAME_ATTEMPTS):
            latest = self.latest()
            version = f"v{(int(latest[1:]) + 1 if latest else 1):06d}"
            try:
                staging.rename(self.root / version)
                return version
            except OSError:  # another trainer took that number: take the next one
                continue
        raise OSError(f"could not publish a new version under {self.root}")

    def load(self, version: str) -> LoadedModel:
        """Read one version."""
        folder = self.root / version
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
        self.check_interval = check_interval
        self._clock = clock
        self._current: LoadedModel | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def get(self) -> LoadedModel:
        """Return the newest model; raise NoModelError when none was saved yet."""
        now = self._clock()
        if self._current is not None and now - self._checked_at < self.check_interval:
            return self._current
        with self._lock:
            if self._current is None or now - self._checked_at >= self.check_interval:
                self._refresh()
                self._checked_at = now
        if self._current is None:
            raise NoModelError(f"no model saved under {self.store.root}")
        return self._current

    def _refresh(self) -> None:
        latest = self.store.latest()
        if latest is not None and (self._current is None or latest != self._current.version):
            self._current = self.store.load(latest)
