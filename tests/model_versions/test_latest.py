"""Following the newest version: loaded once, re-read only when a newer one appears."""

from pathlib import Path

import pytest

from model_versions import LatestVersion, VersionedFolder


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _publish(folder: VersionedFolder, text: str) -> str:
    return folder.publish(lambda staging: (staging / "model.txt").write_text(text))


def _follower(folder: VersionedFolder, clock: _Clock, loads: list[str], **options: object):
    def load(version: str) -> tuple[str, str]:
        loads.append(version)
        return version, (folder.path(version) / "model.txt").read_text()

    return LatestVersion(
        folder, load, version_of=lambda loaded: loaded[0], check_interval=5.0, clock=clock,
        **options,
    )  # fmt: skip


def test_follows_newer_versions_after_the_check_interval(tmp_path: Path) -> None:
    folder, clock, loads = VersionedFolder(tmp_path), _Clock(), []
    latest = _follower(folder, clock, loads)
    assert latest.get() is None

    _publish(folder, "one")
    assert latest.get() == ("v000001", "one")  # nothing loaded yet: looks at once
    _publish(folder, "two")
    clock.now = 4.0
    assert latest.get() == ("v000001", "one")
    clock.now = 5.0
    assert latest.get() == ("v000002", "two")
    clock.now = 20.0
    latest.get()
    assert loads == ["v000001", "v000002"]  # each version loaded once


def test_without_recheck_when_empty_it_waits_for_the_interval(tmp_path: Path) -> None:
    folder, clock = VersionedFolder(tmp_path), _Clock()
    latest = _follower(folder, clock, [], recheck_when_empty=False)
    assert latest.get() is None
    _publish(folder, "one")
    assert latest.get() is None
    clock.now = 5.0
    assert latest.get() == ("v000001", "one")


def test_a_version_that_cannot_load_is_logged_and_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder, clock = VersionedFolder(tmp_path), _Clock()
    latest = _follower(folder, clock, [], name="test model")
    _publish(folder, "one")
    assert latest.get() == ("v000001", "one")
    folder.publish(lambda staging: None)  # v000002 without its model file

    clock.now = 5.0
    assert latest.get() == ("v000001", "one")
    assert "Could not load test model v000002" in caplog.text
