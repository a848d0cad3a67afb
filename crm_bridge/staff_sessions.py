"""Server-side console sessions and sign-in attempts (for throttling, kept across restarts).

Only the SHA-256 of a session token is stored; the caller creates the token and keeps it
in the cookie. Expiry rules (idle and absolute timeouts) are the caller's: this module
stores the times and ends sessions when told.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.column_types import utcnow
from crm_bridge.models import LoginAttempt, StaffSession


def start_session(
    session: Session,
    *,
    staff_id: int,
    token_hash: str,
    csrf_token: str,
    expires_at: datetime,
    client_address: str | None = None,
) -> StaffSession:
    """Record a new signed-in session."""
    now = utcnow()
    row = StaffSession(
        staff_id=staff_id,
        token_hash=token_hash,
        csrf_token=csrf_token,
        client_address=client_address,
        created_at=now,
        last_seen_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row


def get_by_token_hash(session: Session, token_hash: str) -> StaffSession | None:
    """The session with this token hash, ended or not, or None."""
    statement = sa.select(StaffSession).where(StaffSession.token_hash == token_hash)
    return session.scalars(statement).first()


def touch(session: Session, row: StaffSession, *, now: datetime) -> None:
    """Mark activity, which pushes the idle timeout back."""
    row.last_seen_at = now
    session.flush()


def end_session(session: Session, row: StaffSession) -> None:
    """End one session (logout, timeout); ending twice keeps the first time."""
    if row.ended_at is None:
        row.ended_at = utcnow()
        session.flush()


def end_all_sessions(session: Session, *, staff_id: int, keep_id: int | None = None) -> int:
    """End every open session of an account (deactivated, password reset); returns how many."""
    statement = (
        sa.update(StaffSession)
        .where(StaffSession.staff_id == staff_id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if keep_id is not None:
        statement = statement.where(StaffSession.id != keep_id)
    result = session.execute(statement)
    session.expire_all()
    return int(getattr(result, "rowcount", 0) or 0)


def record_attempt(
    session: Session, *, email: str, client_address: str, succeeded: bool
) -> LoginAttempt:
    """Store one sign-in attempt (email as typed, lower-case, cut to the column size)."""
    attempt = LoginAttempt(
        email=email.strip().lower()[:254],
        client_address=client_address[:64],
        succeeded=succeeded,
        created_at=utcnow(),
    )
    session.add(attempt)
    session.flush()
    return attempt


def recent_failures(
    session: Session,
    *,
    since: datetime,
    email: str | None = None,
    client_address: str | None = None,
) -> tuple[int, datetime | None]:
    """Failed attempts since `since` for an email (after its last success) or an address.

    Returns the count and the oldest counted failure, from which the caller tells how long
    the throttle still lasts.
    """
    conditions = [LoginAttempt.created_at >= since]
    if email is not None:
        email = email.strip().lower()[:254]
        conditions.append(LoginAttempt.email == email)
        last_success = session.scalar(
            sa.select(sa.func.max(LoginAttempt.created_at)).where(
                LoginAttempt.email == email, LoginAttempt.succeeded.is_(True)
            )
        )
        if last_success is not None:
            conditions.append(LoginAttempt.created_at > last_success)
    if client_address is not None:
        conditions.append(LoginAttempt.client_address == client_address[:64])
    statement = sa.select(sa.func.count(), sa.func.min(LoginAttempt.created_at)).where(
        LoginAttempt.succeeded.is_(False), *conditions
    )
    count, oldest = session.execute(statement).one()
    return int(count or 0), oldest


def prune(session: Session, *, attempts_before: datetime, sessions_before: datetime) -> None:
    """Forget sign-in attempts older than any throttle window and long-finished sessions."""
    session.execute(sa.delete(LoginAttempt).where(LoginAttempt.created_at < attempts_before))
    session.execute(
        sa.delete(StaffSession).where(
            sa.or_(
                StaffSession.ended_at < sessions_before,
                StaffSession.expires_at < sessions_before,
            )
        )
    )
