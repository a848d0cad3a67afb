"""Managing staff accounts (admins only in the console; `create-admin` on the command line).

Each change is validated, applied and audited in one transaction. Deactivating an
account or resetting its password ends its sessions at once; the last active admin can
be neither demoted nor deactivated.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from bot.console import passwords
from crm_bridge import audit, staff, staff_sessions
from crm_bridge.audit import Actor
from crm_bridge.enums import AuditAction, StaffRole
from crm_bridge.models import StaffAccount

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class AccountRefused(ValueError):
    """A change the rules refuse; the message is for the admin."""


def check_email(email: str) -> str:
    email = staff.normalise_email(email)
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise AccountRefused("enter a valid email address")
    return email


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 200:
        raise AccountRefused("enter a name of 1-200 characters")
    return name


def check_role(role: str) -> StaffRole:
    try:
        return StaffRole(role)
    except ValueError:
        raise AccountRefused("the role is agent or admin") from None


def create(
    session: Session, *, actor: Actor, email: str, name: str, role: str, password: str
) -> StaffAccount:
    """A new active account with an argon2 hash of `password`."""
    email, name, checked_role = check_email(email), check_name(name), check_role(role)
    password_hash = _hash(password)
    try:
        account = staff.create_account(
            session, email=email, name=name, role=checked_role, password_hash=password_hash
        )
    except staff.DuplicateAccount as duplicate:
        raise AccountRefused(str(duplicate)) from None
    _audit(session, actor, AuditAction.account_created, account, {"role": str(checked_role)})
    return account


def change_role(session: Session, *, actor: Actor, staff_id: int, role: str) -> StaffAccount:
    account = _account(session, staff_id)
    new_role, old_role = check_role(role), account.role
    try:
        staff.set_role(session, account, new_role)
    except staff.LastAdmin as last:
        raise AccountRefused(str(last)) from None
    if new_role != old_role:
        detail = {"from": str(old_role), "to": str(new_role)}
        _audit(session, actor, AuditAction.role_changed, account, detail)
    return account


def set_active(session: Session, *, actor: Actor, staff_id: int, active: bool) -> StaffAccount:
    account = _account(session, staff_id)
    if not active and account.id == actor.staff_id:
        raise AccountRefused("you cannot deactivate your own account")
    was_active = account.active
    try:
        staff.set_active(session, account, active)
    except staff.LastAdmin as last:
        raise AccountRefused(str(last)) from None
    if not active:
        staff_sessions.end_all_sessions(session, staff_id=account.id)
    if was_active != active:
        action = AuditAction.account_reactivated if active else AuditAction.account_deactivated
        _audit(session, actor, action, account, {})
    return account


def reset_password(
    session: Session,
    *,
    actor: Actor,
    staff_id: int,
    password: str,
    keep_session_id: int | None = None,
) -> StaffAccount:
    """Set a new password and end the account's sessions (but the admin's own current one)."""
    account = _account(session, staff_id)
    staff.set_password_hash(session, account, _hash(password))
    keep = keep_session_id if account.id == actor.staff_id else None
    staff_sessions.end_all_sessions(session, staff_id=account.id, keep_id=keep)
    _audit(session, actor, AuditAction.password_reset, account, {})
    return account


def _hash(password: str) -> str:
    try:
        return passwords.hash_password(password)
    except passwords.WeakPassword as weak:
        raise AccountRefused(str(weak)) from None


def _account(session: Session, staff_id: int) -> StaffAccount:
    account = staff.get_account(session, staff_id)
    if account is None:
        raise AccountRefused(f"there is no staff account {staff_id}")
    return account


def _audit(
    session: Session,
    actor: Actor,
    action: AuditAction,
    account: StaffAccount,
    detail: dict[str, Any],
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        target=f"staff:{account.id} {account.email}",
        detail=detail,
    )
