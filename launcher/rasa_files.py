"""Write the Rasa server's endpoints and credentials files from the launcher's settings."""

from __future__ import annotations

from pathlib import Path

import yaml


def write_rasa_files(data_dir: Path, *, actions_port: int) -> tuple[Path, Path]:
    """Write endpoints.yml and credentials.yml under the data folder; return their paths.

    Embedded defaults: the tracker store is a SQLite file beside the CRM store, the lock
    store is Rasa's in-memory one (one Rasa process), and the only input channel is the
    gateway's loopback channel, because the gateway owns every customer-facing channel.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    endpoints = {
        "action_endpoint": {"url": f"http://127.0.0.1:{actions_port}/webhook"},
        "tracker_store": {
            "type": "SQL",
            "dialect": "sqlite",
            "db": str((data_dir / "rasa_tracker.sqlite3").resolve()),
        },
    }
    credentials = {"rasa_ext.gateway_channel.GatewayInput": {}}
    endpoints_path = data_dir / "endpoints.yml"
    credentials_path = data_dir / "credentials.yml"
    endpoints_path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    credentials_path.write_text(yaml.safe_dump(credentials, sort_keys=False))
    return endpoints_path, credentials_path
