"""Table model of the staff register: a thin adapter over a list of StaffMember."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from deployer.domain.catalogue import Catalogue
from deployer.domain.locations import Location
from deployer.domain.staff import StaffMember
from deployer.ui.editing import plain_tip

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Service no.", "Name", "Rank", "Agency", "Home station", "Skills", "Next expiry")
#: Certifications expiring within this many days are highlighted.
EXPIRY_WARNING_DAYS = 30


class StaffTableModel(QAbstractTableModel):
    """One row per person; :meth:`search_texts` gives the texts a search box matches against."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._staff: list[StaffMember] = []
        self._catalogue: Catalogue | None = None
        self._stations: dict[str, Location] = {}
        self._search: list[str] = []
        self._order = (0, Qt.SortOrder.AscendingOrder)
        self.generation = 0
        """Bumped on every reset, so that filters know their row numbers are stale."""
        self.today = date.today()
        self.expiry_days = EXPIRY_WARNING_DAYS

    def set_register(
        self, staff: list[StaffMember], catalogue: Catalogue, stations: dict[str, Location]
    ) -> None:
        """Replace the whole register (after loading or importing)."""
        self.beginResetModel()
        self._catalogue = catalogue
        self._stations = stations
        self._staff = self._sorted(staff, *self._order)
        self._search = [self._search_text(m) for m in self._staff]
        self.generation += 1
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by a column's text (a Python sort: fast at 25,000 rows); kept across reloads."""
        if (column, order) == self._order:
            return
        self._order = (column, order)
        self.set_register(self._staff, self._catalogue or Catalogue({}, {}, {}), self._stations)

    def _sorted(self, staff: list[StaffMember], column: int, order: Qt.SortOrder) -> list[StaffMember]:
        keys = [self._display(p, column) for p in staff]
        rows = sorted(range(len(keys)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        return [staff[i] for i in rows]

    def search_texts(self) -> list[str]:
        """What the search box matches, row by row."""
        return self._search

    def set_expiry_days(self, days: int) -> None:
        """Highlight certifications expiring within ``days`` from today."""
        if days != self.expiry_days:
            self.expiry_days = days
            self.dataChanged.emit(self.index(0, 6), self.index(self.rowCount() - 1, 6))

    def person(self, row: int) -> StaffMember:
        """The person shown on ``row``."""
        return self._staff[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._staff)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.cell(index.row(), index.column(), role) if index.isValid() else None

    def cell(self, row: int, column: int, role: int) -> Any:
        """What ``data`` answers for a row and column (the filter proxy asks here directly)."""
        person = self._staff[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(person, column)
        if role == Qt.ItemDataRole.BackgroundRole and column == 6 and self._expiring(person):
            return QBrush(QColor("#ffd6d6"))
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return plain_tip("\n".join(self._skill_line(q) for q in person.qualifications))
        return None

    def _display(self, person: StaffMember, column: int) -> str:
        if column == 0:
            return person.service_number
        if column == 1:
            return person.name
        if column == 2:
            rank = self._catalogue.ranks.get(person.rank) if self._catalogue else None
            return rank.title if rank else person.rank
        if column == 3:
            return person.agency
        if column == 4:
            station = self._stations.get(person.home_station)
            return station.name if station else person.home_station
        if column == 5:
            return ", ".join(q.skill for q in person.qualifications)
        expiries = [q.expires for q in person.qualifications if q.expires]
        return min(expiries).isoformat() if expiries else ""

    def _expiring(self, person: StaffMember) -> bool:
        limit = self.today + timedelta(days=self.expiry_days)
        return any(q.expires and q.expires <= limit for q in person.qualifications)

    def _skill_line(self, q: Any) -> str:
        name = self._catalogue.skills[q.skill].name if self._catalogue else q.skill
        expiry = f", expires {q.expires}" if q.expires else ""
        return f"{name} (level {q.level}{expiry})"

    def _search_text(self, person: StaffMember) -> str:
        station = self._stations.get(person.home_station)
        parts = [
            person.service_number,
            person.given_name,
            person.family_name,
            person.rank,
            person.agency,
            person.home_station,
            station.name if station else "",
        ]
        parts += [q.skill for q in person.qualifications]
        return " " + " ".join(parts).casefold()
