"""Command line for the CRM store: ``python -m crm_bridge migrate|seed-demo|import|stats``."""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from crm_bridge.db import check_connection, make_engine, make_session_factory, upgrade_to_head
from crm_bridge.demo_shop import is_empty, seed_demo_shop
from crm_bridge.errors import StoreUnavailable
from crm_bridge.importer import ImportFailed, import_shop
from crm_bridge.models import Base
from crm_bridge.settings import StoreSettings


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return the process exit code (0 ok, 1 bad input, 2 no database)."""
    args = _parser().parse_args(argv)
    url = StoreSettings().resolved_database_url()
    try:
        check_connection(url)
        return int(args.run(url, args))
    except StoreUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _migrate(url: str, _args: argparse.Namespace) -> int:
    upgrade_to_head(url)
    print("CRM database is up to date.")
    return 0


def _seed_demo(url: str, args: argparse.Namespace) -> int:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            if not is_empty(session) and not args.force:
                print("The store already has products; not seeding (use --force to seed anyway).")
                return 0
            shop = seed_demo_shop(session, seed=args.seed)
    finally:
        engine.dispose()
    print(
        f"Demo shop seeded (seed {args.seed}): {len(shop.products)} products, "
        f"{len(shop.customers)} customers, {len(shop.orders)} orders."
    )
    return 0


def _import(url: str, args: argparse.Namespace) -> int:
    if not (args.products or args.customers or args.orders):
        print("error: give at least one of --products, --customers, --orders", file=sys.stderr)
        return 1
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            summary = import_shop(
                session,
                products_csv=args.products,
                customers_csv=args.customers,
                orders_csv=args.orders,
            )
    except ImportFailed as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(
        f"Imported {summary.products} products, {summary.customers} customers, "
        f"{summary.orders} orders ({summary.order_items} items)."
    )
    return 0


def _stats(url: str, _args: argparse.Namespace) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            present = set(sa.inspect(connection).get_table_names())
            for table in Base.metadata.sorted_tables:
                if table.name not in present:
                    print(f"{table.name:<20} missing (run: python -m crm_bridge migrate)")
                    continue
                count = connection.scalar(sa.select(sa.func.count()).select_from(table))
                print(f"{table.name:<20} {count}")
    finally:
        engine.dispose()
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m crm_bridge",
        description="Manage the CRM store (DATABASE_URL, or a SQLite file under DATA_DIR).",
    )
    commands = parser.add_subparsers(required=True, metavar="command")
    commands.add_parser("migrate", help="create or upgrade the tables").set_defaults(run=_migrate)
    seed = commands.add_parser("seed-demo", help="fill an empty store with the demo shop")
    seed.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    seed.add_argument("--force", action="store_true", help="seed even if products exist")
    seed.set_defaults(run=_seed_demo)
    load = commands.add_parser("import", help="import products, customers and orders from CSV")
    load.add_argument("--products", type=Path, help="products.csv")
    load.add_argument("--customers", type=Path, help="customers.csv")
    load.add_argument("--orders", type=Path, help="orders.csv")
    load.set_defaults(run=_import)
    commands.add_parser("stats", help="count the rows of each table").set_defaults(run=_stats)
    return parser
