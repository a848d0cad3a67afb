"""UCI Bank Marketing as feature dicts and labels, read with the shared protocol.

Protocol (../shared/data/README.md): the target is `subscription` (yes/no; `y` in UCI's
own semicolon-separated file, which is read as well); `duration` is never read, since it
is only known after the call and so leaks the outcome. One column is added: the campaign
day as a day of the year (from `month` and `day`), which lets the models see calendar
effects in one number; everything else is used as it is.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marketing.tabular import Column, categorical, numeric

TARGETS = ("subscription", "y")  # the shared copy's name, and UCI's original one
NUMERIC = ("age", "balance", "day", "campaign", "pdays", "previous")
CATEGORICAL = (
    "job",
    "marital",
    "education",
    "default",
    "housing",
    "loan",
    "contact",
    "month",
    "poutcome",
)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
COLUMNS: tuple[Column, ...] = (
    *(numeric(name) for name in NUMERIC),
    numeric("day_of_year"),
    *(categorical(name) for name in CATEGORICAL),
)
RAW_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.name != "day_of_year")


class DataMissing(FileNotFoundError):
    """Raised when the CSV is not where the benchmark was told to look."""


@dataclass(frozen=True)
class BankData:
    """Feature dicts (without `duration`) and 0/1 labels, in file order."""

    rows: list[dict[str, Any]]
    labels: list[int]


def read_bank(path: Path) -> BankData:
    """Read `bank-full.csv` (semicolon- or comma-separated) into feature dicts and labels."""
    if not path.is_file():
        raise DataMissing(
            f"no Bank Marketing CSV at {path}: pass --data PATH to the bank-full.csv "
            "(UCI Bank Marketing, target column `subscription` or `y`)"
        )
    with path.open(newline="") as handle:
        sample = handle.readline()
        handle.seek(0)
        reader = csv.DictReader(handle, delimiter=";" if sample.count(";") > 1 else ",")
        rows, labels = [], []
        for record in reader:
            target = next(record[name] for name in TARGETS if name in record)
            labels.append(1 if target.strip() == "yes" else 0)
            rows.append(_features(record))
    return BankData(rows, labels)


def _features(record: dict[str, str]) -> dict[str, Any]:
    row: dict[str, Any] = {name: float(record[name]) for name in NUMERIC}
    row.update({name: record[name].strip() for name in CATEGORICAL})
    month = MONTHS.index(row["month"]) if row["month"] in MONTHS else None
    row["day_of_year"] = None if month is None else month * 31 + row["day"]
    return row
