"""Admins manage staff accounts; every change is audited and readable by admins."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from bot.console import passwords
from crm_bridge import staff
from crm_bridge.enums import StaffRole
from tests.bot.console.conftest import ADMIN, AGENT
from tests.bot.console.helpers import PASSWORD, login, try_login

NEW_PASSWORD = "a brand new passphrase"


def _post(client: TestClient, path: str, csrf: str, **data: str) -> Response:
    return client.post(path, data={"csrf_token": csrf, **data}, follow_redirects=False)


def test_admin_creates_an_account_that_can_sign_in(
    make_console: Callable[..., TestClient], admin_id: int, store: Callable[[], Session]
) -> None:
    admin = make_console()
    csrf = login(admin, ADMIN)

    created = _post(
        admin,
        "/console/staff",
        csrf,
        email=" Cara@Shop.Test ",
        name="Cara",
        role="agent",
        password=NEW_PASSWORD,
    )

    assert created.status_code == 303
    with store() as session:
        account = staff.get_by_email(session, "cara@shop.test")
        assert account is not None and account.role == StaffRole.agent
        assert account.password_hash.startswith("$argon2id$")
        assert NEW_PASSWORD not in account.password_hash
    assert try_login(make_console(), "cara@shop.test", NEW_PASSWORD).status_code == 303


def test_refused_account_changes_say_why_and_keep_the_form(
    app_client: TestClient, admin_id: int, agent_id: int
) -> None:
    csrf = login(app_client, ADMIN)

    duplicate = _post(
        app_client, "/console/staff", csrf, email=AGENT, name="Again", password=NEW_PASSWORD
    )
    weak = _post(
        app_client, "/console/staff", csrf, email="d@shop.test", name="D", password="short"
    )
    bad_email = _post(
        app_client, "/console/staff", csrf, email="not-an-email", name="E", password=NEW_PASSWORD
    )
    demote_last_admin = _post(app_client, f"/console/staff/{admin_id}/role", csrf, role="agent")
    deactivate_self = _post(app_client, f"/console/staff/{admin_id}/active", csrf, active="no")

    assert duplicate.status_code == 400 and "already exists" in duplicate.text
    assert 'value="Again"' in duplicate.text
    assert weak.status_code == 400 and "at least 12 characters" in weak.text
    assert 'value="d@shop.test"' in weak.text
    assert bad_email.status_code == 400 and "valid email" in bad_email.text
    assert demote_last_admin.status_code == 400 and "at least one active admin" in (
        demote_last_admin.text
    )
    assert deactivate_self.status_code == 400 and "your own account" in deactivate_self.text


def test_deactivation_and_password_reset_end_the_accounts_sessions(
    make_console: Callable[..., TestClient],
    admin_id: int,
    agent_id: int,
    store: Callable[[], Session],
) -> None:
    admin, agent = make_console(), make_console()
    csrf = login(admin, ADMIN)
    login(agent, AGENT)

    assert (
        _post(admin, f"/console/staff/{agent_id}/password", csrf, password=NEW_PASSWORD).status_code
        == 303
    )
    assert agent.get("/console/conversations", follow_redirects=False).status_code == 303
    assert try_login(agent, AGENT, PASSWORD).status_code == 401
    login(agent, AGENT, NEW_PASSWORD)

    assert _post(admin, f"/console/staff/{agent_id}/active", csrf, active="no").status_code == 303
    assert agent.get("/console/conversations", follow_redirects=False).status_code == 303
    assert try_login(agent, AGENT, NEW_PASSWORD).status_code == 401

    assert _post(admin, f"/console/staff/{agent_id}/active", csrf, active="yes").status_code == 303
    assert _post(admin, f"/console/staff/{agent_id}/role", csrf, role="admin").status_code == 303
    with store() as session:
        account = staff.get_account(session, agent_id)
        assert account is not None and account.active and account.role == StaffRole.admin
        assert passwords.verify(account.password_hash, NEW_PASSWORD)
    assert admin.get("/console/conversations").status_code == 200  # the admin stays in


def test_audit_log_shows_staff_actions_to_admins(
    app_client: TestClient, admin_id: int, agent_id: int
) -> None:
    try_login(app_client, AGENT, "a wrong password here")
    csrf = login(app_client, ADMIN)
    _post(app_client, f"/console/staff/{agent_id}/role", csrf, role="admin")

    log = app_client.get("/console/audit").text
    only_failures = app_client.get("/console/audit", params={"action": "login_failed"}).text
    unknown = app_client.get("/console/audit", params={"action": "nonsense"})

    for action in ("login_failed", "login", "role_changed"):
        assert f"<td>{action}</td>" in log
    assert f"staff:{agent_id} {AGENT}" in log
    assert "<td>role_changed</td>" not in only_failures and "<td>login_failed</td>" in only_failures
    assert unknown.status_code == 200 and "Ignored the unknown action" in unknown.text
