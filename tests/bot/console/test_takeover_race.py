"""Two agents press "Take over" at the same moment: over HTTP against the real gateway
(uvicorn) on SQLite and on PostgreSQL, exactly one gets the conversation."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
import uvicorn

from bot.main import create_app
from bot.settings import GatewaySettings, TelegramSettings
from crm_bridge import db
from crm_bridge.enums import ConversationStatus, HandoverStatus, SenderType, StaffRole
from crm_bridge.models import Conversation, Handover, Message
from crm_bridge.settings import StoreSettings
from tests.bot.console.conftest import console_settings
from tests.bot.console.helpers import PASSWORD, form_token, make_staff, page_token
from tests.bot.helpers import TEST_SECRET
from tests.bot.rasa_stand_in import StandInRasa, free_port
from tests.conftest import BACKENDS
from tests.utils.databases import own_store_url
from tests.utils.factories import make_conversation, make_handover

ROUNDS = 4


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from own_store_url(request, request.param, tmp_path)


@pytest.fixture
def gateway(database_url: str, tmp_path: Path) -> Iterator[str]:
    """The gateway served by uvicorn on a free port."""
    rasa = StandInRasa().start()
    port = free_port()
    app = create_app(
        GatewaySettings(rasa_url=rasa.url, rasa_timeout_seconds=2, session_secret=TEST_SECRET),
        StoreSettings(data_dir=tmp_path, database_url=database_url),
        TelegramSettings(_env_file=None, telegram_bot_token=None),
        console_settings=console_settings(),
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "gateway did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    rasa.stop()


def _signed_in(base_url: str, email: str) -> tuple[httpx.Cookies, str]:
    with httpx.Client(base_url=base_url, trust_env=False) as client:
        token = form_token(client.get("/console/login").text)
        response = client.post(
            "/console/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 303, response.text
        return client.cookies, page_token(client.get("/console/conversations").text)


async def _claim(base_url: str, cookies: httpx.Cookies, csrf: str, conversation_id: int) -> int:
    async with httpx.AsyncClient(base_url=base_url, cookies=cookies, trust_env=False) as client:
        response = await client.post(
            f"/console/conversations/{conversation_id}/take-over",
            headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
        )
        return response.status_code


async def _race(
    base_url: str, agents: list[tuple[httpx.Cookies, str]], conversation_id: int
) -> list[int]:
    claims = (_claim(base_url, cookies, csrf, conversation_id) for cookies, csrf in agents)
    return list(await asyncio.gather(*claims))


def test_two_agents_claiming_at_once_exactly_one_wins(gateway: str, database_url: str) -> None:
    engine = db.make_engine(database_url)
    factory = db.make_session_factory(engine)
    try:
        make_staff(factory, "anna@shop.test", role=StaffRole.agent, name="Anna")
        make_staff(factory, "ben@shop.test", role=StaffRole.agent, name="Ben")
        with factory() as session:
            ids = []
            for _ in range(ROUNDS):
                conversation = make_conversation(session)
                make_handover(session, conversation=conversation)
                ids.append(conversation.id)
            session.commit()
        agents = [_signed_in(gateway, "anna@shop.test"), _signed_in(gateway, "ben@shop.test")]

        for conversation_id in ids:
            statuses = asyncio.run(_race(gateway, agents, conversation_id))
            assert sorted(statuses) == [200, 409], (conversation_id, statuses)

        with factory() as session:
            for conversation_id in ids:
                conversation = session.get(Conversation, conversation_id)
                assert conversation is not None
                assert conversation.status == ConversationStatus.human
                accepted = session.scalars(
                    sa.select(Handover).where(Handover.conversation_id == conversation_id)
                ).all()
                assert [h.status for h in accepted] == [HandoverStatus.accepted]
                joined = session.scalars(
                    sa.select(Message).where(
                        Message.conversation_id == conversation_id,
                        Message.sender_type == SenderType.system,
                    )
                ).all()
                assert len(joined) == 1  # the customer is told once, by the winner
    finally:
        engine.dispose()
