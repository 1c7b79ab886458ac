"""The planner's plan versions: submit, export for approval, import a decision, compare two versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from deployer.domain.approval import plan_diff
from deployer.services import approval
from deployer.services.exports import list_plans
from deployer.store.database import Database
from deployer.store.repositories.plans import PlanSummary
from deployer.ui.editing import plain_label
from deployer.ui.review_window import diff_rows
from deployer.ui.rows_model import RowsModel


class PlansPanel(QWidget):
    """A table of plan versions with the approval actions; ``changed`` after any of them."""

    changed = Signal(str)

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.plans: list[PlanSummary] = []
        self.model = RowsModel(["Id", "Operation", "Version", "Status", "Assignments", "Created"], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.diff = RowsModel(["Change", "Who / shift", "Shift / count"], self)
        self.diff_view = QTableView()
        self.diff_view.setModel(self.diff)
        self.diff_view.horizontalHeader().setStretchLastSection(True)
        self.diff_title = plain_label("Select two versions and press Compare to see who moved where.")
        buttons = QHBoxLayout()
        for text, slot in (
            ("Submit for approval", self.submit),
            ("Export approval bundle…", self.export_bundle),
            ("Import decision…", self.import_decision),
            ("Compare", self.compare),
            ("New version from selected", self.new_version),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        self.message = plain_label()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.diff_title)
        layout.addWidget(self.diff_view, 1)
        self.refresh()

    def refresh(self) -> None:
        """Read the plans again, keeping the selection."""
        keep = {p.id for p in self.selected()} if self.plans else set()
        self.plans = list_plans(self.db)
        self.model.set_rows(
            [
                (
                    str(p.id),
                    p.operation,
                    str(p.version),
                    str(p.status),
                    str(p.assignments),
                    f"{p.created_at:%Y-%m-%d %H:%M}",
                )
                for p in self.plans
            ]
        )
        selection = self.table.selectionModel()
        for row, plan in enumerate(self.plans):
            if plan.id in keep:
                flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
                selection.select(self.model.index(row, 0), flags)

    def selected(self) -> list[PlanSummary]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.plans[r] for r in rows]

    def _one(self) -> PlanSummary | None:
        chosen = self.selected()
        if len(chosen) != 1:
            self._say("Select one plan version first.", error=True)
            return None
        return chosen[0]

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color:#8b0000;font-weight:bold" if error else "")
        self.message.setText(text)

    def _act(self, action: Any, done: str) -> None:
        """Run a quick action; a refusal is shown above the table and nothing changes."""
        try:
            action()
        except Exception as error:  # noqa: BLE001 - the planner must see why
            self._say(f"Refused: {error}", error=True)
            return
        self._say(done)
        self.refresh()
        self.changed.emit(done)

    def submit(self) -> None:
        plan = self._one()
        if plan is not None:
            self._act(
                lambda: approval.submit_plan(self.db, plan.id), f"Submitted {plan.operation} v{plan.version}"
            )

    def export_bundle(self, path: Path | None = None) -> None:
        plan = self._one()
        if plan is None:
            return
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self,
                "Export approval bundle",
                f"{plan.operation} v{plan.version}.bundle",
                "Bundles (*.bundle)",
            )
            if not name:
                return
            path = Path(name)
        self._act(lambda: approval.export_bundle(self.db, plan.id, path), f"Bundle written: {path.name}")

    def import_decision(self, path: Path | None = None) -> None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, "Import decision", "", "Decisions (*.decision *.json)"
            )
            if not name:
                return
            path = Path(name)
        self._act(lambda: approval.import_decision(self.db, path), f"Decision accepted: {path.name}")

    def new_version(self) -> None:
        """A new draft copied from the selected plan: how an approved or submitted plan is changed."""
        plan = self._one()
        if plan is not None:
            self._act(
                lambda: approval.new_version(self.db, plan.id),
                f"New draft of {plan.operation} from v{plan.version}",
            )

    def compare(self) -> None:
        chosen = self.selected()
        if len(chosen) != 2:
            self._say("Select two plan versions to compare.", error=True)
            return
        older, newer = sorted(chosen, key=lambda p: (p.operation, p.version))
        with self.db.unit_of_work() as uow:
            diff = plan_diff(uow.plans.get(older.id), uow.plans.get(newer.id))
        self.diff.set_rows(diff_rows(diff))
        self.diff_title.setText(
            f"{older.operation}: v{older.version} → v{newer.version}: {len(diff.added)} added, "
            f"{len(diff.removed)} removed, {len(diff.moved)} people affected"
        )
