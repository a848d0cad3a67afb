"""The CLV benchmark's whole path on a tiny generated Online Retail file, so it cannot rot."""

import csv
import gzip
import json
import math
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.clv.__main__ import main

COLUMNS = [
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
]
START, END = datetime(2010, 12, 1, 8, 0), datetime(2011, 12, 9, 18, 0)


def _write_retail_csv(path: Path, customers: int = 60, seed: int = 0) -> None:
    """A few hundred lines in the real file's format, with rows the cleaning must drop."""
    rng = random.Random(seed)
    rows, invoice = [], 536365
    span = (END - START).total_seconds()
    for customer in range(12346, 12346 + customers):
        first = rng.uniform(0, 0.5) * span
        for _ in range(rng.randint(1, 8)):
            when = START + timedelta(seconds=rng.uniform(first, span))
            for line in range(rng.randint(1, 3)):
                rows.append(
                    [
                        str(invoice),
                        f"2{line}0{rng.randint(10, 99)}",
                        "WHITE HANGING HEART T-LIGHT HOLDER",
                        str(rng.randint(1, 24)),
                        when.strftime("%Y-%m-%d %H:%M:%S"),
                        f"{rng.choice([0.85, 1.65, 2.55, 4.95]):.2f}",
                        f"{customer}.0",
                        "United Kingdom",
                    ]
                )
            invoice += 1
    stamp = START.strftime("%Y-%m-%d %H:%M:%S")
    rows.append(["C536379", "D", "Discount", "-1", stamp, "27.50", "14527.0", "United Kingdom"])
    rows.append(["536414", "22139", "lost item", "56", stamp, "0.00", "", "United Kingdom"])
    rows.append(["536415", "22140", "free", "1", stamp, "0.00", "12346.0", "United Kingdom"])
    rows.sort(key=lambda row: row[4])
    with gzip.open(path, "wt", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def test_benchmark_runs_on_a_tiny_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "online_retail.csv.gz"
    _write_retail_csv(data)

    assert main(["--data", str(data), "--out", str(tmp_path / "results")]) == 0

    printed = capsys.readouterr().out
    assert "BG/NBD + Gamma-Gamma" in printed and "rate extrapolation" in printed
    assert "k-means: k =" in printed and "fit time" in printed
    report = json.loads((tmp_path / "results" / "clv.json").read_text())
    assert (tmp_path / "results" / "clv_holdout.png").stat().st_size > 0
    assert report["data"]["repeat_customers"] >= 20
    for figure in ("purchases", "spend"):
        for row in report["holdout"][figure].values():
            assert all(
                math.isfinite(row[key]) for key in ("actual_total", "predicted_total", "mae")
            )
    assert all(math.isfinite(v) for v in report["model"]["bgnbd"].values())
    assert (
        sum(row["customers"] for row in report["holdout"]["by_frequency"])
        == report["data"]["calibration_customers"]
    )
    assert sum(report["segments"]["rfm_segments"].values()) == report["segments"]["customers"]


def test_missing_data_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path / "nowhere.csv.gz"), "--out", str(tmp_path)]) == 2
    assert "--data" in capsys.readouterr().err
