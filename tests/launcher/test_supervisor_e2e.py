"""`python -m launcher run` (what `make run` calls) starts, reports and stops everything."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from launcher.settings import PROJECT_ROOT
from tests.e2e.stack import free_port, trained_model

pytestmark = pytest.mark.e2e


class LauncherRun:
    """The launcher as a child process, with its output collected line by line."""

    def __init__(self, data_dir: Path) -> None:
        self.gateway_port = free_port()
        env = dict(
            os.environ,
            DATA_DIR=str(data_dir),
            GATEWAY_PORT=str(self.gateway_port),
            RASA_PORT=str(free_port()),
            ACTIONS_PORT=str(free_port()),
            RASA_MODEL=str(trained_model()),
        )
        env.pop("DATABASE_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "launcher", "run"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, timeout: float = 240.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            assert self.process.poll() is None or text in self.output, self.output
            assert time.monotonic() < deadline, f"no {text!r} in:\n{self.output}"
            time.sleep(0.2)

    def child_pids(self) -> dict[str, int]:
        return {m[1]: int(m[2]) for m in re.finditer(r"Started (\w+) \(pid (\d+)\)", self.output)}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def launcher_run(tmp_path: Path) -> Iterator[LauncherRun]:
    run = LauncherRun(tmp_path)
    yield run
    if run.process.poll() is None:
        run.process.kill()
        run.process.wait(30)


def test_run_prints_addresses_serves_the_shop_and_stops_on_ctrl_c(
    launcher_run: LauncherRun,
) -> None:
    launcher_run.wait_for("Press Ctrl-C to stop.")
    shop = f"http://127.0.0.1:{launcher_run.gateway_port}/"
    assert shop in launcher_run.output
    page = httpx.get(shop, timeout=10)
    assert page.status_code == 200 and "chat-widget.js" in page.text
    pids = launcher_run.child_pids()
    assert set(pids) == {"rasa", "actions", "gateway"}

    launcher_run.process.send_signal(signal.SIGINT)
    assert launcher_run.process.wait(60) == 0, launcher_run.output
    assert "All processes stopped." in launcher_run.output
    assert not any(_alive(pid) for pid in pids.values())


def test_a_dying_process_is_named_and_the_others_are_stopped(launcher_run: LauncherRun) -> None:
    launcher_run.wait_for("Press Ctrl-C to stop.")
    pids = launcher_run.child_pids()

    os.kill(pids["actions"], signal.SIGKILL)

    assert launcher_run.process.wait(60) == 1, launcher_run.output
    assert "actions was killed by signal 9" in launcher_run.output
    assert not any(_alive(pid) for pid in pids.values())
