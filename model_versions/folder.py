"""Publishing and listing versions under one root folder."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

_VERSION = re.compile(r"^v(\d{6,})$")
_RENAME_ATTEMPTS = 100


class VersionedFolder:
    """Versions ``v000001``, ``v000002``, ... under `root`, each a complete folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def versions(self) -> list[str]:
        """The complete versions, oldest first (staging folders are not versions)."""
        if not self.root.is_dir():
            return []
        found = [p.name for p in self.root.iterdir() if _VERSION.match(p.name) and p.is_dir()]
        return sorted(found, key=lambda name: int(name[1:]))

    def latest(self) -> str | None:
        """The newest version's name, or None."""
        versions = self.versions()
        return versions[-1] if versions else None

    def path(self, version: str) -> Path:
        """The folder of one version."""
        return self.root / version

    def publish(
        self,
        write: Callable[[Path], None],
        *,
        stamp: Callable[[Path, str], None] | None = None,
    ) -> str:
        """Write a new version and return its name.

        `write(folder)` puts the files in a staging folder; `stamp(folder, version)`, if
        given, adds what names the version (it runs again if another trainer took the
        number first); then the folder is renamed into place in one step.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.root))
        try:
            write(staging)
            for _ in range(_RENAME_ATTEMPTS):
                latest = self.latest()
                version = f"v{(int(latest[1:]) + 1 if latest else 1):06d}"
                if stamp is not None:
                    stamp(staging, version)
                try:
                    staging.rename(self.root / version)
                    return version
                except OSError:  # another trainer took that number: take the next one
                    continue
            raise OSError(f"could not publish a new version under {self.root}")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
