"""The staff register tab: search, filters, the table of staff, and the person and skills editors."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from deployer.domain.locations import LocationKind
from deployer.services.register import RegisterSnapshot
from deployer.store.database import Database
from deployer.ui.catalogue_dialog import SkillsDialog
from deployer.ui.person_dialog import PersonDialog
from deployer.ui.staff_filter import StaffCriteria, StaffFilterProxy
from deployer.ui.staff_model import EXPIRY_WARNING_DAYS, StaffTableModel

#: Width of each register column, in average characters.
COLUMN_CHARS = (12, 26, 20, 10, 30, 40, 12)


def _choices(box: QComboBox, everyone: str, items: list[tuple[str, str]]) -> None:
    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    box.addItem(everyone, "")
    for code, text in items:
        box.addItem(text, code)
    box.setCurrentIndex(max(0, box.findData(current)))
    box.blockSignals(False)


class RegisterPanel(QWidget):
    """Everyone in the register, found by typing or by field; double-click a person to edit them."""

    changed = Signal(str)
    """Something was saved; the text says what."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.snapshot: RegisterSnapshot | None = None
        self.model = StaffTableModel(self)
        self.proxy = StaffFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit(placeholderText="Search staff: name, service number, rank, station, skill…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.rank, self.agency, self.station, self.skill = QComboBox(), QComboBox(), QComboBox(), QComboBox()
        self.station.setEditable(True)
        self.station.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.expiring = QCheckBox("Certification expiring within")
        self.days = QSpinBox(minimum=1, maximum=3650, suffix=" days")
        self.days.setValue(EXPIRY_WARNING_DAYS)
        for box in (self.rank, self.agency, self.station, self.skill):
            box.currentIndexChanged.connect(self._filter)
        self.expiring.toggled.connect(self._filter)
        self.days.valueChanged.connect(self._filter)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        width = self.table.fontMetrics().averageCharWidth()
        for column, chars in enumerate(COLUMN_CHARS):  # fixed: measuring 25,000 rows takes a while
            self.table.horizontalHeader().resizeSection(column, chars * width + 16)
        self.table.doubleClicked.connect(self._double_clicked)
        self.shown = QLabel()
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.rowsRemoved.connect(self._count)
        self.proxy.modelReset.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)

        filters = QHBoxLayout()
        for label, box in (
            ("Rank", self.rank),
            ("Agency", self.agency),
            ("Station", self.station),
            ("Skill", self.skill),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(box, 1)
        filters.addWidget(self.expiring)
        filters.addWidget(self.days)
        actions = QHBoxLayout()
        for text, slot in (
            ("New person…", self.new_person),
            ("Edit person…", self.edit_selected),
            ("Skills catalogue…", self.edit_skills),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            actions.addWidget(button)
        actions.addStretch()
        actions.addWidget(self.shown)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addLayout(actions)

    def set_snapshot(self, snapshot: RegisterSnapshot) -> None:
        """Show a freshly read register and offer its ranks, agencies, stations and skills as filters."""
        self.snapshot = snapshot
        catalogue = snapshot.catalogue
        self.model.set_register(snapshot.staff, catalogue, snapshot.locations)
        _choices(self.rank, "All ranks", [(r.code, r.title) for r in catalogue.ranks.values()])
        _choices(self.agency, "All agencies", [(a.code, a.name) for a in catalogue.agencies.values()])
        stations = sorted(
            (loc for loc in snapshot.locations.values() if loc.kind == LocationKind.STATION),
            key=lambda loc: loc.name,
        )
        _choices(self.station, "All stations", [(loc.code, loc.name) for loc in stations])
        _choices(self.skill, "All skills", [(s.code, s.name) for s in catalogue.skills.values()])
        self._count()

    def _filter(self) -> None:
        self.model.set_expiry_days(self.days.value())
        self.proxy.set_criteria(
            StaffCriteria(
                rank=self.rank.currentData() or "",
                agency=self.agency.currentData() or "",
                station=self.station.currentData() or "",
                skill=self.skill.currentData() or "",
                expiring_within=self.days.value() if self.expiring.isChecked() else None,
            )
        )
        self._count()

    def _count(self) -> None:
        self.shown.setText(f"{self.proxy.rowCount():,} of {self.model.rowCount():,} shown")

    def _double_clicked(self, index: QModelIndex) -> None:
        self.edit_person(self.proxy.mapToSource(index).row())

    def edit_selected(self) -> PersonDialog | None:
        index = self.table.currentIndex()
        return self.edit_person(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def new_person(self) -> PersonDialog | None:
        return self._person_dialog(None)

    def edit_person(self, row: int) -> PersonDialog | None:
        """Open the editor on the person of a register row."""
        return self._person_dialog(self.model.person(row))

    def _person_dialog(self, person) -> PersonDialog | None:  # type: ignore[no-untyped-def]
        if self.snapshot is None:
            return None
        version = self.snapshot.versions.get(person.service_number) if person else None
        dialog = PersonDialog(
            self.db, self.snapshot.catalogue, self.snapshot.locations, person, self, version
        )
        dialog.saved.connect(
            lambda member: self.changed.emit(f"Saved {member.name} ({member.service_number})")
        )
        dialog.open()
        return dialog

    def edit_skills(self) -> SkillsDialog | None:
        if self.snapshot is None:
            return None
        dialog = SkillsDialog(self.db, self.snapshot.catalogue, self)
        dialog.saved.connect(lambda: self.changed.emit("Skills catalogue saved"))
        dialog.open()
        return dialog
