"""Checks that turn configuration mistakes into one line before anything starts."""

from __future__ import annotations

import socket
from pathlib import Path

from crm_bridge.db import StoreUnavailable, check_connection
from launcher.errors import StartupError


def check_port_free(host: str, port: int, *, variable: str) -> None:
    """Refuse to start when something already listens on a port we need.

    SO_REUSEADDR, as the servers themselves use it: connections of a just-stopped run
    linger in TIME_WAIT, and without it a restart would be refused for a minute.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise StartupError(
                f"port {port} on {host} is already in use ({error.strerror}); "
                f"stop what uses it or set {variable} to a free port"
            ) from None


def check_database(url: str) -> None:
    try:
        check_connection(url)
    except StoreUnavailable as error:
        raise StartupError(str(error)) from None


def check_rasa_environment(venv: Path) -> Path:
    """Return the `rasa` executable of the Rasa environment, which `make setup` builds."""
    rasa_bin = venv / "bin" / "rasa"
    if not rasa_bin.exists():
        raise StartupError(
            f"the Rasa environment is missing ({rasa_bin} not found); run `make setup`"
        )
    return rasa_bin


def check_model(path: Path | None) -> None:
    if path is not None and not path.is_file():
        raise StartupError(f"RASA_MODEL points at {path}, which is not a model file")
