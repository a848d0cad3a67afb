"""One child process of the assistant: start it, wait for its health check, stop it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx


@dataclass
class ProcessSpec:
    """What to run, where its output goes, and which URL answers 200 once it is ready."""

    name: str
    argv: list[str]
    health_url: str
    log_path: Path
    cwd: Path
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))


class ProcessDied(Exception):
    """The process exited while we were waiting for it; str() says which and why."""


class ManagedProcess:
    """A child in its own process group, so Ctrl-C reaches the launcher, which stops it."""

    def __init__(self, spec: ProcessSpec) -> None:
        self.spec = spec
        self._popen: subprocess.Popen[bytes] | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen else None

    def start(self) -> None:
        self.spec.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.spec.log_path.open("ab")
        try:
            self._popen = subprocess.Popen(
                self.spec.argv,
                cwd=self.spec.cwd,
                env=self.spec.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            log.close()

    def exit_code(self) -> int | None:
        """None while running."""
        return self._popen.poll() if self._popen else None

    def is_healthy(self) -> bool:
        try:
            return httpx.get(self.spec.health_url, timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_healthy(self, timeout: float, *, keep_waiting: Callable[[], bool]) -> None:
        """Poll the health URL until it answers 200; raise ProcessDied or TimeoutError."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and keep_waiting():
            if self.exit_code() is not None:
                raise ProcessDied(self.death_report())
            if self.is_healthy():
                return
            time.sleep(0.5)
        if keep_waiting():
            raise TimeoutError(
                f"{self.name} did not answer {self.spec.health_url} within {timeout:.0f} s "
                f"(log: {self.spec.log_path})"
            )

    def death_report(self) -> str:
        """Which process died, with what exit code, and the last lines it printed."""
        code = self.exit_code()
        if code is not None and code < 0:
            how = f"was killed by signal {-code}"
        else:
            how = f"exited with code {code}"
        tail = "\n    ".join(self.last_log_lines(8)) or "(no output)"
        return f"{self.name} {how}; last lines of {self.spec.log_path}:\n    {tail}"

    def last_log_lines(self, count: int) -> list[str]:
        try:
            lines = self.spec.log_path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return []
        return [line for line in lines if line.strip()][-count:]

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the process group, then SIGKILL what is left after `timeout` seconds."""
        if self._popen is None or self._popen.poll() is not None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self._popen.wait(5)

    def _signal_group(self, signum: int) -> None:
        assert self._popen is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._popen.pid, signum)
