"""Configuration errors stop start-up with one line that names the problem."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from launcher.errors import StartupError
from launcher.preflight import check_port_free
from launcher.settings import PROJECT_ROOT
from tests.e2e.stack import free_port


def _prepare(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, DATA_DIR=str(tmp_path), SEED_DEMO_SHOP="false", **env)
    full_env.setdefault("GATEWAY_PORT", str(free_port()))
    full_env.setdefault("RASA_PORT", str(free_port()))
    full_env.setdefault("ACTIONS_PORT", str(free_port()))
    return subprocess.run(
        [sys.executable, "-m", "launcher", "prepare"],
        cwd=PROJECT_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    port = free_port()
    line = _one_error_line(
        _prepare(tmp_path, DATABASE_URL=f"postgresql://shop:secret@127.0.0.1:{port}/crm")
    )
    assert f"127.0.0.1:{port}" in line
    assert "secret" not in line


def test_malformed_database_url_is_one_line(tmp_path: Path) -> None:
    line = _one_error_line(_prepare(tmp_path, DATABASE_URL="not a url at all"))
    assert "DATABASE_URL" in line or "database" in line.lower()


def test_taken_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        line = _one_error_line(_prepare(tmp_path, RASA_PORT=str(port)))
    assert f"port {port}" in line and "RASA_PORT" in line


def test_missing_model_is_one_line(tmp_path: Path) -> None:
    line = _one_error_line(_prepare(tmp_path, RASA_MODEL=str(tmp_path / "nope.tar.gz")))
    assert "nope.tar.gz" in line


def test_port_with_only_lingering_connections_counts_as_free() -> None:
    """A port whose last server stopped (connections in TIME_WAIT) can be used again."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = server.accept()
        accepted.close()  # the server side closes first, so its end lingers in TIME_WAIT
        client.close()
    check_port_free("127.0.0.1", port, variable="GATEWAY_PORT")


def test_port_with_a_listener_is_refused() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with pytest.raises(StartupError, match=f"port {port} on 127.0.0.1 is already in use"):
            check_port_free("127.0.0.1", port, variable="GATEWAY_PORT")
