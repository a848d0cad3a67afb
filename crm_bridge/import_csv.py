"""Reading import CSV files into rows numbered as people see them, and the error types."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class RowError:
    """One problem in an import file; ``row`` counts the header as row 1, as spreadsheets do."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class ImportFailed(Exception):
    """The files had problems, so nothing was imported; ``errors`` lists every one."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = list(errors)
        noun = "problem" if len(self.errors) == 1 else "problems"
        super().__init__(f"nothing imported: {len(self.errors)} {noun} in the import files")


@dataclass(frozen=True)
class Row:
    """A data row: its number in the file and its cells by lower-case column name."""

    number: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Table:
    """The usable rows of one file, the problems found while reading it, its known columns."""

    name: str
    rows: list[Row]
    errors: list[RowError]
    columns: frozenset[str] = field(default_factory=frozenset)


def read_table(path: Path, *, required: tuple[str, ...], optional: tuple[str, ...]) -> Table:
    """Read a CSV file with a header row; a missing required column makes the whole file unusable.

    Blank lines are skipped but still counted, so row numbers match what an editor shows.
    Unknown columns are ignored, so exports with extra columns can be used as they are.
    """
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Table(name, [], [RowError(name, None, None, "file not found")])
    except UnicodeDecodeError:
        return Table(name, [], [RowError(name, None, None, "is not UTF-8 text")])
    except OSError as exc:
        return Table(name, [], [RowError(name, None, None, f"cannot read: {exc.strerror}")])
    records = _records(text)
    header = next(records, None)
    if header is None:
        return Table(name, [], [RowError(name, 1, None, "the file is empty (expected a header)")])
    columns = [cell.strip().lower() for cell in header[1]]
    missing = [column for column in required if column not in columns]
    if missing:
        errors = [RowError(name, 1, column, "required column is missing") for column in missing]
        return Table(name, [], errors)
    known = set(required) | set(optional)
    table = Table(name, [], [], frozenset(columns) & known)
    for number, cells in records:
        if len(cells) > len(columns):
            reason = f"has {len(cells)} values but the header has {len(columns)} columns"
            table.errors.append(RowError(name, number, None, reason))
            continue
        values = {c: v for c, v in zip(columns, cells, strict=False) if c in known}
        table.rows.append(Row(number, values))
    return table


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) for every non-blank record; quoted newlines stay in one row."""
    reader = csv.reader(text.splitlines(keepends=True))
    start = 1
    for cells in reader:
        number = start
        start = reader.line_num + 1
        if any(cell.strip() for cell in cells):
            yield number, cells
