"""Versioned lead-scorer files and a loader that follows the newest version.

Layout: ``<root>/v000001/model.joblib`` (the fitted `TrainedClassifier`) beside
``<root>/v000001/metadata.json`` (version, training date, data size, feature columns,
validation metrics). A version is written to a hidden folder and renamed into place, so a
reader never sees half a model. Only load folders your own training wrote: the model
file is a pickle.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import joblib

from marketing.tabular import TrainedClassifier, TrainingResult

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
_VERSION = re.compile(r"^v(\d{6,})$")
_RENAME_ATTEMPTS = 100

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeadScorer:
    """A trained lead scorer with its version and the metadata saved beside it."""

    version: str
    classifier: TrainedClassifier
    metadata: dict[str, Any]


class ScorerStore:
    """Save, list and load scorer versions under one root folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def versions(self) -> list[str]:
        """The complete versions, oldest first."""
        if not self.root.is_dir():
            return []
        found = [p.name for p in self.root.iterdir() if _VERSION.match(p.name) and p.is_dir()]
        return sorted(found, key=lambda name: int(name[1:]))

    def latest(self) -> str | None:
        """The newest version's name, or None."""
        versions = self.versions()
        return versions[-1] if versions else None

    def save(
        self,
        result: TrainingResult,
        *,
        trained_at: datetime,
        extra: Mapping[str, Any] | None = None,
    ) -> str:
        """Write a new version with its metadata; return its name."""
        self.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.root))
        try:
            joblib.dump(result.classifier, staging / MODEL_FILE)
            for _ in range(_RENAME_ATTEMPTS):
                latest = self.latest()
                version = f"v{(int(latest[1:]) + 1 if latest else 1):06d}"
                metadata = _metadata(version, result, trained_at, extra or {})
                (staging / METADATA_FILE).write_text(json.dumps(metadata, indent=2, default=str))
                try:
                    staging.rename(self.root / version)
                    return version
                except OSError:  # another trainer took that number: take the next one
                    continue
            raise OSError(f"could not publish a new version under {self.root}")
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def load(self, version: str) -> LeadScorer:
        """Read one version."""
        folder = self.root / version
        metadata = json.loads((folder / METADATA_FILE).read_text())
        classifier = joblib.load(folder / MODEL_FILE)  # our own files (see module docstring)
        if not isinstance(classifier, TrainedClassifier):
            raise TypeError(f"{folder / MODEL_FILE} holds a {type(classifier).__name__}")
        return LeadScorer(version, classifier, metadata)


class ScorerLoader:
    """Hand out the newest scorer, loading it once and again only when a newer one appears.

    `get()` is cheap enough for every lead: it looks at the folder at most once per
    ``check_interval`` seconds. A version that cannot be read is logged and skipped, so a
    broken file never stops scoring (the scorer held before, or rules, carry on).
    """

    def __init__(
        self,
        root: str | Path,
        check_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = ScorerStore(root)
        self.check_interval = check_interval
        self._clock = clock
        self._current: LeadScorer | None = None
        self._failed: str | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def get(self) -> LeadScorer | None:
        """The newest scorer, or None when none was trained yet."""
        now = self._clock()
        if now - self._checked_at < self.check_interval:
            return self._current
        with self._lock:
            if now - self._checked_at >= self.check_interval:
                self._refresh()
                self._checked_at = now
        return self._current

    def _refresh(self) -> None:
        latest = self.store.latest()
        known = self._current.version if self._current else None
        if latest is None or latest in (known, self._failed):
            return
        try:
            self._current = self.store.load(latest)
        except Exception:  # a half-copied or foreign file: keep what we have
            logger.exception("Could not load lead scorer %s from %s", latest, self.store.root)
            self._failed = latest


def _metadata(
    version: str, result: TrainingResult, trained_at: datetime, extra: Mapping[str, Any]
) -> dict[str, Any]:
    model = result.classifier.model
    return {
        "version": version,
        "trained_at": trained_at.isoformat(),
        "rows": result.metrics.rows,
        "positives": result.metrics.positives,
        "columns": [column.as_dict() for column in result.classifier.columns],
        "metrics": result.metrics.as_dict(),
        "model": {
            "kind": type(model).__name__,
            "linear_weight": getattr(model, "linear_weight_", None),
            "calibration": getattr(model, "calibration_", None),
        },
        **extra,
    }
