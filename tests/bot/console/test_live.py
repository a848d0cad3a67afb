"""The console's live socket: same origin only, closed when the session ends."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from bot.console.routes import live
from crm_bridge.column_types import utcnow
from crm_bridge.models import StaffSession
from tests.bot.console.conftest import AGENT
from tests.bot.console.helpers import login


def test_live_socket_refuses_another_sites_origin(app_client: TestClient, agent_id: int) -> None:
    login(app_client, AGENT)

    with (
        pytest.raises((WebSocketDisconnect, WebSocketDenialResponse)),
        app_client.websocket_connect(
            "/console/live", headers={"origin": "https://evil.example"}
        ) as socket,
    ):
        socket.receive_json()

    with app_client.websocket_connect(
        "/console/live", headers={"origin": "http://testserver"}
    ) as socket:
        socket.close()


def test_live_socket_closes_when_the_session_ends(
    app_client: TestClient,
    agent_id: int,
    store: Callable[[], Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(live, "RECHECK_SECONDS", 0.1)
    login(app_client, AGENT)

    with app_client.websocket_connect("/console/live") as socket:
        with store() as session:
            session.execute(sa.update(StaffSession).values(ended_at=utcnow()))
            session.commit()
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()

    assert closed.value.code == live.SESSION_ENDED
