"""Importing a file: check it off the GUI thread, preview what changes, then save or cancel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from deployer.services.imports import (
    ImportKind,
    ImportPreview,
    ImportRejected,
    apply_import,
    preview_import,
)
from deployer.store.database import Database
from deployer.ui.editing import plain_label
from deployer.ui.rows_model import RowsModel
from deployer.ui.workers import Worker, start


class ImportDialog(QDialog):
    """Checks ``path`` as soon as it opens; Import saves it in one transaction."""

    imported = Signal(str)

    def __init__(self, db: Database, kind: ImportKind, path: Path, parent: Any = None) -> None:
        super().__init__(parent)
        self.db, self.kind, self.path = db, kind, path
        self.preview: ImportPreview | None = None
        self.worker: Worker | None = None
        self.setWindowTitle(f"Import {kind.value} — {path.name}")
        self.resize(760, 480)
        self.summary = plain_label(f"Checking {path.name}…")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.model = RowsModel(["Action", "Key", "Details"], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.buttons = QDialogButtonBox()
        self.import_button: QPushButton = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.progress, self.table, self.buttons):
            layout.addWidget(widget)
        self._run(
            lambda report, cancelled: preview_import(
                db, kind, path, report=lambda p, t: report((p, t)), cancelled=cancelled
            ),
            self._show_preview,
        )

    def _run(self, task: Any, done: Any) -> None:
        self.worker = Worker(task)
        self.worker.signals.progress.connect(self._progress)
        self.worker.signals.returned.connect(done)
        self.worker.signals.failed.connect(self._failed)
        start(self.worker)

    def _progress(self, value: tuple[int, str]) -> None:
        percent, text = value
        self.progress.setValue(percent)
        self.summary.setText(text)

    def _show_preview(self, preview: ImportPreview) -> None:
        self.worker = None
        self.preview = preview
        rows: list[tuple[str, ...]] = list(preview.rows())
        self.model.set_rows(rows)
        self.summary.setText(
            f"{self.path.name}: {preview.changes.summary()}. Nothing is saved until you press Import."
        )
        self.import_button.setEnabled(bool(rows))

    def _failed(self, error: BaseException) -> None:
        self.worker = None
        self.progress.setValue(0)
        if isinstance(error, ImportRejected):
            self.model.headers = ["Where", "Problem", ""]
            self.model.set_rows([(str(p).rsplit(": ", 1)[0], p.message, "") for p in error.problems])
            self.summary.setText(
                f"Nothing imported: {len(error.problems)} problem(s) to fix in {self.path.name}."
            )
        else:
            self.summary.setText(f"Nothing imported: {error}")
        self.import_button.setEnabled(False)

    def save(self) -> None:
        """Save the previewed changes off the GUI thread."""
        if self.preview is None:
            return
        preview = self.preview
        self.import_button.setEnabled(False)
        self._run(
            lambda report, cancelled: apply_import(
                self.db, preview, report=lambda p, t: report((p, t)), cancelled=cancelled
            ),
            self._saved,
        )

    def _saved(self, summary: str) -> None:
        self.worker = None
        self.imported.emit(summary)
        self.accept()

    def cancel(self) -> None:
        """Stop any check or save under way (a save rolls back) and close."""
        if self.worker is not None:
            self.worker.cancel()
        self.reject()
