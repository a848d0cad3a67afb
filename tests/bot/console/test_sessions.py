"""Console sessions: cookie flags, rotation at sign-in, logout, idle and absolute timeouts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bot.console.auth import COOKIE_NAME
from crm_bridge import staff
from crm_bridge.column_types import utcnow
from crm_bridge.models import StaffSession
from tests.bot.console.conftest import AGENT
from tests.bot.console.helpers import login, page_token, try_login


def _signed_in(client: TestClient) -> bool:
    response = client.get("/console/conversations", follow_redirects=False)
    return response.status_code == 200


def _session_rows(store: Callable[[], Session]) -> list[StaffSession]:
    with store() as session:
        return list(session.scalars(sa.select(StaffSession).order_by(StaffSession.id)))


def test_session_cookie_is_httponly_lax_and_scoped_to_the_console(
    app_client: TestClient, agent_id: int
) -> None:
    response = try_login(app_client, AGENT)

    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/console" in cookie
    assert "Secure" not in cookie  # plain HTTP in development


def test_session_cookie_is_secure_over_https(
    make_console: Callable[..., TestClient], agent_id: int
) -> None:
    client = make_console(base_url="https://testserver")

    response = try_login(client, AGENT)

    assert "Secure" in response.headers["set-cookie"]
    assert _signed_in(client)


def test_cookie_secure_always_for_a_proxy_that_hides_https(
    make_console: Callable[..., TestClient], agent_id: int
) -> None:
    client = make_console(cookie_secure="always")

    assert "Secure" in try_login(client, AGENT).headers["set-cookie"]


def test_sign_in_starts_a_new_session_and_ends_the_old_one(
    app_client: TestClient, agent_id: int, store: Callable[[], Session]
) -> None:
    login(app_client, AGENT)
    first = app_client.cookies[COOKIE_NAME]

    login(app_client, AGENT)
    second = app_client.cookies[COOKIE_NAME]

    assert first != second
    rows = _session_rows(store)
    assert len(rows) == 2 and rows[0].ended_at is not None and rows[1].ended_at is None
    assert first not in {row.token_hash for row in rows}  # only hashes are stored
    app_client.cookies.set(COOKIE_NAME, first, path="/console")
    assert not _signed_in(app_client)


def test_logout_ends_the_session_for_good(
    app_client: TestClient, agent_id: int, store: Callable[[], Session]
) -> None:
    csrf = login(app_client, AGENT)
    token = app_client.cookies[COOKIE_NAME]

    response = app_client.post("/console/logout", data={"csrf_token": csrf}, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?notice=signed_out"
    assert 'shopbot_console=""' in response.headers["set-cookie"]
    assert _session_rows(store)[0].ended_at is not None
    app_client.cookies.set(COOKIE_NAME, token, path="/console")
    assert not _signed_in(app_client)


def _age_session(store: Callable[[], Session], **changes: object) -> None:
    with store() as session:
        session.execute(sa.update(StaffSession).values(**changes))
        session.commit()


def test_idle_session_times_out(
    make_console: Callable[..., TestClient], agent_id: int, store: Callable[[], Session]
) -> None:
    client = make_console(idle_timeout_minutes=30)
    login(client, AGENT)
    _age_session(store, last_seen_at=utcnow() - timedelta(minutes=29))
    assert _signed_in(client)  # still within the idle time, and the request counts as activity

    _age_session(store, last_seen_at=utcnow() - timedelta(minutes=31))

    response = client.get("/console/conversations", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/console/login")
    assert _session_rows(store)[0].ended_at is not None


def test_session_ends_at_the_absolute_timeout_despite_activity(
    app_client: TestClient, agent_id: int, store: Callable[[], Session]
) -> None:
    login(app_client, AGENT)
    assert _signed_in(app_client)

    _age_session(store, expires_at=utcnow() - timedelta(seconds=1))

    assert not _signed_in(app_client)


def test_deactivating_an_account_ends_its_open_session(
    app_client: TestClient, agent_id: int, store: Callable[[], Session]
) -> None:
    login(app_client, AGENT)
    with store() as session:
        account = staff.get_account(session, agent_id)
        assert account is not None
        account.active = False
        session.commit()

    assert not _signed_in(app_client)


def test_csrf_token_is_per_session(app_client: TestClient, agent_id: int) -> None:
    first = login(app_client, AGENT)
    second = login(app_client, AGENT)

    assert first != second
    assert page_token(app_client.get("/console/conversations").text) == second


def test_store_down_gives_a_clear_page_and_no_session(
    make_console: Callable[..., TestClient],
) -> None:
    client = make_console(database_url="postgresql://nobody@127.0.0.1:1/none")

    response = try_login(client, AGENT)

    assert response.status_code == 503
    assert "The CRM store cannot be reached right now." in response.text
    assert COOKIE_NAME not in client.cookies
