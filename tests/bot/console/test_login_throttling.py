"""Sign-in throttling per account and per client address, kept in the store across restarts."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from crm_bridge.enums import AuditAction
from crm_bridge.models import AuditEvent
from tests.bot.console.conftest import ADMIN, AGENT
from tests.bot.console.helpers import try_login


def _actions(store: Callable[[], Session]) -> list[str]:
    with store() as session:
        return [
            str(a) for a in session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id))
        ]


def test_account_is_throttled_after_repeated_failures_even_after_a_restart(
    make_console: Callable[..., TestClient],
    agent_id: int,
    admin_id: int,
    store: Callable[[], Session],
) -> None:
    client = make_console(login_max_failures=5)
    for _ in range(5):
        failed = try_login(client, AGENT, "wrong password, try again")
        assert failed.status_code == 401
        assert "The email or password is not right." in failed.text

    throttled = try_login(client, AGENT)  # the right password no longer helps

    assert throttled.status_code == 429
    assert "Too many failed sign-ins" in throttled.text
    assert int(throttled.headers["retry-after"]) > 0
    assert (
        "set-cookie" not in throttled.headers
        or "shopbot_console=" not in throttled.headers["set-cookie"]
    )

    restarted = make_console(login_max_failures=5)  # a new process reads the same store
    assert try_login(restarted, AGENT).status_code == 429
    # Another account from the same address is not locked out by someone else's failures.
    assert try_login(restarted, ADMIN).status_code == 303
    actions = _actions(store)
    assert actions.count(str(AuditAction.login_failed)) == 5
    assert actions.count(str(AuditAction.login_throttled)) == 2


def test_a_success_starts_the_account_count_afresh(
    make_console: Callable[..., TestClient], agent_id: int
) -> None:
    client = make_console(login_max_failures=3)
    for _ in range(2):
        assert try_login(client, AGENT, "wrong password, try again").status_code == 401
    assert try_login(client, AGENT).status_code == 303

    for _ in range(2):
        assert try_login(client, AGENT, "wrong password, try again").status_code == 401
    assert try_login(client, AGENT).status_code == 303


def test_client_address_is_throttled_across_accounts(
    make_console: Callable[..., TestClient], agent_id: int
) -> None:
    client = make_console(login_max_failures=5, login_max_failures_per_address=3)
    for number in range(3):
        assert try_login(client, f"nobody{number}@shop.test").status_code == 401

    assert try_login(client, AGENT).status_code == 429


def test_unknown_and_wrong_password_look_the_same(app_client: TestClient, agent_id: int) -> None:
    unknown = try_login(app_client, "ghost@shop.test")
    wrong = try_login(app_client, AGENT, "wrong password, try again")

    assert unknown.status_code == wrong.status_code == 401
    assert "The email or password is not right." in unknown.text
    assert 'value="ghost@shop.test"' in unknown.text  # what was typed is kept
