"""`python -m bot.console create-admin`: the first admin, from stdin or CONSOLE_ADMIN_PASSWORD."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.console import passwords
from crm_bridge import staff
from crm_bridge.enums import StaffRole
from launcher.settings import PROJECT_ROOT

PASSWORD = "first admin passphrase"


def _run(
    database_url: str, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("CONSOLE_")
    }
    environment |= {"DATABASE_URL": database_url, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot.console", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=PROJECT_ROOT,
        timeout=120,
        check=False,
    )


def test_create_admin_reads_the_password_from_stdin(
    sqlite_url: str, store: Callable[[], Session]
) -> None:
    done = _run(
        sqlite_url,
        "create-admin",
        "--email",
        "Boss@Shop.Test",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )

    assert done.returncode == 0, done.stderr
    assert "Created admin boss@shop.test" in done.stdout
    with store() as session:
        account = staff.get_by_email(session, "boss@shop.test")
        assert account is not None and account.role == StaffRole.admin and account.active
        assert account.name == "Boss"  # from the email, as typed
        assert passwords.verify(account.password_hash, PASSWORD)


def test_create_admin_reads_the_password_from_the_environment(
    sqlite_url: str, store: Callable[[], Session]
) -> None:
    done = _run(
        sqlite_url,
        "create-admin",
        "--email",
        "ops@shop.test",
        "--name",
        "Olga",
        env={"CONSOLE_ADMIN_PASSWORD": PASSWORD},
    )

    assert done.returncode == 0, done.stderr
    with store() as session:
        account = staff.get_by_email(session, "ops@shop.test")
        assert account is not None and account.name == "Olga"


def test_create_admin_refuses_bad_input_with_one_line(sqlite_url: str) -> None:
    args = ("create-admin", "--email", "boss@shop.test", "--password-stdin")
    assert _run(sqlite_url, *args, stdin=PASSWORD).returncode == 0

    again = _run(sqlite_url, *args, stdin=PASSWORD)
    short = _run(
        sqlite_url, "create-admin", "--email", "x@shop.test", "--password-stdin", stdin="short"
    )
    no_password = _run(sqlite_url, "create-admin", "--email", "y@shop.test")

    assert (again.returncode, again.stderr.strip()) == (
        1,
        "error: a staff account with the email boss@shop.test already exists",
    )
    assert short.returncode == 1 and "at least 12 characters" in short.stderr
    assert no_password.returncode == 1 and "--password-stdin" in no_password.stderr


def test_create_admin_reports_an_unreachable_store() -> None:
    done = _run(
        "postgresql://nobody@127.0.0.1:1/none",
        "create-admin",
        "--email",
        "a@shop.test",
        "--password-stdin",
        stdin=PASSWORD,
    )

    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and len(done.stderr.strip().splitlines()) == 1
