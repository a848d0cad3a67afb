"""GET /healthz."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.bot.rasa_stand_in import StandInRasa


def test_health_is_ok_with_a_reachable_store(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "channels": {"web": "on", "telegram": "off (no TELEGRAM_BOT_TOKEN)"},
    }


def test_health_is_503_when_the_store_is_down(
    make_client: Callable[..., TestClient], rasa: StandInRasa
) -> None:
    client = make_client(rasa.url, database_url="postgresql://nobody:pw@127.0.0.1:1/crm")
    assert client.get("/healthz").status_code == 503
