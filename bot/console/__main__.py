"""`python -m bot.console create-admin --email EMAIL [--name NAME] [--password-stdin]`.

Creates the first admin (or any later one) of the staff console. The password comes from
the first line of stdin with `--password-stdin`, else from CONSOLE_ADMIN_PASSWORD, else
it is asked twice on the terminal. Pending migrations are applied first, as the launcher
does. Exit status: 0 created, 1 refused (bad input, email taken), 2 store unreachable.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from bot.console import accounts
from bot.console.settings import AdminBootstrapSettings
from crm_bridge.audit import Actor
from crm_bridge.db import check_connection, make_engine, make_session_factory, upgrade_to_head
from crm_bridge.errors import StoreUnavailable
from crm_bridge.settings import StoreSettings
from crm_bridge.transactions import run_transaction

COMMAND_ACTOR = Actor(staff_id=None, email="create-admin (command line)")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        password = _password(args.password_stdin)
    except ValueError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    url = StoreSettings().resolved_database_url()
    try:
        check_connection(url)
        upgrade_to_head(url)
    except StoreUnavailable as down:
        print(f"error: {down}", file=sys.stderr)
        return 2
    engine = make_engine(url)
    try:
        account = run_transaction(
            make_session_factory(engine),
            lambda session: accounts.create(
                session,
                actor=COMMAND_ACTOR,
                email=args.email,
                name=args.name or args.email.split("@")[0],
                role="admin",
                password=password,
            ),
        )
    except accounts.AccountRefused as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"Created admin {account.email}. Sign in at /console/login.")
    return 0


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise ValueError("--password-stdin: stdin is empty")
        return line.rstrip("\r\n")
    preset = AdminBootstrapSettings().admin_password
    if preset is not None:
        return preset.get_secret_value()
    if not sys.stdin.isatty():
        raise ValueError(
            "no password: use --password-stdin or CONSOLE_ADMIN_PASSWORD when not on a terminal"
        )
    first = getpass.getpass("Password for the new admin: ")
    if first != getpass.getpass("Repeat the password: "):
        raise ValueError("the two passwords differ")
    return first


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.console", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-admin", help="create a staff account with the admin role")
    create.add_argument("--email", required=True)
    create.add_argument("--name", help="shown to customers when this admin joins a chat")
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin (scripts)"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
