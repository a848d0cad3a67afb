"""CSRF protection for every state-changing console request.

Signed in: the synchronizer token of the session (`staff_sessions.csrf_token`) must come
back in the `csrf_token` form field or the `X-CSRF-Token` header (fetch). The sign-in form
has no session yet, so it uses a double-submit token: a random value in a short-lived
SameSite=Strict cookie and the same value in the form. Another site can neither read the
token nor set the cookie, so a forged request cannot carry a matching pair.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

HEADER = "x-csrf-token"
FIELD = "csrf_token"
LOGIN_COOKIE = "shopbot_console_login"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRefused(Exception):
    """The request changes state but carries no valid token."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; a missing value never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


async def submitted_token(request: Request) -> str | None:
    """The token of the request: the header, else the form field."""
    header = request.headers.get(HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(FIELD)
        return value if isinstance(value, str) else None
    return None


async def check(request: Request, expected: str) -> None:
    """Raise `CsrfRefused` for an unsafe method without the session's token."""
    if request.method in SAFE_METHODS:
        return
    if not matches(expected, await submitted_token(request)):
        raise CsrfRefused("missing or wrong CSRF token")
