"""The locations tab: cities, stations and sites, and the travel matrix between them."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from deployer.domain.locations import LocationKind, TravelMatrix
from deployer.services.places import load_travel, set_leg
from deployer.store.database import Database
from deployer.ui.editing import plain_label
from deployer.ui.rows_model import RowsModel
from deployer.ui.travel_model import TravelModel

HEADERS = ["Code", "Name", "Kind", "City", "Site kind", "Region", "Latitude", "Longitude", "Address"]


class LocationsPanel(QWidget):
    """Every location in a sortable table; below, travel minutes from one kind of place to each site."""

    changed = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.places = RowsModel(HEADERS, self)
        self.places_proxy = QSortFilterProxyModel(self)
        self.places_proxy.setSourceModel(self.places)
        self.places_proxy.setFilterKeyColumn(2)
        self.kind = QComboBox()
        self.kind.addItem("All kinds", "")
        for kind in LocationKind:
            self.kind.addItem(kind.value.capitalize(), kind.value)
        self.kind.currentIndexChanged.connect(
            lambda: self.places_proxy.setFilterFixedString(self.kind.currentData())
        )
        places_view = QTableView()
        places_view.setModel(self.places_proxy)
        places_view.setSortingEnabled(True)
        places_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        places_view.verticalHeader().setVisible(False)
        places_view.horizontalHeader().setStretchLastSection(True)

        self.travel = TravelModel(self)
        self.travel.edited.connect(self._leg_typed)
        self.origin_kind = QComboBox()
        for kind in (LocationKind.CITY, LocationKind.STATION, LocationKind.SITE):
            self.origin_kind.addItem(f"From {kind.value}s", kind.value)
        self.origin_kind.currentIndexChanged.connect(self._show_travel)
        self.travel_view = QTableView()
        self.travel_view.setModel(self.travel)
        self.travel_view.horizontalHeader().setDefaultSectionSize(64)
        self.message = plain_label(
            "Minutes one way. Grey ~figures are estimates from coordinates: type to measure."
        )
        self.message.setWordWrap(True)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.kind)
        bar.addStretch()
        top_layout.addLayout(bar)
        top_layout.addWidget(places_view)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Travel matrix"))
        bar.addWidget(self.origin_kind)
        bar.addWidget(self.message, 1)
        bottom_layout.addLayout(bar)
        bottom_layout.addWidget(self.travel_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._matrix: TravelMatrix | None = None

    def reload(self) -> None:
        """Read the locations and legs again."""
        self._matrix = load_travel(self.db)
        self.places.set_rows(
            [
                (
                    loc.code,
                    loc.name,
                    loc.kind.value,
                    loc.city or "",
                    loc.site_kind.value if loc.site_kind else "",
                    loc.region,
                    f"{loc.latitude:.4f}",
                    f"{loc.longitude:.4f}",
                    loc.address,
                )
                for loc in self._matrix.locations.values()
            ]
        )
        self._show_travel()

    def _show_travel(self) -> None:
        if self._matrix is not None:
            self.travel.set_travel(self._matrix, LocationKind(self.origin_kind.currentData()))

    def _leg_typed(self, origin: str, destination: str, minutes: int, km: float) -> None:
        try:
            set_leg(self.db, origin, destination, minutes, km)
        except Exception as error:  # noqa: BLE001 - shown; the matrix is read again as stored
            self.message.setText(f"Not saved: {error}")
            self.reload()
            return
        self.message.setText(f"Saved: {origin} → {destination} {minutes} min (measured).")
        self.changed.emit(f"Travel {origin} → {destination} set to {minutes} min")
