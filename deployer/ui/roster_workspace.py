"""The rostering workspace: a plan as people by day, its cover, one person's timeline, and charts.

Hand edits (assign, remove, swap) go through a QUndoStack; each is saved to the database as it
is made and checked at once by the validator, so the problems panel is always current.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from deployer.domain.errors import DomainError, EditConflict
from deployer.domain.roster_edits import RosterEdit
from deployer.domain.roster_figures import RosterFigures
from deployer.domain.timeline import person_timeline
from deployer.services.exports import list_plans
from deployer.services.workspace import Workspace
from deployer.store.database import Database
from deployer.store.repositories.plans import PlanSummary
from deployer.ui.charts_view import ChartsView
from deployer.ui.city_colours import city_colours
from deployer.ui.coverage_model import CoverageModel
from deployer.ui.editing import plain_label
from deployer.ui.roster_grid_model import FIXED_COLUMNS, RosterGrid, RosterGridModel
from deployer.ui.staff_filter import StaffFilterProxy
from deployer.ui.timeline_view import TimelineView
from deployer.ui.workers import Worker, collector_paused, keep_long_lived, start

EDITABLE = "Draft: every edit is saved as you make it and checked at once."
FROZEN = "{status}: read only. Use Plans and approval ▸ New version from selected to change it."


class EditCommand(QUndoCommand):
    """One hand edit on the undo stack; it was applied before being pushed."""

    def __init__(self, panel: RosterWorkspace, edit: RosterEdit) -> None:
        super().__init__(edit.text)
        self.panel = panel
        self.edit = edit
        self._done = True

    def redo(self) -> None:
        if self._done:  # pushed after it was applied
            self._done = False
            return
        self.panel.attempt(self.edit)

    def undo(self) -> None:
        self.panel.attempt(self.edit.inverse())


class RosterWorkspace(QWidget):
    """Choose an operation's plan, look at it four ways, and edit it by hand."""

    plan_opened = Signal(object)
    """The :class:`Workspace` just opened (or None when closed)."""
    breaches_changed = Signal(list)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.workspace: Workspace | None = None
        self.undo_stack = QUndoStack(self)
        self._workers: set[Worker] = set()
        self._plans: list[PlanSummary] = []

        self.operation_box = QComboBox()
        self.operation_box.setMinimumContentsLength(30)
        self.operation_box.currentTextChanged.connect(self._operation_chosen)
        self.plan_box = QComboBox()
        self.plan_box.setMinimumContentsLength(28)
        self.plan_box.activated.connect(self._plan_chosen)
        self.search = QLineEdit(placeholderText="Find people in the roster: name, number, rank…")
        self.search.setClearButtonEnabled(True)
        self.state = plain_label("Choose an operation and a plan, or solve one.")
        self.legend = QLabel()

        self.grid_model = RosterGridModel(self)
        self.grid_proxy = StaffFilterProxy(self)
        self.grid_proxy.setSourceModel(self.grid_model)
        self.search.textChanged.connect(self.grid_proxy.set_search)
        self.grid = QTableView()
        self.grid.setModel(self.grid_proxy)
        self.grid.setSortingEnabled(True)
        self.grid.verticalHeader().setVisible(False)
        self.grid.verticalHeader().setDefaultSectionSize(22)
        self.grid.horizontalHeader().setDefaultSectionSize(92)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._context_menu)
        self.grid.selectionModel().currentChanged.connect(self._current_changed)

        self.timeline = TimelineView()
        self.timeline_title = QLabel("Select a person to see their shifts, travel and rest.")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.timeline)
        person = QWidget()
        person_layout = QVBoxLayout(person)
        person_layout.setContentsMargins(0, 0, 0, 0)
        person_layout.addWidget(self.timeline_title)
        person_layout.addWidget(scroll)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.grid)
        splitter.addWidget(person)
        splitter.setSizes([500, 220])

        self.coverage_model = CoverageModel(self)
        self.coverage = QTableView()
        self.coverage.setModel(self.coverage_model)
        self.coverage.horizontalHeader().setDefaultSectionSize(64)
        self.charts = ChartsView()
        self.views = QTabWidget()
        self.views.addTab(splitter, "Roster")
        self.views.addTab(self.coverage, "Coverage")
        self.views.addTab(self.charts, "Charts")
        self._figures_stale = True
        self.views.currentChanged.connect(self._view_changed)

        top = QHBoxLayout()
        top.addWidget(QLabel("Operation"))
        top.addWidget(self.operation_box, 2)
        top.addWidget(QLabel("Plan"))
        top.addWidget(self.plan_box, 1)
        top.addWidget(self.search, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(self.legend)
        layout.addWidget(self.views)

        self.figures_timer = QTimer(self, singleShot=True, interval=800)
        self.figures_timer.timeout.connect(self._refresh_figures)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        self.remove_action = QAction(
            "Remove from shift", self, shortcut=QKeySequence(QKeySequence.StandardKey.Delete)
        )
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.remove_action.triggered.connect(self.remove_selected)
        self.grid.addAction(self.remove_action)

    # -- choosing a plan ----------------------------------------------------------------------

    def set_operations(self, names: list[str]) -> None:
        """The operations to choose from (after loading the register)."""
        current = self.operation_box.currentText()
        self.operation_box.blockSignals(True)
        self.operation_box.clear()
        self.operation_box.addItems(names)
        self.operation_box.blockSignals(False)
        if current in names:
            self.operation_box.setCurrentText(current)
        self._operation_chosen(self.operation_box.currentText())

    def _operation_chosen(self, operation: str) -> None:
        self._list_plans(operation)
        if self._plans and (self.workspace is None or self.workspace.plan.operation != operation):
            self.open_plan(self._plans[0].id)
        elif not self._plans:
            self._show(None)

    def _list_plans(self, operation: str) -> None:
        """Offer the operation's plans, newest first."""
        self._plans = [p for p in list_plans(self.db) if p.operation == operation]
        self.plan_box.clear()
        for p in self._plans:
            self.plan_box.addItem(f"v{p.version} · {p.status} · {p.assignments:,} assignments", p.id)

    def _plan_chosen(self, row: int) -> None:
        self.open_plan(self._plans[row].id)

    def open_plan(self, plan_id: int) -> Worker:
        """Load and check a plan in the background, then show it."""
        return self._lay_out(lambda: Workspace.open(self.db, plan_id), "Opening the plan and checking it…")

    def show_workspace(self, workspace: Workspace) -> Worker:
        """Show an already opened plan (after a solve); the plan list is read again."""
        return self._lay_out(lambda: workspace, "Laying out the new roster…", keep=True)

    def _lay_out(self, load: Any, text: str, keep: bool = False) -> Worker:
        """Load a plan and lay it out as a grid off the GUI thread, then show both."""
        self.state.setText(text)

        def task(report: Any, cancelled: Any) -> tuple[Workspace, RosterGrid]:
            with collector_paused():
                workspace = load()
                return workspace, RosterGrid(workspace.problem, workspace.assignments, workspace.breaches)

        def shown(result: tuple[Workspace, RosterGrid]) -> None:
            self._show(*result)
            if keep:
                self._operation_chosen_keep(result[0])

        worker = Worker(task)
        worker.signals.returned.connect(shown)
        worker.signals.errored.connect(
            lambda message, details: self.state.setText(f"Could not open: {message}")
        )
        worker.signals.finished.connect(lambda: self._workers.discard(worker))
        self._workers.add(worker)
        return start(worker)

    def _operation_chosen_keep(self, workspace: Workspace) -> None:
        self.operation_box.blockSignals(True)
        self.operation_box.setCurrentText(workspace.plan.operation)
        self.operation_box.blockSignals(False)
        self._list_plans(workspace.plan.operation)
        self.plan_box.setCurrentIndex(self.plan_box.findData(workspace.plan_id))

    def _show(self, workspace: Workspace | None, grid: RosterGrid | None = None) -> None:
        self.workspace = workspace
        self.undo_stack.clear()
        if workspace is None:
            self.state.setText("This operation has no plan yet: solve it, or import one.")
            self.plan_opened.emit(None)
            self.breaches_changed.emit([])
            return
        problem, assignments = workspace.problem, workspace.assignments
        self.grid_model.set_grid(grid or RosterGrid(problem, assignments, workspace.breaches))
        self.coverage_model.set_roster(problem, assignments)
        self.grid.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.grid.horizontalHeader().resizeSection(0, 220)
        for column in range(1, len(FIXED_COLUMNS)):
            self.grid.horizontalHeader().resizeSection(column, 60)
        colours = city_colours(list(problem.operation.cities))
        places = problem.travel.locations
        self.legend.setText(
            "Cities: "
            + "  ".join(
                f"<span style='background:{colour.name()}'>&nbsp;"
                f"{escape(places[c].name if c in places else c)}&nbsp;</span>"
                for c, colour in colours.items()
            )
            + "  <span style='background:#ffb3b3'>&nbsp;breach or short&nbsp;</span>"
        )
        plan = workspace.plan
        self.state.setText(
            f"{plan.operation} · version {plan.version} · "
            + (EDITABLE if workspace.editable else FROZEN.format(status=str(plan.status).capitalize()))
        )
        self.plan_opened.emit(workspace)
        self.breaches_changed.emit(workspace.breaches)
        keep_long_lived()
        self._refresh_figures()

    # -- editing ------------------------------------------------------------------------------

    def cell(self, index: QModelIndex) -> tuple[str, date] | None:
        """(service number, day) of a grid cell, None for the fixed columns."""
        source = self.grid_proxy.mapToSource(index)
        day = self.grid_model.day(source.column())
        return (
            None
            if day is None or not source.isValid()
            else (self.grid_model.service_number(source.row()), day)
        )

    def selected_cells(self) -> list[tuple[str, date]]:
        cells = [self.cell(i) for i in self.grid.selectionModel().selectedIndexes()]
        return [c for c in cells if c is not None]

    def cell_menu(self, index: QModelIndex) -> QMenu | None:
        """The actions for a cell: assign to one of the day's shifts, remove, swap two people."""
        ws, cell = self.workspace, self.cell(index)
        if ws is None or cell is None:
            return None
        number, day = cell
        menu = QMenu(self)
        if not ws.editable:
            menu.addAction("Read only: make a new version to edit").setEnabled(False)
            return menu
        assign = menu.addMenu("Assign to")
        places = ws.problem.travel.locations
        by_city: dict[str, QMenu] = {}
        for shift in (s for s in ws.problem.operation.shifts if s.day == day):
            site = places.get(shift.site)
            city = (site.city or shift.site) if site else shift.site
            if city not in by_city:
                by_city[city] = assign.addMenu(places[city].name if city in places else city)
            filled = sum(f for f, _ in self.coverage_model.counts(shift))
            when = f"{shift.start:%H:%M}-{shift.end:%H:%M}"
            text = f"{shift.site} {shift.label} {when} ({filled}/{shift.required})"
            action = by_city[city].addAction(text)
            action.setData(shift.key)
            action.triggered.connect(lambda _=False, key=shift.key: self.make(lambda: ws.assign(number, key)))
        removal = menu.addAction("Remove from shift")
        removal.setEnabled(bool(ws.on_day(number, day)))
        removal.triggered.connect(lambda: self.make(lambda: ws.remove(number, day)))
        pair = self.selected_cells()
        swap = menu.addAction("Swap the two selected people's shifts")
        if len(pair) == 2 and pair[0][1] == pair[1][1]:
            swap.triggered.connect(lambda: self.make(lambda: ws.swap(pair[0][0], pair[1][0], pair[0][1])))
        else:
            swap.setEnabled(False)
        return menu

    def _context_menu(self, point: Any) -> None:
        menu = self.cell_menu(self.grid.indexAt(point))
        if menu is not None:
            menu.popup(self.grid.viewport().mapToGlobal(point))

    def remove_selected(self) -> None:
        """Take the people of the selected cells off their shifts (the Delete key)."""
        ws = self.workspace
        for number, day in self.selected_cells():
            if ws is not None and ws.editable and ws.on_day(number, day):
                self.make(lambda n=number, d=day: ws.remove(n, d))

    def make(self, build: Any) -> bool:
        """Build an edit, apply it and put it on the undo stack; a refused edit says why."""
        try:
            edit = build()
        except DomainError as error:
            self.state.setText(f"Not done: {error}")
            return False
        if not self.attempt(edit):
            return False
        self.undo_stack.push(EditCommand(self, edit))
        return True

    def attempt(self, edit: RosterEdit) -> bool:
        """Carry out an edit (or an undo or redo); a refused one is reported, never raised into Qt.

        When another planner has edited the plan meanwhile, the plan is read again and shown
        with their change, and the undo history (built on the old view) is dropped.
        """
        try:
            self.carry_out(edit)
        except EditConflict as error:
            assert self.workspace is not None
            message = f"Not done, plan reloaded: {error}"
            worker = self.open_plan(self.workspace.plan_id)
            worker.signals.returned.connect(lambda _: self.state.setText(message))
            return False
        except Exception as error:  # noqa: BLE001 - shown to the planner; nothing was changed
            self.state.setText(f"Not done: {error}")
            return False
        return True

    def carry_out(self, edit: RosterEdit) -> None:
        """Save ``edit`` and show its effect on the grid, cover, problems and timeline."""
        assert self.workspace is not None
        breaches = self.workspace.apply(edit)
        assignments = self.workspace.assignments
        self.grid_model.refresh(assignments, breaches, edit.people)
        self.coverage_model.refresh(assignments, edit.shifts)
        self.breaches_changed.emit(breaches)
        self.state.setText(f"Saved: {edit.text}. {len(breaches):,} problems.")
        self._show_person(self._current_person())
        self.figures_timer.start()

    # -- jumping and the person view -----------------------------------------------------------

    def show_cell(self, service_number: str, day: date | None) -> bool:
        """Select a person's cell on ``day`` (their name when no day), clearing the search if needed."""
        row = self.grid_model.row_of(service_number)
        if row is None:
            return False
        column = self.grid_model.column_of(day) if day and day in self.grid_model.days else 0
        index = self.grid_proxy.mapFromSource(self.grid_model.index(row, column))
        if not index.isValid():
            self.search.clear()
            index = self.grid_proxy.mapFromSource(self.grid_model.index(row, column))
        self.views.setCurrentIndex(0)
        self.grid.setCurrentIndex(index)
        self.grid.scrollTo(index, QTableView.ScrollHint.PositionAtCenter)
        self.grid.setFocus()
        return True

    def show_shift(self, shift_key: str) -> None:
        """Select a shift's cell in the coverage view."""
        model = self.coverage_model
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                shift = model.shift_at(model.index(row, column))
                if shift is not None and shift.key == shift_key:
                    self.views.setCurrentIndex(1)
                    self.coverage.setCurrentIndex(model.index(row, column))
                    self.coverage.scrollTo(model.index(row, column))
                    return

    def _current_person(self) -> str | None:
        index = self.grid_proxy.mapToSource(self.grid.currentIndex())
        return self.grid_model.service_number(index.row()) if index.isValid() else None

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.row() != previous.row():
            self._show_person(self._current_person())

    def _show_person(self, number: str | None) -> None:
        ws = self.workspace
        if ws is None or number is None:
            return
        person = ws.problem.person(number)
        items = person_timeline(ws.problem, ws.assignments, number)
        shifts = sum(1 for i in items if i.kind == "shift")
        hours = sum((i.end - i.start).total_seconds() for i in items if i.kind == "shift") / 3600
        self.timeline_title.setText(
            f"<b>{escape(person.name)}</b> · {escape(f'{person.rank} {number} · {person.agency}')}"
            f" · home {escape(person.home_station)}"
            f" · {shifts} shifts, {hours:g} h"
        )
        self.timeline.show_items(
            ws.problem.operation.days, items, city_colours(list(ws.problem.operation.cities))
        )

    def _view_changed(self) -> None:
        if self._figures_stale:
            self._refresh_figures()

    def _refresh_figures(self) -> None:
        """Recompute the charts' figures in the background, only while the charts are in view
        (on a Games-sized roster they take a second of Python that would slow the grid)."""
        ws = self.workspace
        self._figures_stale = True
        if ws is None or self.views.currentWidget() is not self.charts:
            return
        self._figures_stale = False
        worker = Worker(lambda report, cancelled: ws.figures())
        worker.signals.returned.connect(self._show_figures)
        worker.signals.finished.connect(lambda: self._workers.discard(worker))
        self._workers.add(worker)
        start(worker)

    def _show_figures(self, figures: RosterFigures) -> None:
        if self.workspace is not None:
            self.charts.show_figures(figures, city_colours(list(self.workspace.problem.operation.cities)))
