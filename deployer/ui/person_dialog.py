"""Editing one person: details, employment limits, skills with level and expiry, leave."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from deployer.domain.catalogue import Catalogue
from deployer.domain.errors import DomainError
from deployer.domain.locations import Location, LocationKind
from deployer.domain.staff import Absence, AbsenceKind, EmploymentLimits, Qualification, StaffMember
from deployer.services.register import save_person
from deployer.store.database import Database
from deployer.ui.editing import FieldError, editable_table, error_label, save_cancel
from deployer.ui.rows_model import EditableRowsModel


def _day(text: str, where: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(f"{where}: '{text}' is not a date (write it as YYYY-MM-DD)") from None


class PersonDialog(QDialog):
    """Add a person (``person`` None) or change one; nothing is saved until every field reads."""

    saved = Signal(object)

    def __init__(
        self,
        db: Database,
        catalogue: Catalogue,
        locations: dict[str, Location],
        person: StaffMember | None = None,
        parent: QWidget | None = None,
        based_on: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.catalogue, self.person = db, catalogue, person
        self.based_on = based_on
        """The person's version as read: a save over another planner's change is refused."""
        self.setWindowTitle(f"Edit {person.name}" if person else "New person")
        self.service_number = QLineEdit(person.service_number if person else "")
        self.service_number.setReadOnly(person is not None)
        self.given_name = QLineEdit(person.given_name if person else "")
        self.family_name = QLineEdit(person.family_name if person else "")
        self.rank = QComboBox()
        for rank in catalogue.ranks.values():
            self.rank.addItem(f"{rank.code} — {rank.title}", rank.code)
        self.agency = QComboBox()
        for agency in catalogue.agencies.values():
            self.agency.addItem(f"{agency.code} — {agency.name}", agency.code)
        self.station = QComboBox()
        for loc in sorted(locations.values(), key=lambda loc: loc.name):
            if loc.kind == LocationKind.STATION:
                self.station.addItem(f"{loc.name} ({loc.code})", loc.code)
        limits = person.limits if person else EmploymentLimits()
        self.contracted = QDoubleSpinBox(minimum=0, maximum=80, decimals=1, suffix=" h/week")
        self.contracted.setValue(limits.contracted_minutes_per_week / 60)
        self.max_week = QSpinBox(minimum=0, maximum=120, suffix=" h")
        self.max_week.setSpecialValueText("policy limit")
        self.max_week.setValue((limits.max_minutes_per_week or 0) // 60)
        self.deploy_away = QCheckBox("May be deployed away from home (lodging)")
        self.deploy_away.setChecked(limits.can_deploy_away)
        if person:
            for box, code in (
                (self.rank, person.rank),
                (self.agency, person.agency),
                (self.station, person.home_station),
            ):
                box.setCurrentIndex(box.findData(code))

        self.skills = EditableRowsModel(["Skill", "Level", "Expires (YYYY-MM-DD)"], self)
        self.skills.set_rows(
            [
                (q.skill, str(q.level), q.expires.isoformat() if q.expires else "")
                for q in (person.qualifications if person else ())
            ]
        )
        self.leave = EditableRowsModel(["First day", "Last day", "Kind", "Note"], self)
        self.leave.set_rows(
            [
                (a.first_day.isoformat(), a.last_day.isoformat(), str(a.kind), a.note)
                for a in (person.absences if person else ())
            ]
        )
        self.error = error_label()
        buttons = save_cancel(self, self.save)

        form = QFormLayout()
        form.addRow("Service number", self.service_number)
        form.addRow("Given name", self.given_name)
        form.addRow("Family name", self.family_name)
        form.addRow("Rank", self.rank)
        form.addRow("Agency", self.agency)
        form.addRow("Home station", self.station)
        form.addRow("Contracted hours", self.contracted)
        form.addRow("Most hours a week", self.max_week)
        form.addRow("", self.deploy_away)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(editable_table(self.skills, "Skills and certifications"))
        layout.addWidget(
            editable_table(
                self.leave, f"Leave and unavailability ({', '.join(k.value for k in AbsenceKind)})"
            )
        )
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 720)

    def member(self) -> StaffMember:
        """The person as the fields now say; FieldError or DomainError names what is wrong."""
        qualifications = []
        for i, (code, level, expires) in enumerate(self.skills.rows, start=1):
            where = f"Skills row {i}"
            if code not in self.catalogue.skills:
                raise FieldError(f"{where}: '{code}' is not a skill in the catalogue")
            if not level.isdigit():
                raise FieldError(f"{where}: level '{level}' is not a whole number")
            qualifications.append(Qualification(code, int(level), _day(expires, where)))
        absences = []
        for i, (first, last, kind, note) in enumerate(self.leave.rows, start=1):
            where = f"Leave row {i}"
            if kind not in {k.value for k in AbsenceKind}:
                raise FieldError(
                    f"{where}: kind '{kind}' is not one of {', '.join(k.value for k in AbsenceKind)}"
                )
            start, end = _day(first, f"{where} first day"), _day(last, f"{where} last day")
            if start is None or end is None:
                raise FieldError(f"{where}: both days are needed")
            absences.append(Absence(start, end, AbsenceKind(kind), note))
        base = self.person.limits if self.person else EmploymentLimits()
        limits = replace(
            base,
            contracted_minutes_per_week=round(self.contracted.value() * 60),
            max_minutes_per_week=self.max_week.value() * 60 or None,
            can_deploy_away=self.deploy_away.isChecked(),
        )
        return StaffMember(
            service_number=self.service_number.text().strip(),
            given_name=self.given_name.text().strip(),
            family_name=self.family_name.text().strip(),
            rank=self.rank.currentData() or "",
            agency=self.agency.currentData() or "",
            home_station=self.station.currentData() or "",
            qualifications=tuple(qualifications),
            absences=tuple(absences),
            limits=limits,
        )

    def save(self) -> None:
        """Save and close, or say what is wrong and keep everything typed."""
        try:
            member = self.member()
            save_person(self.db, member, new=self.person is None, based_on=self.based_on)
        except (FieldError, DomainError, ValueError) as error:
            self.error.setText(str(error))
            return
        self.saved.emit(member)
        self.accept()
