"""RasaClient against the stand-in server, and parsing of the webhook answer."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.messages import Button, NluResult
from bot.rasa_client import RasaClient, RasaUnavailable, parse_reply
from tests.bot.rasa_stand_in import StandInRasa


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(trust_env=False) as client:
        yield client


async def test_rasa_client_returns_replies_and_parse(
    http: httpx.AsyncClient, rasa: StandInRasa
) -> None:
    client = RasaClient(http, base_url=rasa.url + "/", timeout_seconds=2)
    reply = await client.send("web-1", "hi", {"channel": "web"})
    assert rasa.requests == [{"sender": "web-1", "message": "hi", "metadata": {"channel": "web"}}]
    assert reply.messages[0].text == "You said: hi"
    assert reply.messages[0].buttons[0] == Button("Show offers", "/show_offers")
    assert reply.nlu.intent == "greet"
    assert reply.nlu.confidence == pytest.approx(0.93)


@pytest.mark.parametrize("mode", ["slow", "http_error", "garbage"])
async def test_rasa_client_raises_unavailable_on_bad_answers(
    http: httpx.AsyncClient, rasa: StandInRasa, mode: str
) -> None:
    rasa.mode = mode
    client = RasaClient(http, base_url=rasa.url, timeout_seconds=0.3)
    with pytest.raises(RasaUnavailable):
        await client.send("web-1", "hi", {})


async def test_rasa_client_raises_unavailable_when_refused(
    http: httpx.AsyncClient, rasa_down_port: int
) -> None:
    client = RasaClient(http, base_url=f"http://127.0.0.1:{rasa_down_port}", timeout_seconds=2)
    with pytest.raises(RasaUnavailable, match="cannot reach"):
        await client.send("web-1", "hi", {})
    assert await client.is_ready() is False


async def test_rasa_client_is_ready_reads_the_health_endpoint(
    http: httpx.AsyncClient, rasa: StandInRasa
) -> None:
    assert await RasaClient(http, base_url=rasa.url, timeout_seconds=1).is_ready() is True


@pytest.mark.parametrize(
    "body",
    [
        [],
        {},
        {"messages": None},
        {"messages": ["text"]},
        {"messages": [{"text": 3}]},
        {"messages": [{"text": "a", "buttons": "b"}]},
        {"messages": [{"text": "a", "buttons": [{"title": "no payload"}]}]},
        {"messages": [{"image": ["x"]}]},
        {"messages": [{"custom": "x"}]},
    ],
)
def test_parse_reply_refuses_malformed_bodies(body: object) -> None:
    with pytest.raises(ValueError):
        parse_reply(body)


def test_parse_reply_tolerates_a_missing_or_odd_parse() -> None:
    assert parse_reply({"messages": []}).nlu == NluResult()
    odd = parse_reply({"messages": [], "nlu": {"intent": 1, "confidence": True, "entities": 3}})
    assert odd.nlu == NluResult()
