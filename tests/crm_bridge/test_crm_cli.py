"""``python -m crm_bridge``: migrate, seed-demo, import and stats against real databases."""

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from crm_bridge.cli import main
from crm_bridge.db import make_engine

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli_env(blank_store_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Point the CLI at a database of this test's own, away from any developer .env file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", blank_store_url)
    return blank_store_url


def _products(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM products")).scalar_one()
    finally:
        engine.dispose()


def test_migrate_seed_and_stats(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert main(["seed-demo", "--seed", "3"]) == 0
    assert "Demo shop seeded (seed 3): 162 products, 300 customers" in capsys.readouterr().out
    assert main(["seed-demo"]) == 0
    assert "not seeding" in capsys.readouterr().out
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "products             162" in out and "contacts             300" in out
    assert _products(cli_env) == 162


def test_stats_before_migrate_says_what_to_do(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats"]) == 0
    assert (
        "products             missing (run: python -m crm_bridge migrate)"
        in capsys.readouterr().out
    )


def test_import_reports_each_problem_and_writes_nothing(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    (tmp_path / "products.csv").write_text("sku,name,category,price\nA-1,Lamp,lighting,5\n")
    (tmp_path / "orders.csv").write_text(
        "order_ref,customer_external_id,placed_at,sku,quantity\n"
        + "".join(f"SO-{n},C1,2025-01-01,A-1,1\n" for n in range(4))
        + "SO-9,C1,2025-01-01,A-1,0\n"
    )
    (tmp_path / "customers.csv").write_text("external_id,name\nC1,Ada\n")
    code = main(
        [
            "import",
            "--products",
            "products.csv",
            "--customers",
            "customers.csv",
            "--orders",
            "orders.csv",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "orders.csv row 6, column quantity: must be a positive whole number" in err.splitlines()
    assert _products(cli_env) == 0


def test_import_good_files(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    (tmp_path / "products.csv").write_text("sku,name,category,price\nA-1,Lamp,lighting,5\n")
    assert main(["import", "--products", "products.csv"]) == 0
    assert "Imported 1 products, 0 customers, 0 orders" in capsys.readouterr().out
    assert _products(cli_env) == 1


def test_unreachable_database_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql://shop:topsecret@127.0.0.1:1/crm")
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "topsecret" not in err
    assert err.startswith("error: cannot connect to the CRM database at postgresql://shop:***@")


def test_runs_as_a_module_with_data_dir(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "crm_bridge", "migrate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "crm.sqlite3").exists()
