"""Versioned lead-scorer files and a loader that follows the newest version.

Layout: ``<root>/v000001/model.joblib`` (the fitted `TrainedClassifier`) beside
``<root>/v000001/metadata.json`` (version, training date, data size, feature columns,
validation metrics), published by `model_versions.VersionedFolder`. Only load folders
your own training wrote: the model file is a pickle.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import joblib

from marketing.tabular import TrainedClassifier, TrainingResult
from model_versions import LatestVersion, VersionedFolder

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"


@dataclass(frozen=True)
class LeadScorer:
    """A trained lead scorer with its version and the metadata saved beside it."""

    version: str
    classifier: TrainedClassifier
    metadata: dict[str, Any]


class ScorerStore:
    """Save, list and load scorer versions under one root folder."""

    def __init__(self, root: str | Path) -> None:
        self.folder = VersionedFolder(root)
        self.root = self.folder.root

    def versions(self) -> list[str]:
        """The complete versions, oldest first."""
        return self.folder.versions()

    def latest(self) -> str | None:
        """The newest version's name, or None."""
        return self.folder.latest()

    def save(
        self,
        result: TrainingResult,
        *,
        trained_at: datetime,
        extra: Mapping[str, Any] | None = None,
    ) -> str:
        """Write a new version with its metadata; return its name."""

        def write(staging: Path) -> None:
            joblib.dump(result.classifier, staging / MODEL_FILE)

        def stamp(staging: Path, version: str) -> None:
            metadata = _metadata(version, result, trained_at, extra or {})
            (staging / METADATA_FILE).write_text(json.dumps(metadata, indent=2, default=str))

        return self.folder.publish(write, stamp=stamp)

    def load(self, version: str) -> LeadScorer:
        """Read one version."""
        folder = self.folder.path(version)
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
        self._latest = LatestVersion(
            self.store.folder,
            self.store.load,
            version_of=lambda scorer: scorer.version,
            name="lead scorer",
            check_interval=check_interval,
            recheck_when_empty=False,
            clock=clock,
        )

    def get(self) -> LeadScorer | None:
        """The newest scorer, or None when none was trained yet."""
        return self._latest.get()


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
