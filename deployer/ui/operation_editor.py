"""The operation editor: details and places, shift templates, demand per site and shift, fatigue policy.

Edits change an Operation held here; nothing is stored until Save, which writes it in one
transaction (or says what is wrong and keeps every edit).
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from deployer.domain.catalogue import Catalogue
from deployer.domain.demand_edits import apply_templates, copy_demand, set_demand, shifts_on, templates_of
from deployer.domain.errors import DomainError
from deployer.domain.locations import LocationKind
from deployer.domain.operations import DemandLine, Operation, OperationKind, ShiftTemplate, SkillNeed
from deployer.domain.policy import FatiguePolicy
from deployer.services.operations import OperationContext, load_context, load_operation, save_operation
from deployer.store.database import Database
from deployer.ui.editing import ERROR_STYLE, FieldError, editable_table, plain_label
from deployer.ui.rows_model import EditableRowsModel

#: Shift patterns planners start from.
PRESETS = {
    "Three 8-hour shifts (07-15, 15-23, 23-07)": [
        ("D", "07:00", "8"),
        ("A", "15:00", "8"),
        ("N", "23:00", "8"),
    ],
    "Two 12-hour shifts (07-19, 19-07)": [("D12", "07:00", "12"), ("N12", "19:00", "12")],
}
#: Policy fields shown in hours rather than minutes.
MINUTE_FIELDS = {
    f.name for f in fields(FatiguePolicy) if f.name.endswith("_minutes") or f.name.endswith("_minute")
}


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def parse_line(row: tuple[str, ...], catalogue: Catalogue, where: str) -> DemandLine:
    """A demand line from the editor's columns: count, minimum rank, skills 'PO;FA:2', agencies 'A;B'."""
    count, rank, skills, agencies = (row + ("",) * 4)[:4]
    if not count.isdigit():
        raise FieldError(f"{where}: count '{count}' is not a whole number")
    if rank and rank not in catalogue.ranks:
        raise FieldError(f"{where}: rank '{rank}' is not in the catalogue")
    needs = []
    for item in filter(None, (part.strip() for part in skills.replace(",", ";").split(";"))):
        code, _, level = item.partition(":")
        if code.strip() not in catalogue.skills:
            raise FieldError(f"{where}: skill '{code.strip()}' is not in the catalogue")
        if level and not level.strip().isdigit():
            raise FieldError(f"{where}: level '{level}' of {code} is not a whole number")
        needs.append(SkillNeed(code.strip(), int(level or 1)))
    codes = [a.strip() for a in agencies.replace(",", ";").split(";") if a.strip()]
    for code in codes:
        if code not in catalogue.agencies:
            raise FieldError(f"{where}: agency '{code}' is not in the catalogue")
    return DemandLine(int(count), rank or None, frozenset(needs), frozenset(codes))


def line_row(line: DemandLine) -> tuple[str, str, str, str]:
    """The editor's columns of a demand line (inverse of :func:`parse_line`)."""
    skills = ";".join(
        sorted(n.skill if n.min_level <= 1 else f"{n.skill}:{n.min_level}" for n in line.skills)
    )
    return str(line.count), line.min_rank or "", skills, ";".join(sorted(line.agencies))


class OperationEditor(QWidget):
    """A list of operations and, for the chosen one, tabs to edit everything about it."""

    saved = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.context: OperationContext | None = None
        self.operation: Operation | None = None
        self.is_new = False
        self.version: int | None = None
        """The open operation's version as read: a save over another planner's change is refused."""
        self._demand_at: tuple[str, date] | None = None

        self.names = QListWidget()
        self.names.currentTextChanged.connect(self.open)
        new = QPushButton("New operation")
        new.clicked.connect(self.new_operation)

        self.name = QLineEdit()
        self.kind = QComboBox()
        for kind in OperationKind:
            self.kind.addItem(kind.value.capitalize(), kind.value)
        self.first_day, self.last_day = _date_edit(), _date_edit()
        self.timezone = QLineEdit()
        self.description = QLineEdit()
        self.cities, self.sites = QListWidget(), QListWidget()
        self.cities.itemChanged.connect(self._cities_changed)
        details = QWidget()
        form = QFormLayout(details)
        form.addRow("Name", self.name)
        form.addRow("Kind", self.kind)
        form.addRow("First day", self.first_day)
        form.addRow("Last day", self.last_day)
        form.addRow("Time zone", self.timezone)
        form.addRow("Description", self.description)
        places = QHBoxLayout()
        places.addWidget(self.cities)
        places.addWidget(self.sites)
        form.addRow("Cities and sites", places)

        self.templates = EditableRowsModel(["Label", "Start (HH:MM)", "Hours"], self)
        self.preset = QComboBox()
        self.preset.addItems(list(PRESETS))
        use_preset = QPushButton("Use pattern")
        use_preset.clicked.connect(lambda: self.templates.set_rows(list(PRESETS[self.preset.currentText()])))
        apply = QPushButton("Apply templates, dates and places (builds every site's shifts)")
        apply.clicked.connect(self.apply_templates)
        shifts = QWidget()
        shifts_layout = QVBoxLayout(shifts)
        preset_bar = QHBoxLayout()
        preset_bar.addWidget(self.preset, 1)
        preset_bar.addWidget(use_preset)
        shifts_layout.addLayout(preset_bar)
        shifts_layout.addWidget(editable_table(self.templates, "Shift templates"))
        shifts_layout.addWidget(apply)

        self.demand_site, self.demand_day = QComboBox(), QComboBox()
        self.demand_site.currentIndexChanged.connect(self._show_demand)
        self.demand_day.currentIndexChanged.connect(self._show_demand)
        self.demand = EditableRowsModel(["Shift", "Count", "Min rank", "Skills (PO;FA:2)", "Agencies"], self)
        self.copy_from, self.copy_to = _date_edit(), _date_edit()
        self.copy_all_sites = QCheckBox("every site")
        copy = QPushButton("Copy this day's demand")
        copy.clicked.connect(self.copy_day)
        demand = QWidget()
        demand_layout = QVBoxLayout(demand)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Site"))
        pick.addWidget(self.demand_site, 2)
        pick.addWidget(QLabel("Day"))
        pick.addWidget(self.demand_day, 1)
        demand_layout.addLayout(pick)
        demand_layout.addWidget(
            editable_table(self.demand, "Demand lines (one row per line; Shift is the label)")
        )
        copy_bar = QHBoxLayout()
        copy_bar.addWidget(copy)
        copy_bar.addWidget(QLabel("to every day from"))
        copy_bar.addWidget(self.copy_from)
        copy_bar.addWidget(QLabel("to"))
        copy_bar.addWidget(self.copy_to)
        copy_bar.addWidget(self.copy_all_sites)
        copy_bar.addStretch()
        demand_layout.addLayout(copy_bar)

        self.policy_name = QLineEdit()
        self.policy: dict[str, QSpinBox] = {}
        policy = QWidget()
        policy_form = QFormLayout(policy)
        policy_form.addRow("Policy name (shared by operations using it)", self.policy_name)
        for f in fields(FatiguePolicy):
            if f.type not in ("int", int):
                continue
            box = QSpinBox(minimum=0, maximum=100_000)
            if f.name in MINUTE_FIELDS:
                box.setSuffix(" min")
            self.policy[f.name] = box
            policy_form.addRow(f.name.replace("_", " ").capitalize(), box)

        self.tabs = QTabWidget()
        self.tabs.addTab(details, "Details and places")
        self.tabs.addTab(shifts, "Shift templates")
        self.tabs.addTab(demand, "Demand")
        self.tabs.addTab(policy, "Fatigue policy")
        self.message = plain_label("Choose an operation, or start a new one.")
        self.message.setWordWrap(True)
        save = QPushButton("Save operation")
        save.clicked.connect(self.save)
        left = QVBoxLayout()
        left.addWidget(self.names)
        left.addWidget(new)
        right = QVBoxLayout()
        right.addWidget(self.tabs)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(save)
        right.addLayout(bottom)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 4)

    def _say(self, text: str, *, error: bool = False) -> None:
        """Tell the planner what happened; errors in red."""
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")

    # -- loading ------------------------------------------------------------------------------

    def set_operations(self, names: list[str]) -> None:
        """The operations in the database (after loading the register)."""
        self.context = load_context(self.db)
        current = self.names.currentItem().text() if self.names.currentItem() else None
        self.names.blockSignals(True)
        self.names.clear()
        self.names.addItems(names)
        self.names.blockSignals(False)
        matches = self.names.findItems(current or "", Qt.MatchFlag.MatchExactly)
        if matches:
            self.names.setCurrentItem(matches[0])
        elif names:
            self.names.setCurrentRow(0)

    def open(self, name: str) -> None:
        """Load an operation into the editor."""
        if name:
            stored = load_operation(self.db, name)
            self._show(stored.operation, new=False)
            self.version = stored.version

    def new_operation(self) -> None:
        """Start a new operation: a week from today, three 8-hour shifts, no places yet."""
        today = date.today()
        blank = Operation("New operation", OperationKind.EMERGENCY, today, today + timedelta(days=6))
        self._show(blank, new=True)
        self.version = None
        self.templates.set_rows(list(next(iter(PRESETS.values()))))
        self._say("Name it, choose dates, cities and sites, apply the templates, then add demand.")

    def _show(self, operation: Operation, *, new: bool) -> None:
        assert self.context is not None
        self.operation, self.is_new, self._demand_at = operation, new, None
        self.name.setText(operation.name)
        self.name.setReadOnly(not new)
        self.kind.setCurrentIndex(self.kind.findData(operation.kind.value))
        self.first_day.setDate(_qdate(operation.first_day))
        self.last_day.setDate(_qdate(operation.last_day))
        self.timezone.setText(operation.timezone)
        self.description.setText(operation.description)
        locations = self.context.locations
        self.cities.blockSignals(True)
        self.cities.clear()
        for loc in sorted(locations.values(), key=lambda x: x.name):
            if loc.kind == LocationKind.CITY:
                self._check_item(
                    self.cities, f"{loc.name} ({loc.code})", loc.code, loc.code in operation.cities
                )
        self.cities.blockSignals(False)
        self._list_sites(set(operation.sites))
        self.templates.set_rows(
            [(t.label, f"{t.start:%H:%M}", f"{t.minutes / 60:g}") for t in templates_of(operation)]
        )
        self.policy_name.setText(operation.policy.name)
        for name, box in self.policy.items():
            box.setValue(getattr(operation.policy, name))
        self._fill_demand_choices()
        self._say(f"{operation.name}: {len(operation.shifts):,} shifts, {len(operation.sites)} sites.")

    def _check_item(self, widget: QListWidget, text: str, code: str, checked: bool) -> None:
        item = QListWidgetItem(text, widget)
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _checked(self, widget: QListWidget) -> tuple[str, ...]:
        items = (widget.item(i) for i in range(widget.count()))
        return tuple(
            i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked
        )

    def _list_sites(self, chosen: set[str]) -> None:
        """Sites of the checked cities (checked ones kept)."""
        assert self.context is not None
        cities = set(self._checked(self.cities))
        self.sites.clear()
        for loc in sorted(self.context.locations.values(), key=lambda x: (x.city or "", x.name)):
            if loc.kind == LocationKind.SITE and loc.city in cities:
                self._check_item(self.sites, f"{loc.name} ({loc.code})", loc.code, loc.code in chosen)

    def _cities_changed(self) -> None:
        self._list_sites(set(self._checked(self.sites)))

    # -- editing ------------------------------------------------------------------------------

    def templates_typed(self) -> list[ShiftTemplate]:
        """The shift templates as typed; FieldError names the row that does not read."""
        out = []
        for i, (label, start, hours) in enumerate(self.templates.rows, start=1):
            try:
                begins = time.fromisoformat(start)
                minutes = round(float(hours) * 60)
            except ValueError:
                raise FieldError(
                    f"Template row {i}: start '{start}' or hours '{hours}' does not read"
                ) from None
            out.append(ShiftTemplate(label, begins, minutes))
        return out

    def apply_templates(self) -> bool:
        """Rebuild every site's shifts over the dates from the templates (demand of kept shifts stays)."""
        assert self.operation is not None
        if not self._commit_demand():
            return False
        try:
            self.operation = apply_templates(
                self._details(self.operation),
                self.templates_typed(),
                _date(self.first_day.date()),
                _date(self.last_day.date()),
                self._checked(self.cities),
                self._checked(self.sites),
            )
        except (FieldError, DomainError, ValueError) as error:
            self._say(str(error), error=True)
            return False
        self._say(f"{len(self.operation.shifts):,} shifts over {len(self.operation.days)} days.")
        self._fill_demand_choices()
        return True

    def _details(self, operation: Operation) -> Operation:
        return replace(
            operation,
            name=self.name.text().strip(),
            kind=OperationKind(self.kind.currentData()),
            timezone=self.timezone.text().strip(),
            description=self.description.text().strip(),
        )

    def _fill_demand_choices(self) -> None:
        assert self.operation is not None and self.context is not None
        self._demand_at = None
        for box in (self.demand_site, self.demand_day):
            box.blockSignals(True)
            box.clear()
        for code in self.operation.sites:
            loc = self.context.locations.get(code)
            self.demand_site.addItem(f"{loc.name if loc else code} ({code})", code)
        for day in self.operation.days:
            self.demand_day.addItem(f"{day:%a %d %b %Y}", day)
        for box in (self.demand_site, self.demand_day):
            box.blockSignals(False)
        first, last = self.operation.first_day, self.operation.last_day
        self.copy_from.setDate(_qdate(first))
        self.copy_to.setDate(_qdate(last))
        self._show_demand()

    def _show_demand(self) -> None:
        if not self._commit_demand():
            return
        site, day = self.demand_site.currentData(), self.demand_day.currentData()
        if self.operation is None or site is None or day is None:
            self.demand.set_rows([])
            return
        self._demand_at = (site, day)
        self.demand.set_rows(
            [(s.label, *line_row(line)) for s in shifts_on(self.operation, site, day) for line in s.demand]
        )

    def _commit_demand(self) -> bool:
        """Read the demand table back into the operation; False (and a message) if a row is wrong."""
        if self.operation is None or self._demand_at is None or self.context is None:
            return True
        site, day = self._demand_at
        by_label: dict[str, list[DemandLine]] = {s.label: [] for s in shifts_on(self.operation, site, day)}
        try:
            for i, row in enumerate(self.demand.rows, start=1):
                label = row[0]
                if label not in by_label:
                    raise FieldError(f"Demand row {i}: shift '{label}' is not one of {', '.join(by_label)}")
                by_label[label].append(parse_line(row[1:], self.context.catalogue, f"Demand row {i}"))
        except FieldError as error:
            self._say(str(error), error=True)
            return False
        for s in shifts_on(self.operation, site, day):
            self.operation = set_demand(self.operation, s.key, by_label[s.label])
        return True

    def copy_day(self) -> bool:
        """Copy the shown day's demand to every day of the chosen range (this site or every site)."""
        if self.operation is None or self._demand_at is None or not self._commit_demand():
            return False
        site, day = self._demand_at
        sites = self.operation.sites if self.copy_all_sites.isChecked() else (site,)
        first, last = _date(self.copy_from.date()), _date(self.copy_to.date())
        self.operation = copy_demand(self.operation, sites, day, first, last)
        self._say(f"Copied {day:%d %b} to {first:%d %b}–{last:%d %b} for {len(sites)} site(s).")
        return True

    def policy_typed(self) -> FatiguePolicy:
        assert self.operation is not None
        values: dict[str, Any] = {name: box.value() for name, box in self.policy.items()}
        return replace(self.operation.policy, name=self.policy_name.text().strip(), **values)

    def save(self) -> bool:
        """Store the operation as edited, or say what is wrong and keep the edits."""
        if self.operation is None or not self._commit_demand():
            return False
        try:
            operation = replace(self._details(self.operation), policy=self.policy_typed())
            self.version = save_operation(self.db, operation, new=self.is_new, based_on=self.version)
        except (FieldError, DomainError, ValueError) as error:
            self._say(f"Not saved: {error}", error=True)
            return False
        self.operation, self.is_new = operation, False
        self.name.setReadOnly(True)
        self._say(f"Saved {operation.name}: {len(operation.shifts):,} shifts.")
        self.saved.emit(operation.name)
        return True
