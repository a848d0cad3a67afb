"""Following the newest version of a model folder."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from model_versions.folder import VersionedFolder

logger = logging.getLogger(__name__)

T = TypeVar("T")


class LatestVersion(Generic[T]):
    """Hand out the newest version, loading it once and again only when a newer one appears.

    `get()` is cheap enough for every request: it looks at the folder at most once per
    `check_interval` seconds (while nothing is loaded, at every call when
    `recheck_when_empty`). A version that cannot be loaded (half-copied, foreign) is
    logged with `name` and skipped, so a broken file never replaces a working model.
    """

    def __init__(
        self,
        folder: VersionedFolder,
        load: Callable[[str], T],
        *,
        version_of: Callable[[T], str],
        name: str = "model",
        check_interval: float = 5.0,
        recheck_when_empty: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = folder
        self.name = name
        self.recheck_when_empty = recheck_when_empty
        self.check_interval = check_interval
        self._load = load
        self._version_of = version_of
        self._clock = clock
        self._current: T | None = None
        self._failed: str | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def get(self) -> T | None:
        """The newest loadable version, or None when none was published yet."""
        now = self._clock()
        if not self._due(now):
            return self._current
        with self._lock:
            if self._due(now):
                self._refresh()
                self._checked_at = now
        return self._current

    def _due(self, now: float) -> bool:
        if self._current is None and self.recheck_when_empty:
            return True
        return now - self._checked_at >= self.check_interval

    def _refresh(self) -> None:
        latest = self.folder.latest()
        known = self._version_of(self._current) if self._current is not None else None
        if latest is None or latest in (known, self._failed):
            return
        try:
            self._current = self._load(latest)
        except Exception:  # a half-copied or foreign file: keep what we have
            logger.exception("Could not load %s %s from %s", self.name, latest, self.folder.root)
            self._failed = latest
