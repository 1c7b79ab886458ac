"""Table model of a roster as people by day: each cell shows site and shift, coloured by city."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Assignment
from deployer.domain.validator import Breach
from deployer.ui.city_colours import SHORT, city_colours
from deployer.ui.editing import plain_tip

Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.FontRole,
    }
)
_SHORT_BRUSH = QBrush(SHORT)
FIXED_COLUMNS = ("Person", "Rank", "Hours")


class RosterGrid:
    """A roster laid out as people by day: plain Python, so it can be built off the GUI thread.

    Cells are precomputed text per person so that painting 4,000 x 29 cells stays cheap;
    :meth:`refresh` recomputes only the people an edit touched.
    """

    def __init__(self, problem: RosterProblem, assignments: list[Assignment], breaches: list[Breach]) -> None:
        self.problem = problem
        self.days = problem.operation.days
        people = sorted(problem.staff, key=lambda p: (p.family_name, p.given_name, p.service_number))
        self.people = [p.service_number for p in people]
        self.row_of = {n: i for i, n in enumerate(self.people)}
        self.search = [
            " " + f"{p.service_number} {p.given_name} {p.family_name} {p.rank}".casefold() for p in people
        ]
        self.shift_cell = self._shift_cells(problem)
        self.cells: list[list[tuple[str, str]]] = [[("", "")] * len(self.days) for _ in people]
        """Per row, per day: (text, city) of the day's shifts."""
        self.hours = [0.0] * len(people)
        self.faults: dict[tuple[str, date], list[str]] = {}
        self._fill(self._by_person(assignments, set(self.people)))
        self.set_faults(breaches)

    def refresh(self, assignments: list[Assignment], breaches: list[Breach], people: set[str]) -> set[int]:
        """Recompute the rows of ``people`` and every breach mark; returns the rows that changed."""
        touched = {n for n in people if n in self.row_of}
        for number in touched:
            row = self.row_of[number]
            self.cells[row] = [("", "")] * len(self.days)
            self.hours[row] = 0.0
        self._fill(self._by_person(assignments, touched))
        old = set(self.faults)
        self.set_faults(breaches)
        changed = {n for n, _ in old ^ set(self.faults)}
        return {self.row_of[n] for n in touched | changed if n in self.row_of}

    def sort(self, column: int, descending: bool) -> None:
        """Order people by name, rank, hours or a day's cell."""
        keys: list[Any]
        if column == 0:
            people = [self.problem.person(n) for n in self.people]
            keys = [(p.family_name, p.given_name, p.service_number) for p in people]
        elif column == 1:
            keys = [self.problem.person(n).rank for n in self.people]
        elif column == 2:
            keys = self.hours
        else:
            keys = [cells[column - len(FIXED_COLUMNS)][0] for cells in self.cells]
        order = sorted(range(len(keys)), key=keys.__getitem__, reverse=descending)
        self.people = [self.people[i] for i in order]
        self.cells = [self.cells[i] for i in order]
        self.hours = [self.hours[i] for i in order]
        self.search = [self.search[i] for i in order]
        self.row_of = {n: i for i, n in enumerate(self.people)}

    def _by_person(self, assignments: list[Assignment], people: set[str]) -> dict[str, list[Assignment]]:
        out: dict[str, list[Assignment]] = defaultdict(list)
        for a in assignments:
            if a.service_number in people:
                out[a.service_number].append(a)
        return out

    def _fill(self, by_person: dict[str, list[Assignment]]) -> None:
        for number, items in by_person.items():
            row = self.row_of[number]
            cells = self.cells[row]
            for a in sorted(items, key=lambda x: x.shift_key):
                col, text, city, hours = self.shift_cell[a.shift_key]
                previous = cells[col][0]
                cells[col] = (f"{previous} + {text}" if previous else text, city)
                self.hours[row] += hours

    @staticmethod
    def _shift_cells(problem: RosterProblem) -> dict[str, tuple[int, str, str, float]]:
        """(column, text, city, hours) of every shift, worked out once per roster."""
        places = problem.travel.locations
        first = problem.operation.first_day
        out = {}
        for shift in problem.operation.shifts:
            site = places.get(shift.site)
            city = (site.city or "") if site else ""
            out[shift.key] = (
                (shift.day - first).days,
                f"{shift.site} {shift.label}".strip(),
                city,
                shift.minutes / 60,
            )
        return out

    def set_faults(self, breaches: list[Breach]) -> None:
        faults: dict[tuple[str, date], list[str]] = defaultdict(list)
        for b in breaches:
            if b.service_number and b.day:
                faults[(b.service_number, b.day)].append(b.message)
        self.faults = faults


class RosterGridModel(QAbstractTableModel):
    """A :class:`RosterGrid` as a table: rows are people, columns their details then the days."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid: RosterGrid | None = None
        self.generation = 0
        """Bumped on every reset, so that filters know their row numbers are stale."""
        self._brushes: dict[str, QBrush] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    @property
    def problem(self) -> RosterProblem | None:
        return self.grid.problem if self.grid else None

    @property
    def days(self) -> list[date]:
        return self.grid.days if self.grid else []

    def set_grid(self, grid: RosterGrid) -> None:
        """Show a whole roster, laid out beforehand (off the GUI thread for a big one)."""
        self.beginResetModel()
        self.grid = grid
        cities = list(grid.problem.operation.cities)
        self._brushes = {city: QBrush(colour) for city, colour in city_colours(cities).items()}
        self.generation += 1
        self.endResetModel()

    def set_roster(
        self, problem: RosterProblem, assignments: list[Assignment], breaches: list[Breach]
    ) -> None:
        """Lay out and show a whole roster."""
        self.set_grid(RosterGrid(problem, assignments, breaches))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort people by name, rank, hours or a day's cell (a Python sort: fast at 4,000 rows)."""
        if self.grid is None:
            return
        self.beginResetModel()
        self.grid.sort(column, order == Qt.SortOrder.DescendingOrder)
        self.generation += 1
        self.endResetModel()

    def search_texts(self) -> list[str]:
        """What the search box matches, row by row."""
        return self.grid.search if self.grid else []

    def refresh(self, assignments: list[Assignment], breaches: list[Breach], people: set[str]) -> None:
        """Recompute the rows of ``people`` after an edit, and every cell's breach marks."""
        if self.grid is None:
            return
        for row in self.grid.refresh(assignments, breaches, people):
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    # -- lookups for the views -----------------------------------------------------------------

    def service_number(self, row: int) -> str:
        assert self.grid is not None
        return self.grid.people[row]

    def row_of(self, service_number: str) -> int | None:
        return self.grid.row_of.get(service_number) if self.grid else None

    def day(self, column: int) -> date | None:
        """The day of a column, None for the fixed columns."""
        k = column - len(FIXED_COLUMNS)
        return self.days[k] if 0 <= k < len(self.days) else None

    def column_of(self, day: date) -> int:
        return len(FIXED_COLUMNS) + (day - self.days[0]).days

    # -- Qt model interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.grid is None else len(self.grid.people)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED_COLUMNS) + len(self.days)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        day = self.day(section)
        return FIXED_COLUMNS[section] if day is None else f"{day:%a}\n{day:%d %b}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.cell(index.row(), index.column(), role) if index.isValid() else None

    def cell(self, row: int, column: int, role: int) -> Any:
        """What ``data`` answers for a row and column (the filter proxy asks here directly)."""
        # Painting asks for many roles per cell; answer the unused ones first, and cheaply.
        grid = self.grid
        if role not in _ROLES or grid is None:
            return None
        k = column - len(FIXED_COLUMNS)
        if k < 0:
            return self._fixed(grid, row, k + len(FIXED_COLUMNS), role)
        text, city = grid.cells[row][k]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        faults = grid.faults.get((grid.people[row], grid.days[k])) if grid.faults else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return _SHORT_BRUSH if faults else self._brushes.get(city)
        if role == Qt.ItemDataRole.ToolTipRole and faults:
            return plain_tip("\n".join(faults))
        if role == Qt.ItemDataRole.FontRole and faults:
            return self._bold
        return None

    def _fixed(self, grid: RosterGrid, row: int, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        person = grid.problem.person(grid.people[row])
        if column == 0:
            return f"{person.name} ({person.service_number})"
        if column == 1:
            return person.rank
        return round(grid.hours[row], 1)  # a number, so that the column sorts as one
