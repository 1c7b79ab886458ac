"""Malformed and adversarial files for every importer: never a crash, never a partial import.

Each case starts from the shipped template of a kind and damages it: cells replaced by
adversarial values (formulas, SQL, HTML, huge numbers, impossible dates, control characters),
columns dropped, added, renamed or repeated, rows duplicated, the bytes re-encoded, given a
byte-order mark, truncated, or replaced by noise; as CSV or as an Excel workbook. The importer
must either refuse the file (every problem naming the file) with the database untouched, or
import exactly what its preview said, in one transaction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select

from deployer.domain.errors import DomainError
from deployer.domain.locations import LocationKind
from deployer.services import demo
from deployer.services.imports import ImportKind, ImportRejected, apply_import, preview_import
from deployer.services.resources import RESOURCES
from deployer.store import models
from deployer.store.database import Database

ADVERSARIAL = [
    "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "=HYPERLINK(\"http://x\",\"y\")",
    "'; DROP TABLE staff; --", "1 OR 1=1", "<script>alert(1)</script>", "<b>bold</b>",
    "1e400", "-1", "99999999999999999999", "NaN", "inf", "0x10", "1,5", "3.5", "",
    "9999-12-31", "0001-01-01", "2027-02-30", "31/12/2027", "24:00", "25:61", "7",
    "\x00", "\t", "\r\n", "\u202e", "名前", "Zoë", " ", "yes", "no", "maybe", "VICPOL", "SGT", "STN-GEE",
    "x" * 5000,
]  # fmt: skip
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]
TABLES = (
    models.StaffRow, models.QualificationRow, models.AbsenceRow, models.LocationRow, models.TravelLegRow,
    models.OperationRow, models.ShiftRow, models.DemandLineRow, models.AuditRow,
)  # fmt: skip


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite'}")
    demo.load(db, demo.DemoSize(staff=30, days=2, cities=2, sites=2, seed=3))
    yield db
    db.close()


def _template(kind: ImportKind) -> list[list[str]]:
    with open(RESOURCES / "templates" / f"{kind.value}.csv", newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


@st.composite
def damaged_table(draw: st.DrawFn, kind: ImportKind) -> list[list[str]]:
    """The template of ``kind`` with its header and rows damaged."""
    header, *rows = _template(kind)
    header = list(header)
    for _ in range(draw(st.integers(0, 2))):
        action = draw(st.sampled_from(["drop", "add", "rename", "repeat"]))
        position = draw(st.integers(0, len(header) - 1)) if header else 0
        if action == "drop" and header:
            header.pop(position)
        elif action == "add":
            header.insert(position, draw(st.sampled_from(["extra", "", "Service Number", "=1+1"])))
        elif action == "rename" and header:
            header[position] = header[position].upper()
        elif header:
            header.append(header[position])
    cell = st.one_of(st.sampled_from(ADVERSARIAL), st.text(max_size=20))
    body = []
    for _ in range(draw(st.integers(0, 6))):
        row = list(draw(st.sampled_from(rows)))
        for _ in range(draw(st.integers(0, 3))):
            if row:
                row[draw(st.integers(0, len(row) - 1))] = draw(cell)
        if draw(st.booleans()):
            row.append(draw(cell))
        body.append(row)
    if body and draw(st.booleans()):
        body.append(list(body[0]))  # a duplicate key
    return [header, *body]


def _csv_bytes(table: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode(encoding, errors="replace")


@st.composite
def damaged_file(draw: st.DrawFn, kind: ImportKind) -> tuple[str, bytes]:
    """(file name, content): a damaged table as CSV or Excel, or bytes that are no table at all."""
    table = draw(damaged_table(kind))
    form = draw(st.sampled_from(["csv", "csv", "xlsx", "noise", "truncated"]))
    if form == "noise":
        return draw(st.sampled_from(["noise.csv", "noise.xlsx"])), draw(st.binary(max_size=2000))
    if form == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        for row in table:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("?", c) for c in row])  # Excel cannot hold them
        out = io.BytesIO()
        book.save(out)
        return f"{kind.value}.xlsx", out.getvalue()
    content = _csv_bytes(table, draw(st.sampled_from(ENCODINGS)))
    if form == "truncated":
        content = content[: draw(st.integers(0, len(content)))]
    return f"{kind.value}.csv", content


def _state(db: Database) -> tuple[int, ...]:
    with db.engine.connect() as connection:
        return tuple(connection.execute(select(func.count()).select_from(t)).scalar_one() for t in TABLES)


def _import_or_refuse(db: Database, kind: ImportKind, folder: Path, name: str, content: bytes) -> None:
    path = folder / name
    path.write_bytes(content)
    before = _state(db)
    try:
        preview = preview_import(db, kind, path)
    except ImportRejected as rejected:
        assert rejected.problems and all(p.file == name for p in rejected.problems)
        assert _state(db) == before, "a refused file changed the database"
        return
    try:
        apply_import(db, preview)
    except DomainError:
        assert _state(db) == before, "a refused save changed the database"
        return
    if kind is ImportKind.STAFF:
        assert _state(db)[0] == before[0] + len(preview.changes.added)


KINDS = list(ImportKind)


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_files_are_refused_whole_or_imported_whole(
    register: Database, tmp_path: Path, kind: ImportKind, data: st.DataObject
) -> None:
    name, content = data.draw(damaged_file(kind))
    _import_or_refuse(register, kind, tmp_path, name, content)


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_empty_header_only_and_oversized_files_are_refused(
    register: Database, tmp_path: Path, kind: ImportKind, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = ",".join(_template(kind)[0]).encode()
    for name, content in (("empty.csv", b""), ("header.csv", header + b"\n"), ("bom.csv", b"\xef\xbb\xbf")):
        path = tmp_path / name
        path.write_bytes(content)
        before = _state(register)
        with pytest.raises(ImportRejected):
            apply_import(register, preview_import(register, kind, path))
        assert _state(register) == before
    monkeypatch.setattr("deployer.interchange.tables.MAX_BYTES", 1000)
    big = tmp_path / "big.csv"
    big.write_bytes(header + b"\n" + b"x," * 1000)
    with pytest.raises(ImportRejected, match="larger than"):
        preview_import(register, kind, big)


def test_cases_the_long_fuzz_run_found_are_refused_by_row_and_column(
    register: Database, tmp_path: Path
) -> None:
    """Each crashed an importer once: a number too big for the database, a time zone too long to
    be a file name, a date in year 1."""
    staff, demand = _template(ImportKind.STAFF), _template(ImportKind.DEMAND)
    staff[1][staff[0].index("contracted_hours_per_week")] = "99999999999999999999"
    staff[1][staff[0].index("max_shifts")] = "99999999999999999999"
    demand[1][demand[0].index("timezone")] = "x" * 5000
    with register.unit_of_work() as uow:
        site = next(loc.code for loc in uow.locations.all() if loc.kind is LocationKind.SITE)
    for row in demand[1:]:
        row[demand[0].index("site")] = site
        row[demand[0].index("operation")] = "An operation no earlier case made"
    staff[1][staff[0].index("service_number")] = "NEVER-IMPORTED"
    leave = _template(ImportKind.LEAVE)
    leave[1][leave[0].index("first_day")] = "0001-01-01"
    cases = [(ImportKind.STAFF, staff, "contracted_hours_per_week"), (ImportKind.STAFF, staff, "max_shifts"),
             (ImportKind.DEMAND, demand, "timezone"), (ImportKind.LEAVE, leave, "first_day")]  # fmt: skip
    for kind, table, column in cases:
        path = tmp_path / f"{kind.value}.csv"
        path.write_bytes(_csv_bytes(table, "utf-8"))
        before = _state(register)
        with pytest.raises(ImportRejected) as rejected:
            preview_import(register, kind, path)
        assert any(column in str(p) for p in rejected.value.problems), rejected.value.problems
        assert _state(register) == before
