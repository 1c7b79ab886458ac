"""Table model of cover: sites by shift, each cell 'filled / required', shortfalls in red."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from deployer.domain.operations import Shift
from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Assignment
from deployer.ui.city_colours import SHORT, city_colours
from deployer.ui.editing import plain_tip

Index = QModelIndex | QPersistentModelIndex


class CoverageModel(QAbstractTableModel):
    """Rows are sites (by city), columns are the operation's shift slots (day and label)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.problem: RosterProblem | None = None
        self._sites: list[str] = []
        self._slots: list[tuple[date, str]] = []
        self._shifts: dict[tuple[str, date, str], Shift] = {}
        self._filled: Counter[tuple[str, int]] = Counter()
        self._colours: dict[str, QColor] = {}

    def set_roster(self, problem: RosterProblem, assignments: list[Assignment]) -> None:
        """Show the cover of a whole roster."""
        self.beginResetModel()
        self.problem = problem
        op = problem.operation
        self._colours = city_colours(list(op.cities))
        self._sites = sorted(op.sites, key=lambda s: (self._city(s), s))
        self._shifts = {(s.site, s.day, s.label): s for s in op.shifts}
        starts = {(s.day, s.label): f"{s.start:%H%M}" for s in reversed(op.shifts)}
        self._slots = sorted(starts, key=lambda slot: (slot[0], starts[slot], slot[1]))
        self._filled = Counter((a.shift_key, a.line) for a in assignments)
        self.endResetModel()

    def refresh(self, assignments: list[Assignment], shift_keys: set[str]) -> None:
        """Recount after an edit; repaint the cells of ``shift_keys``."""
        self._filled = Counter((a.shift_key, a.line) for a in assignments)
        for (site, day, label), shift in self._shifts.items():
            if shift.key in shift_keys:
                index = self.index(self._sites.index(site), self._slots.index((day, label)))
                self.dataChanged.emit(index, index)

    def _city(self, site: str) -> str:
        assert self.problem is not None
        place = self.problem.travel.locations.get(site)
        return (place.city or "") if place else ""

    def shift_at(self, index: Index) -> Shift | None:
        """The shift shown in a cell (None where the site has no such shift)."""
        day, label = self._slots[index.column()]
        return self._shifts.get((self._sites[index.row()], day, label))

    def counts(self, shift: Shift) -> list[tuple[int, int]]:
        """(filled, required) of each demand line."""
        return [(min(self._filled[(shift.key, i)], d.count), d.count) for i, d in enumerate(shift.demand)]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sites)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._slots)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            site = self._sites[section]
            assert self.problem is not None
            place = self.problem.travel.locations.get(site)
            return f"{site}  {place.name}" if place else site
        day, label = self._slots[section]
        return f"{day:%a %d}\n{label}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        shift = self.shift_at(index)
        if shift is None:
            return None
        counts = self.counts(shift)
        filled, required = sum(c[0] for c in counts), sum(c[1] for c in counts)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{filled}/{required}"
        if role == Qt.ItemDataRole.BackgroundRole:
            if filled < required:
                return QBrush(SHORT)
            return QBrush(self._colours.get(self._city(shift.site), QColor("white")))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{d.describe()}: {f} of {r}" for d, (f, r) in zip(shift.demand, counts, strict=True)]
            return plain_tip(f"{shift.key}  {shift.start:%H:%M}-{shift.end:%H:%M}\n" + "\n".join(lines))
        return None
