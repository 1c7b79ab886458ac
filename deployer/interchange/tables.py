"""Reading planners' tables (CSV or Excel) cell by cell, collecting every problem with its place.

pandas reads the file with every cell as text, so that a number column holding "abc" or a date
column holding "31/02/2026" is reported with its file, sheet, row and column rather than turned
into NaN. Row numbers are those a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import TypeVar

import pandas as pd

T = TypeVar("T")

MAX_BYTES = 200 * 1024 * 1024
"""Larger files are refused before reading: no register or demand table comes near this."""
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2199, 12, 31)
"""Dates outside these are typing slips (and near year 1 or 9999 overflow date arithmetic)."""
MAX_INTEGER = 10**9
"""No count, minute or cost in a planner's table comes near this; the database column would overflow."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import file, where a planner can find it."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = [self.file]
        if self.sheet:
            place.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column:
            place.append(f"column {self.column!r}")
        return f"{', '.join(place)}: {self.message}"


class ImportRejected(Exception):
    """The file has problems; nothing was imported. ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Row:
    """One data row: typed getters record a problem and return None instead of raising."""

    table: Table
    number: int
    cells: dict[str, str]

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.cells.get(column, "").strip()
        if required and not value:
            self.table.problem(self.number, column, "is empty")
        return value

    def _typed(self, column: str, required: bool, parse: Callable[[str], T], expected: str) -> T | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            return parse(value)
        except (ValueError, OverflowError):
            self.table.problem(self.number, column, f"{value!r} is not {expected}")
            return None

    def integer(
        self, column: str, *, required: bool = False, minimum: int = 0, maximum: int = MAX_INTEGER
    ) -> int | None:
        number = self._typed(column, required, _whole_number, "a whole number")
        if number is not None and not minimum <= number <= maximum:
            limit = f"below {minimum}" if number < minimum else f"above {maximum:,}"
            self.table.problem(self.number, column, f"{number} is {limit}")
            return None
        return number

    def decimal(self, column: str, *, required: bool = False) -> float | None:
        return self._typed(column, required, _finite, "a number")

    def day(self, column: str, *, required: bool = False) -> date | None:
        day = self._typed(column, required, _iso_date, "a date (YYYY-MM-DD)")
        if day is not None and not FIRST_DATE <= day <= LAST_DATE:
            self.table.problem(self.number, column, f"{day} is outside {FIRST_DATE.year}-{LAST_DATE.year}")
            return None
        return day

    def clock(self, column: str, *, required: bool = False) -> time | None:
        return self._typed(column, required, _clock, "a time of day (HH:MM)")

    def flag(self, column: str, *, default: bool) -> bool:
        value = self.text(column).lower()
        if not value:
            return default
        if value in ("yes", "y", "true", "1"):
            return True
        if value in ("no", "n", "false", "0"):
            return False
        self.table.problem(self.number, column, f"{value!r} is not yes or no")
        return default


@dataclass
class Table:
    """The rows of one sheet (a CSV file is one sheet without a name)."""

    file: str
    sheet: str | None
    columns: list[str]
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, self.sheet, row, column, message))

    def require_columns(self, required: tuple[str, ...], known: tuple[str, ...]) -> bool:
        """Record missing required columns (and unknown ones); True when the rows can be read."""
        missing = [c for c in required if c not in self.columns]
        for column in missing:
            self.problem(1, column, "required column is missing")
        for column in self.columns:
            if column not in known:
                self.problem(1, column, f"unknown column (expected some of: {', '.join(known)})")
        return not missing

    def rows(self) -> Iterator[Row]:
        for position, values in enumerate(self.frame.itertuples(index=False, name=None)):
            cells = dict(zip(self.columns, (str(v) for v in values), strict=True))
            if any(v.strip() for v in cells.values()):
                yield Row(self, position + 2, cells)


def _whole_number(text: str) -> int:
    plain = text.replace(",", "")
    if plain.isdigit() or (plain[:1] == "-" and plain[1:].isdigit()):
        return int(plain)
    number = float(plain)  # Excel writes whole numbers as "12.0"
    if number != int(number):
        raise ValueError(text)
    return int(number)


def _finite(text: str) -> float:
    number = float(text.replace(",", ""))
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(text)
    return number


def _iso_date(text: str) -> date:
    # Excel cells come through as "2026-03-01 00:00:00".
    return date.fromisoformat(text[:10] if len(text) > 10 and text[10] in " T" else text)


def _clock(text: str) -> time:
    parsed = time.fromisoformat(text if len(text) > 4 else text.zfill(5))
    return parsed.replace(second=0, microsecond=0)


def read_tables(path: Path, sheet: str | None = None) -> list[Table]:
    """Every sheet of an Excel workbook (or ``sheet`` alone), or the one table of a CSV file.

    Raises ImportRejected when the file cannot be read as a table at all.
    """
    name = path.name
    if not path.exists():
        raise ImportRejected([Problem(name, None, None, None, "file not found")])
    if path.stat().st_size > MAX_BYTES:
        raise ImportRejected([Problem(name, None, None, None, f"is larger than {MAX_BYTES // 2**20} MB")])
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            sheets = pd.read_excel(
                path, sheet_name=sheet, dtype=str, keep_default_na=False, engine="openpyxl"
            )
            frames = sheets if isinstance(sheets, dict) else {sheet: sheets}
        elif path.suffix.lower() in (".csv", ".txt"):
            frames = {None: _read_csv(path)}
        else:
            raise ImportRejected([Problem(name, None, None, None, "is neither a .csv nor an .xlsx file")])
    except ImportRejected:
        raise
    except Exception as error:  # pandas and openpyxl raise many kinds for a damaged file
        raise ImportRejected([Problem(name, sheet, None, None, f"cannot be read: {error}")]) from None
    tables = []
    for sheet_name, frame in frames.items():
        columns = [str(c).strip().lower().replace(" ", "_") for c in frame.columns]
        tables.append(Table(name, sheet_name, columns, frame.fillna("")))
    return tables


def _read_csv(path: Path) -> pd.DataFrame:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel writes it."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding=encoding, skip_blank_lines=True
            )
        except UnicodeDecodeError:
            continue
    raise ValueError("text is neither UTF-8 nor Windows-1252")


def copy_table(source: Path, path: Path, sheet: str) -> None:
    """Copy a CSV table to ``path``: as it is, or as an Excel sheet when ``path`` ends in .xlsx."""
    if path.suffix.lower() == ".xlsx":
        pd.read_csv(source, dtype=str, keep_default_na=False).to_excel(path, sheet_name=sheet, index=False)
    else:
        path.write_bytes(source.read_bytes())
