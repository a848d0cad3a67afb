"""Signing staff in and out, and recognising them by their session cookie.

Sessions live in the CRM store (`staff_sessions`): the cookie holds a random token, the
table its SHA-256. A session ends at logout, after `idle_timeout` without a request, at
`absolute_timeout` after sign-in whatever the activity, and when the account is
deactivated or its password reset. Every sign-in starts a new session (the old cookie's
session is ended), so a token planted before sign-in is worthless after it.

Sign-in is throttled from the `login_attempts` table, so a restart forgets nothing: after
`login_max_failures` failures for one email (since its last success) or
`login_max_failures_per_address` failures from one client address within
`login_window`, attempts are refused without checking the password until the oldest
counted failure leaves the window.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.console import passwords
from bot.console.settings import ConsoleSettings
from crm_bridge import audit, staff, staff_sessions
from crm_bridge.audit import Actor
from crm_bridge.enums import AuditAction, StaffRole
from crm_bridge.models import StaffAccount, StaffSession

COOKIE_NAME = "shopbot_console"
COOKIE_PATH = "/console"
# Activity is written at most this often, so reading pages does not mean writing each time.
_TOUCH_EVERY = timedelta(minutes=1)
FAILED_MESSAGE = "The email or password is not right."
# Pruned at each sign-in: attempts once no throttle window can count them, ended sessions
# after a month (the audit log keeps who signed in when).
_KEEP_ATTEMPTS = timedelta(days=1)
_KEEP_SESSIONS = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Staff:
    """The signed-in staff member of a request."""

    id: int
    email: str
    name: str
    role: StaffRole
    session_id: int
    csrf_token: str
    client_address: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.admin

    @property
    def can_market(self) -> bool:
        """Segments, campaigns, experiments and analytics: marketing staff and admins."""
        return self.role in (StaffRole.marketing, StaffRole.admin)

    @property
    def actor(self) -> Actor:
        return Actor(staff_id=self.id, email=self.email, client_address=self.client_address)


@dataclass(frozen=True, slots=True)
class SignInResult:
    """A new session (staff + token for the cookie), or why not."""

    staff: Staff | None = None
    token: str | None = None
    error: str | None = None
    retry_after: timedelta | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(
    session: Session,
    *,
    email: str,
    password: str,
    client_address: str,
    settings: ConsoleSettings,
    now: datetime,
    previous_token: str | None = None,
) -> SignInResult:
    """Check throttling and the password; on success end the old session and start one."""
    email = staff.normalise_email(email)[:254]
    staff_sessions.prune(
        session,
        attempts_before=now - max(settings.login_window, _KEEP_ATTEMPTS),
        sessions_before=now - _KEEP_SESSIONS,
    )
    retry_after = _throttled_for(session, email, client_address, settings, now)
    if retry_after is not None:
        audit.record(
            session,
            actor=Actor(None, email or "(none)", client_address),
            action=AuditAction.login_throttled,
        )
        minutes = max(1, -(-int(retry_after.total_seconds()) // 60))
        return SignInResult(
            error=f"Too many failed sign-ins. Try again in {minutes} minute(s).",
            retry_after=retry_after,
        )
    account = staff.get_by_email(session, email) if email else None
    valid = passwords.verify(account.password_hash if account else None, password)
    if account is None or not account.active or not valid:
        staff_sessions.record_attempt(
            session, email=email, client_address=client_address, succeeded=False
        )
        actor = Actor(account.id if account else None, email or "(none)", client_address)
        audit.record(session, actor=actor, action=AuditAction.login_failed)
        return SignInResult(error=FAILED_MESSAGE)
    staff_sessions.record_attempt(
        session, email=email, client_address=client_address, succeeded=True
    )
    if passwords.needs_rehash(account.password_hash):
        staff.set_password_hash(session, account, passwords.hash_password(password))
    if previous_token:
        _end(session, previous_token)
    token = secrets.token_urlsafe(32)
    row = staff_sessions.start_session(
        session,
        staff_id=account.id,
        token_hash=token_hash(token),
        csrf_token=secrets.token_urlsafe(32),
        expires_at=now + settings.absolute_timeout,
        client_address=client_address[:64],
    )
    account.last_login_at = now
    signed_in = _staff(account, row, client_address)
    audit.record(session, actor=signed_in.actor, action=AuditAction.login)
    return SignInResult(staff=signed_in, token=token)


def authenticate(
    session: Session,
    *,
    token: str,
    settings: ConsoleSettings,
    now: datetime,
    client_address: str | None = None,
) -> Staff | None:
    """The staff member of a session token, or None when it is unknown, ended or expired."""
    row = staff_sessions.get_by_token_hash(session, token_hash(token))
    if row is None or row.ended_at is not None:
        return None
    account = staff.get_account(session, row.staff_id)
    expired = now - row.last_seen_at > settings.idle_timeout or now >= row.expires_at
    if account is None or not account.active or expired:
        staff_sessions.end_session(session, row)
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        staff_sessions.touch(session, row, now=now)
    return _staff(account, row, client_address)


def sign_out(session: Session, *, token: str, signed_in: Staff) -> None:
    """End the session of `token` and log it."""
    _end(session, token)
    audit.record(session, actor=signed_in.actor, action=AuditAction.logout)


def _end(session: Session, token: str) -> None:
    row = staff_sessions.get_by_token_hash(session, token_hash(token))
    if row is not None:
        staff_sessions.end_session(session, row)


def _throttled_for(
    session: Session, email: str, client_address: str, settings: ConsoleSettings, now: datetime
) -> timedelta | None:
    since = now - settings.login_window
    checks = (
        (settings.login_max_failures, {"email": email}),
        (settings.login_max_failures_per_address, {"client_address": client_address}),
    )
    waits = []
    for limit, where in checks:
        count, oldest = staff_sessions.recent_failures(session, since=since, **where)
        if count >= limit and oldest is not None:
            waits.append(oldest + settings.login_window - now)
    return max(waits) if waits else None


def _staff(account: StaffAccount, row: StaffSession, client_address: str | None) -> Staff:
    return Staff(
        id=account.id,
        email=account.email,
        name=account.name,
        role=StaffRole(account.role),
        session_id=row.id,
        csrf_token=row.csrf_token,
        client_address=client_address,
    )
