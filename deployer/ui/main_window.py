"""The planner's main window."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
)

from deployer.services.exports import list_plans
from deployer.services.imports import ImportKind, save_template
from deployer.services.register import FIRST_PAGE, RegisterSnapshot, load_register
from deployer.services.workspace import Workspace
from deployer.store.database import Database
from deployer.ui.editing import plain_label
from deployer.ui.export_dialog import ExportDialog
from deployer.ui.import_dialog import ImportDialog
from deployer.ui.locations_panel import LocationsPanel
from deployer.ui.operation_editor import OperationEditor
from deployer.ui.plans_panel import PlansPanel
from deployer.ui.problems_dock import ProblemsDock
from deployer.ui.register_panel import RegisterPanel
from deployer.ui.review_window import ReviewWindow
from deployer.ui.roster_workspace import RosterWorkspace
from deployer.ui.solve_panel import SolveOutcome, SolvePanel
from deployer.ui.workers import Worker, collector_paused, keep_long_lived, start


class MainWindow(QMainWindow):
    """Tabs for the register and operations over one database; loads off the GUI thread."""

    register_loaded = Signal()

    def __init__(self, db: Database, settings: QSettings | None = None) -> None:
        super().__init__()
        self.db = db
        self.settings = settings or QSettings()
        self.setWindowTitle("Deployer")
        self._workers: set[Worker] = set()
        self._reviews: list[ReviewWindow] = []

        self.register = RegisterPanel(db, self)
        self.register.changed.connect(self._register_changed)
        self.staff_model, self.staff_proxy = self.register.model, self.register.proxy
        self.search, self.staff_table = self.register.search, self.register.table

        self.operations = OperationEditor(db, self)
        self.operations.saved.connect(lambda name: self._register_changed(f"Saved operation {name}"))
        self.locations = LocationsPanel(db, self)
        self.locations.changed.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.workspace = RosterWorkspace(db, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.register, "Staff register")
        self.tabs.addTab(self.locations, "Locations")
        self.tabs.addTab(self.operations, "Operations")
        self.tabs.addTab(self.workspace, "Roster")
        self.plans = PlansPanel(db, self)
        self.plans.changed.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.plans.changed.connect(lambda text: self.workspace.set_operations(self._operation_names))
        self.tabs.addTab(self.plans, "Plans and approval")
        self.setCentralWidget(self.tabs)
        self._operation_names: list[str] = []

        self.solve_panel = SolvePanel(db, self.settings, self)
        self.solve_dock = QDockWidget("Solve", self)
        self.solve_dock.setObjectName("solve")
        self.solve_dock.setWidget(self.solve_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.solve_dock)
        self.problems = ProblemsDock(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems)
        self.workspace.breaches_changed.connect(self.problems.set_breaches)
        self.workspace.plan_opened.connect(self._plan_opened)
        self.workspace.operation_box.currentTextChanged.connect(self._operation_chosen)
        self.problems.jump.connect(self._jump)
        self.problems.shift_jump.connect(self._jump_to_shift)
        self.solve_panel.started.connect(lambda: self.tabs.setCurrentWidget(self.workspace))
        self.solve_panel.solved.connect(self._solved)
        self.solve_panel.recovered.connect(self._recovered)

        self.status = plain_label(wrap=False)
        self.statusBar().addPermanentWidget(
            plain_label(f"Planner mode · {db.actor} · Database: {db.display_name}", wrap=False)
        )
        self.statusBar().addWidget(self.status)
        self._build_menus()
        self._restore_layout()
        self.reload()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        reload_action = QAction("&Reload", self, shortcut=QKeySequence(QKeySequence.StandardKey.Refresh))
        reload_action.triggered.connect(self.reload)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        import_menu = file_menu.addMenu("&Import")
        template_menu = file_menu.addMenu("Save import &template")
        for kind in ImportKind:
            import_menu.addAction(f"{kind.value.capitalize()}…", partial(self.import_file, kind))
            template_menu.addAction(f"{kind.value.capitalize()}…", partial(self.save_template, kind))
        review_action = QAction("&Review approval bundle…", self)
        review_action.triggered.connect(lambda: self.review_bundle())
        file_menu.addAction(review_action)
        export_action = QAction("&Export roster…", self, shortcut=QKeySequence("Ctrl+E"))
        export_action.triggered.connect(self.export_roster)
        file_menu.addAction(export_action)
        file_menu.addSeparator()
        file_menu.addAction(reload_action)
        file_menu.addAction(quit_action)
        find = QAction("&Find staff", self, shortcut=QKeySequence(QKeySequence.StandardKey.Find))
        find.triggered.connect(self.focus_search)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.workspace.undo_action)
        edit_menu.addAction(self.workspace.redo_action)
        edit_menu.addAction(self.workspace.remove_action)
        edit_menu.addSeparator()
        edit_menu.addAction(find)
        roster_menu = self.menuBar().addMenu("&Roster")
        solve = QAction("&Start solve", self, shortcut=QKeySequence("F5"))
        solve.triggered.connect(self.solve_panel.start)
        stop = QAction("S&top solve", self, shortcut=QKeySequence("Shift+F5"))
        stop.triggered.connect(self.solve_panel.stop)
        roster_menu.addAction(solve)
        roster_menu.addAction(stop)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.solve_dock.toggleViewAction())
        view_menu.addAction(self.problems.toggleViewAction())

    def import_file(self, kind: ImportKind, path: Path | None = None) -> ImportDialog | None:
        """Ask for a file (unless given), check it and show what importing it would change."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, f"Import {kind.value}", "", "Tables (*.csv *.xlsx);;All files (*)"
            )
            if not name:
                return None
            path = Path(name)
        dialog = ImportDialog(self.db, kind, path, self)
        dialog.imported.connect(self._imported)
        dialog.open()
        return dialog

    def _imported(self, summary: str) -> None:
        self.statusBar().showMessage(f"Imported {summary}", 10_000)
        self.reload()

    def save_template(self, kind: ImportKind) -> None:
        """Save the import template of ``kind`` as CSV or Excel, where the user chooses."""
        name, _ = QFileDialog.getSaveFileName(
            self, f"Save {kind.value} template", f"{kind.value}.xlsx", "Excel (*.xlsx);;CSV (*.csv)"
        )
        if name:
            save_template(kind, Path(name))
            self.statusBar().showMessage(f"Template saved: {name}", 10_000)

    def export_roster(self) -> ExportDialog:
        """Choose a plan and a format and write the roster."""
        dialog = ExportDialog(self.db, list_plans(self.db), self)
        dialog.exported.connect(lambda summary: self.statusBar().showMessage(f"Exported {summary}", 10_000))
        dialog.open()
        return dialog

    def review_bundle(self, path: Path | None = None) -> ReviewWindow | None:
        """Open a bundle in the commander's review mode (a window of its own, no database)."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, "Review approval bundle", "", "Bundles (*.bundle *.json)"
            )
            if not name:
                return None
            path = Path(name)
        try:
            window = ReviewWindow(path)
        except Exception as error:  # noqa: BLE001 - a refused bundle says why
            QMessageBox.warning(self, "Deployer", str(error))
            return None
        self._reviews.append(window)
        window.show()
        return window

    def focus_search(self) -> None:
        """Show the register and put the cursor in its search box."""
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()

    def reload(self) -> None:
        """Read the register again, off the GUI thread."""
        self.status.setText("Loading register…")

        def read(report: Any, cancelled: Any) -> RegisterSnapshot:
            with collector_paused():
                first = load_register(self.db, FIRST_PAGE)
                if first.complete:
                    return first
                report(first)  # shown while the rest is read
                return load_register(self.db)

        worker = Worker(read)
        worker.signals.progress.connect(self._show_first_page)
        worker.signals.returned.connect(self._show_register)
        worker.signals.errored.connect(self._show_error)
        worker.signals.finished.connect(lambda: self._workers.discard(worker))
        self._workers.add(worker)
        start(worker)

    def _show_first_page(self, snapshot: RegisterSnapshot) -> None:
        self.register.set_snapshot(snapshot)
        self.status.setText(
            f"Showing the first {len(snapshot.staff):,} of {snapshot.total:,} staff; reading the rest…"
        )

    def _show_register(self, snapshot: RegisterSnapshot) -> None:
        self.register.set_snapshot(snapshot)
        keep_long_lived()
        self.operations.set_operations(snapshot.operations)
        self.locations.reload()
        self._operation_names = snapshot.operations
        self.workspace.set_operations(snapshot.operations)
        self.status.setText(f"{len(snapshot.staff):,} staff · {len(snapshot.operations)} operations")
        self.solve_panel.find_interrupted()
        self.register_loaded.emit()

    def _show_error(self, message: str, details: str) -> None:
        self.status.setText("Could not load the register")
        box = QMessageBox(QMessageBox.Icon.Critical, "Deployer", message, parent=self)
        box.setDetailedText(details)
        box.open()

    def _register_changed(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)
        self.reload()

    def _operation_chosen(self, operation: str) -> None:
        ws = self.workspace.workspace
        same = ws is not None and ws.plan.operation == operation
        self.solve_panel.set_operation(operation or None, ws.plan_id if same and ws else None)

    def _plan_opened(self, workspace: Workspace | None) -> None:
        operation = self.workspace.operation_box.currentText() or None
        self.solve_panel.set_operation(operation, workspace.plan_id if workspace else None)

    def _jump(self, service_number: str, day: date | None) -> None:
        self.tabs.setCurrentWidget(self.workspace)
        self.workspace.show_cell(service_number, day)

    def _jump_to_shift(self, shift_key: str) -> None:
        self.tabs.setCurrentWidget(self.workspace)
        self.workspace.show_shift(shift_key)

    def _solved(self, outcome: SolveOutcome) -> None:
        if outcome.workspace is not None:
            self.workspace.show_workspace(outcome.workspace)
            self.plans.refresh()
        self.statusBar().showMessage(f"Solve finished: {outcome.solved.result.status}", 10_000)

    def _recovered(self, plan_id: int) -> None:
        self.tabs.setCurrentWidget(self.workspace)
        self.workspace.open_plan(plan_id)
        self.plans.refresh()
        self.statusBar().showMessage("The interrupted solve's roster is now a draft plan", 10_000)

    def _restore_layout(self) -> None:
        geometry = self.settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        state = self.settings.value("main/state")
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/state", self.saveState())
        if self.solve_panel.worker is not None:
            self.solve_panel.stop()
        super().closeEvent(event)
