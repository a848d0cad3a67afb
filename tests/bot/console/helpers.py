"""Helpers for console tests: staff accounts, signing in, reading tokens from pages."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from bot.console import passwords
from crm_bridge import staff
from crm_bridge.enums import StaffRole

PASSWORD = "correct horse battery staple"
_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_staff(
    factory: Callable[[], Session],
    email: str,
    *,
    role: StaffRole = StaffRole.agent,
    name: str | None = None,
    password: str = PASSWORD,
) -> int:
    """Create an active account and return its id."""
    with factory() as session:
        account = staff.create_account(
            session,
            email=email,
            name=name or email.split("@")[0].title(),
            role=role,
            password_hash=passwords.hash_password(password),
        )
        session.commit()
        return account.id


def form_token(html: str) -> str:
    """The first hidden `csrf_token` field of a page."""
    match = _FIELD.search(html)
    assert match, "no csrf_token field on the page"
    return match.group(1)


def page_token(html: str) -> str:
    """The session's CSRF token from the page's meta tag."""
    match = _META.search(html)
    assert match, "no csrf-token meta tag on the page"
    return match.group(1)


def try_login(client: TestClient, email: str, password: str = PASSWORD) -> Response:
    """Post the sign-in form as a browser would (form token from the page)."""
    token = form_token(client.get("/console/login").text)
    return client.post(
        "/console/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def login(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in and return the session's CSRF token."""
    response = try_login(client, email, password)
    assert response.status_code == 303, response.text
    return page_token(client.get("/console/conversations").text)
