"""The travel matrix as a table: origins by sites, minutes in each cell, estimates marked."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from deployer.domain.locations import Leg, Location, LocationKind, TravelMatrix
from deployer.ui.editing import plain_tip

Index = QModelIndex | QPersistentModelIndex
ESTIMATED = QColor("#777777")


class TravelModel(QAbstractTableModel):
    """Rows are origins of one kind (cities, stations or sites), columns every site.

    A measured leg shows its minutes; an estimate from coordinates shows '~' and grey italics.
    Typing minutes into a cell asks for that leg to be recorded as measured (``edited``).
    """

    edited = Signal(str, str, int, float)
    """origin, destination, minutes, km of a leg typed in."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.travel: TravelMatrix | None = None
        self.origins: list[Location] = []
        self.sites: list[Location] = []
        self._measured: dict[tuple[str, str], Leg] = {}
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_travel(self, travel: TravelMatrix, kind: LocationKind) -> None:
        """Show legs from every location of ``kind`` to every site."""
        self.beginResetModel()
        self.travel = travel
        by_name = sorted(travel.locations.values(), key=lambda loc: (loc.city or loc.code, loc.name))
        self.origins = [loc for loc in by_name if loc.kind == kind]
        self.sites = [loc for loc in by_name if loc.kind == LocationKind.SITE]
        self._measured = travel.measured()
        self.endResetModel()

    def leg(self, index: Index) -> tuple[Leg, bool]:
        """The leg of a cell and whether it was measured."""
        assert self.travel is not None
        key = (self.origins[index.row()].code, self.sites[index.column()].code)
        if key in self._measured:
            return self._measured[key], True
        return self.travel.leg(*key), key[0] == key[1]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.origins)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.sites)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        places = self.sites if orientation == Qt.Orientation.Horizontal else self.origins
        if role == Qt.ItemDataRole.DisplayRole:
            return places[section].code
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(places[section].name)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.travel is None:
            return None
        leg, measured = self.leg(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return str(leg.minutes) if measured else f"~{leg.minutes}"
        if role == Qt.ItemDataRole.EditRole:
            return leg.minutes
        if role == Qt.ItemDataRole.ToolTipRole:
            how = (
                "measured"
                if measured
                else "estimated from coordinates (type minutes to record a measured leg)"
            )
            return (
                f"{self.origins[index.row()].name} → {self.sites[index.column()].name}: "
                f"{leg.minutes} min, {leg.km:g} km, {how}"
            )
        if not measured and role == Qt.ItemDataRole.FontRole:
            return self._italic
        if not measured and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(ESTIMATED)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        try:
            minutes = int(str(value).strip().lstrip("~"))
        except ValueError:
            return False
        if role != Qt.ItemDataRole.EditRole or minutes < 0:
            return False
        leg, _ = self.leg(index)
        origin, site = self.origins[index.row()].code, self.sites[index.column()].code
        self._measured[(origin, site)] = Leg(minutes, leg.km)
        self.edited.emit(origin, site, minutes, leg.km)
        self.dataChanged.emit(index, index)
        return True
