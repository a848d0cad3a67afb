"""Staff accounts, their sessions and sign-in attempts in the store, on both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from crm_bridge import staff, staff_sessions
from crm_bridge.column_types import utcnow
from crm_bridge.enums import StaffRole


def _account(session: Session, email: str, role: StaffRole = StaffRole.agent) -> int:
    return staff.create_account(
        session, email=email, name="N", role=role, password_hash="$argon2id$x"
    ).id


def test_emails_are_unique_whatever_the_case(store_session: Session) -> None:
    _account(store_session, "Anna@Shop.Test")

    with pytest.raises(staff.DuplicateAccount):
        _account(store_session, "anna@shop.test")
    found = staff.get_by_email(store_session, " ANNA@shop.test ")
    assert found is not None and found.email == "anna@shop.test"


def test_the_last_active_admin_stays(store_session: Session) -> None:
    admin = staff.get_account(store_session, _account(store_session, "a@x.test", StaffRole.admin))
    assert admin is not None

    with pytest.raises(staff.LastAdmin):
        staff.set_role(store_session, admin, StaffRole.agent)
    with pytest.raises(staff.LastAdmin):
        staff.set_active(store_session, admin, False)
    _account(store_session, "b@x.test", StaffRole.admin)
    staff.set_active(store_session, admin, False)
    assert staff.count_active_admins(store_session) == 1


def test_recent_failures_count_per_email_since_success_and_per_address(
    store_session: Session,
) -> None:
    since = utcnow() - timedelta(minutes=15)
    for succeeded in (False, False, True, False):
        staff_sessions.record_attempt(
            store_session, email="A@x.test", client_address="10.0.0.1", succeeded=succeeded
        )
    staff_sessions.record_attempt(
        store_session, email="other@x.test", client_address="10.0.0.1", succeeded=False
    )

    by_email, oldest = staff_sessions.recent_failures(store_session, since=since, email="a@x.test")
    by_address, _ = staff_sessions.recent_failures(
        store_session, since=since, client_address="10.0.0.1"
    )

    assert by_email == 1  # only the failure after the success
    assert oldest is not None and oldest.tzinfo is not None
    assert by_address == 4
    assert staff_sessions.recent_failures(store_session, since=utcnow(), email="a@x.test")[0] == 0


def test_sessions_end_one_or_all_and_old_ones_are_pruned(store_session: Session) -> None:
    staff_id = _account(store_session, "s@x.test")
    later = utcnow() + timedelta(hours=1)
    rows = [
        staff_sessions.start_session(
            store_session,
            staff_id=staff_id,
            token_hash=f"{n:064d}",
            csrf_token="c",
            expires_at=later,
        )
        for n in range(3)
    ]

    assert (
        staff_sessions.end_all_sessions(store_session, staff_id=staff_id, keep_id=rows[0].id) == 2
    )
    kept = staff_sessions.get_by_token_hash(store_session, f"{0:064d}")
    assert kept is not None and kept.ended_at is None
    staff_sessions.prune(
        store_session, attempts_before=utcnow(), sessions_before=utcnow() + timedelta(days=1)
    )
    assert staff_sessions.get_by_token_hash(store_session, f"{1:064d}") is None
    assert staff_sessions.get_by_token_hash(store_session, f"{0:064d}") is None  # expired by then
