"""Publishing versions: complete folders, numbered in order, never half written."""

from pathlib import Path

import pytest

from model_versions import VersionedFolder


def _write(text: str):
    def write(staging: Path) -> None:
        (staging / "model.txt").write_text(text)

    return write


def test_publish_numbers_versions_and_lists_them_oldest_first(tmp_path: Path) -> None:
    folder = VersionedFolder(tmp_path / "models")
    assert folder.versions() == [] and folder.latest() is None

    first = folder.publish(_write("one"))
    second = folder.publish(_write("two"))

    assert (first, second) == ("v000001", "v000002")
    assert folder.versions() == ["v000001", "v000002"] and folder.latest() == "v000002"
    assert (folder.path(second) / "model.txt").read_text() == "two"


def test_stamp_names_the_version_it_is_published_as(tmp_path: Path) -> None:
    folder = VersionedFolder(tmp_path)
    folder.publish(_write("one"))

    def stamp(staging: Path, version: str) -> None:
        (staging / "version.txt").write_text(version)

    version = folder.publish(_write("two"), stamp=stamp)
    assert (folder.path(version) / "version.txt").read_text() == "v000002"


def test_a_failed_write_leaves_no_version_and_no_staging_folder(tmp_path: Path) -> None:
    folder = VersionedFolder(tmp_path)

    def broken(staging: Path) -> None:
        (staging / "half.txt").write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        folder.publish(broken)
    assert folder.versions() == [] and list(tmp_path.iterdir()) == []


def test_folders_that_are_not_versions_are_ignored(tmp_path: Path) -> None:
    (tmp_path / ".staging-abc").mkdir()
    (tmp_path / "v12").mkdir()
    (tmp_path / "v000003").write_text("a file, not a folder")
    assert VersionedFolder(tmp_path).versions() == []
