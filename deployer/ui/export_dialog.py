"""Exporting a plan's roster: choose the plan and format, then the file; written off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QProgressBar,
)

from deployer.services.exports import ExportFormat, export_plan
from deployer.store.database import Database
from deployer.store.repositories.plans import PlanSummary
from deployer.ui.editing import plain_label
from deployer.ui.workers import Worker, start

FILTERS = {
    ExportFormat.XLSX: "Excel workbook (*.xlsx)",
    ExportFormat.CSV: "CSV file (*.csv)",
    ExportFormat.PDF: "PDF document (*.pdf)",
    ExportFormat.ICS: "iCalendar (*.ics)",
}


class ExportDialog(QDialog):
    """Pick a plan and a format; Export asks where to save and writes the file."""

    exported = Signal(str)

    def __init__(self, db: Database, plans: list[PlanSummary], parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.worker: Worker | None = None
        self.setWindowTitle("Export roster")
        self.plan = QComboBox()
        for plan in plans:
            self.plan.addItem(
                f"{plan.operation} — v{plan.version} ({plan.status}, {plan.assignments} shifts)", plan.id
            )
        self.format = QComboBox()
        for fmt in ExportFormat:
            self.format.addItem(FILTERS[fmt], fmt)
        self.person = QLineEdit(placeholderText="calendar: one person's service number (optional)")
        self.site = QLineEdit(placeholderText="calendar: one site's team, by site code (optional)")
        self.message = plain_label("" if plans else "No plan to export yet: solve an operation first.")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setEnabled(bool(plans))
        self.export_button.clicked.connect(self.choose_file)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Plan", self.plan)
        form.addRow("Format", self.format)
        form.addRow("Person", self.person)
        form.addRow("Team", self.site)
        form.addRow(self.message)
        form.addRow(self.progress)
        form.addRow(buttons)

    def choose_file(self) -> None:
        fmt = ExportFormat(self.format.currentData())
        name, _ = QFileDialog.getSaveFileName(self, "Export roster", f"roster.{fmt.value}", FILTERS[fmt])
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        """Write the chosen plan to ``path`` off the GUI thread."""
        fmt = ExportFormat(self.format.currentData())
        plan_id: int = self.plan.currentData()
        person = self.person.text().strip() or None
        site = self.site.text().strip() or None
        self.progress.setRange(0, 0)
        self.export_button.setEnabled(False)
        self.message.setText(f"Writing {path.name}…")
        self.worker = Worker(
            lambda report, cancelled: export_plan(self.db, plan_id, fmt, path, person=person, site=site)
        )
        self.worker.signals.returned.connect(self._done)
        self.worker.signals.errored.connect(self._failed)
        start(self.worker)

    def _done(self, summary: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.exported.emit(summary)
        self.accept()

    def _failed(self, message: str, details: str) -> None:
        self.progress.setRange(0, 1)
        self.export_button.setEnabled(True)
        self.message.setText(f"Not exported: {message}")
