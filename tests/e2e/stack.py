"""The real assistant for end-to-end tests: Rasa, the action server and the gateway.

Started with the launcher's own process specs, so the tests exercise the commands
`make run` uses, but each process is driven separately: a test can stop Rasa or the
action server and start it again to check how the gateway behaves during an outage.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field, replace
from pathlib import Path

from crm_bridge.settings import StoreSettings
from launcher.model import ensure_model
from launcher.processes import ManagedProcess, ProcessSpec
from launcher.settings import PROJECT_ROOT, LauncherSettings
from launcher.supervisor import build_specs, prepare_recommender, prepare_store

STARTUP_TIMEOUT = 240.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def trained_model() -> Path:
    """The model for the current training data; `make test` trains it before pytest."""
    settings = LauncherSettings()
    return ensure_model(
        PROJECT_ROOT,
        settings.models_dir,
        settings.rasa_venv / "bin" / "rasa",
        log_path=PROJECT_ROOT / "var" / "logs" / "train.log",
    )


@dataclass
class Stack:
    """Three running processes on free ports over a fresh SQLite store in `data_dir`."""

    data_dir: Path
    database_url: str
    settings: LauncherSettings
    processes: dict[str, ManagedProcess] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.gateway_port}"

    @property
    def chat_url(self) -> str:
        return f"ws://127.0.0.1:{self.settings.gateway_port}/ws/chat"

    def start(self, name: str) -> None:
        """Blocks until healthy: async tests call it through `asyncio.to_thread` so their
        WebSocket clients keep answering keepalive pings meanwhile."""
        process = self.processes[name]
        process.start()
        process.wait_healthy(STARTUP_TIMEOUT, keep_waiting=lambda: True)

    def stop(self, name: str) -> None:
        self.processes[name].stop()

    def stop_all(self) -> None:
        for process in reversed(self.processes.values()):
            process.stop()


ENV_TAKERS = ("gateway", "actions")


def start_stack(data_dir: Path, extra_env: dict[str, str] | None = None) -> Stack:
    """Migrate and seed a fresh store, then start Rasa, actions and gateway; wait for all.

    `extra_env` is added to the gateway's and the action server's environment (e.g.
    TELEGRAM_* settings for the one, LEAD_* settings for both).
    """
    store = StoreSettings(data_dir=data_dir, database_url=f"sqlite:///{data_dir}/crm.sqlite3")
    settings = LauncherSettings(
        gateway_port=free_port(), rasa_port=free_port(), actions_port=free_port()
    )
    prepare_store(store.resolved_database_url(), seed_demo=True)
    prepare_recommender(store)
    specs: list[ProcessSpec] = build_specs(
        settings, store, trained_model(), settings.rasa_venv / "bin" / "rasa"
    )
    if extra_env:
        specs = [
            replace(spec, env=spec.env | extra_env) if spec.name in ENV_TAKERS else spec
            for spec in specs
        ]
    stack = Stack(data_dir, store.resolved_database_url(), settings)
    stack.processes = {spec.name: ManagedProcess(spec) for spec in specs}
    try:
        for process in stack.processes.values():
            process.start()
        for process in stack.processes.values():
            process.wait_healthy(STARTUP_TIMEOUT, keep_waiting=lambda: True)
    except BaseException:
        stack.stop_all()
        raise
    return stack
