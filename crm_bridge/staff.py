"""Staff accounts of the console; passwords arrive already hashed (the console hashes them)."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.enums import StaffRole
from crm_bridge.models import StaffAccount


class DuplicateAccount(ValueError):
    """Another staff account already has this email."""


class LastAdmin(ValueError):
    """The change would leave the console without an active admin."""


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively, so they are stored lower-case."""
    return email.strip().lower()


def create_account(
    session: Session, *, email: str, name: str, role: StaffRole, password_hash: str
) -> StaffAccount:
    """Add an active account; raise `DuplicateAccount` when the email is taken."""
    email = normalise_email(email)
    if get_by_email(session, email) is not None:
        raise DuplicateAccount(f"a staff account with the email {email} already exists")
    account = StaffAccount(
        email=email, name=name.strip(), role=StaffRole(role), password_hash=password_hash
    )
    session.add(account)
    session.flush()
    return account


def get_account(session: Session, staff_id: int) -> StaffAccount | None:
    """Return the account with this id, or None."""
    return session.get(StaffAccount, staff_id)


def get_by_email(session: Session, email: str) -> StaffAccount | None:
    """Return the account with this email (any case), or None."""
    statement = sa.select(StaffAccount).where(StaffAccount.email == normalise_email(email))
    return session.scalars(statement).first()


def list_accounts(session: Session) -> list[StaffAccount]:
    """Every account, active ones first, then by email."""
    statement = sa.select(StaffAccount).order_by(StaffAccount.active.desc(), StaffAccount.email)
    return list(session.scalars(statement))


def count_active_admins(session: Session) -> int:
    """How many accounts can still manage staff."""
    statement = sa.select(sa.func.count()).where(
        StaffAccount.role == StaffRole.admin, StaffAccount.active.is_(True)
    )
    return session.scalar(statement) or 0


def set_role(session: Session, account: StaffAccount, role: StaffRole) -> StaffAccount:
    """Change the role; refuse to demote the last active admin."""
    role = StaffRole(role)
    if account.role == StaffRole.admin and role != StaffRole.admin:
        _keep_an_admin(session, account)
    account.role = role
    session.flush()
    return account


def set_active(session: Session, account: StaffAccount, active: bool) -> StaffAccount:
    """Deactivate (no more sign-ins) or reactivate; refuse to deactivate the last admin."""
    if not active and account.role == StaffRole.admin and account.active:
        _keep_an_admin(session, account)
    account.active = active
    session.flush()
    return account


def set_password_hash(session: Session, account: StaffAccount, password_hash: str) -> StaffAccount:
    """Store a new password hash (a reset, or a rehash with stronger parameters)."""
    account.password_hash = password_hash
    session.flush()
    return account


def _keep_an_admin(session: Session, account: StaffAccount) -> None:
    if account.active and count_active_admins(session) <= 1:
        raise LastAdmin("the console needs at least one active admin")
