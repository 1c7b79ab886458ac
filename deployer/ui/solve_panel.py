"""The solve panel: limits and objective weights, Start and Stop, a live chart, the result summary."""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields
from typing import Any

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from deployer.domain.errors import DomainError
from deployer.domain.problem import ObjectiveWeights
from deployer.domain.roster_figures import RosterFigures
from deployer.services.recovery import Checkpoint, discard_solve, interrupted_solves, recover_solve
from deployer.services.rostering import SolvedPlan, SolveParameters
from deployer.services.solve_process import SolveJob, default_memory_limit, solve_in_process
from deployer.services.workspace import Workspace
from deployer.solver.engine import Progress
from deployer.store.database import Database
from deployer.ui.editing import plain_label
from deployer.ui.rows_model import RowsModel
from deployer.ui.workers import Worker, collector_paused, start


@dataclass(frozen=True)
class SolveOutcome:
    """What a finished solve hands the window: the result and, when saved, the plan opened."""

    solved: SolvedPlan
    workspace: Workspace | None
    figures: RosterFigures | None


def setting_int(settings: QSettings, key: str, default: int) -> int:
    """A whole number kept in the settings (stored as text by some back-ends)."""
    try:
        return int(str(settings.value(key, default)))
    except ValueError:
        return default


def _weight_label(name: str) -> str:
    return name.replace("_per_", " per ").replace("_", " ").capitalize()


class SolvePanel(QWidget):
    """Runs the solver off the GUI thread and plots objective and bound as rosters improve."""

    started = Signal()
    solved = Signal(object)
    """A :class:`SolveOutcome`."""
    recovered = Signal(int)
    """The plan id an interrupted solve's roster was recovered as."""

    def __init__(self, db: Database, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.operation: str | None = None
        self.reroster_of: int | None = None
        self.worker: Worker | None = None
        self._stop = threading.Event()

        self.time_limit = QSpinBox(minimum=1, maximum=24 * 3600, suffix=" s")
        self.time_limit.setValue(setting_int(settings, "solve/time_limit", 30))
        self.workers = QSpinBox(minimum=1, maximum=64)
        self.workers.setValue(setting_int(settings, "solve/workers", 2))
        self.memory = QDoubleSpinBox(minimum=0.1, maximum=4096, decimals=1, suffix=" GB")
        self.memory.setToolTip("The most memory a solve may use; beyond it, it stops with a message.")
        self.memory.setValue(float(str(settings.value("solve/memory_gb", default_memory_limit() / 2**30))))
        self.hard_cover = QCheckBox("Refuse shortfalls (explain instead)")
        self.reroster = QCheckBox("Re-roster: keep the open plan where possible")
        self.weights: dict[str, QDoubleSpinBox | QSpinBox] = {}
        weights_box = QGroupBox("Objective weights (points)")
        weights_form = QFormLayout(weights_box)
        defaults = ObjectiveWeights()
        for f in fields(ObjectiveWeights):
            box = QSpinBox(minimum=0, maximum=1_000_000)
            box.setValue(setting_int(settings, f"solve/weight/{f.name}", getattr(defaults, f.name)))
            self.weights[f.name] = box
            weights_form.addRow(_weight_label(f.name), box)
        self.start_button = QPushButton("Start solve")
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.state = plain_label("Open an operation to solve it.")
        self.state.setWordWrap(True)

        self.objective = QLineSeries()
        self.objective.setName("Objective")
        self.bound = QLineSeries()
        self.bound.setName("Best bound")
        chart = QChart()
        chart.setTitle("Search progress")
        chart.addSeries(self.objective)
        chart.addSeries(self.bound)
        self.x_axis = QValueAxis()
        self.x_axis.setTitleText("seconds")
        self.y_axis = QValueAxis()
        self.y_axis.setTitleText("points")
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.objective, self.bound):
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.chart_view = QChartView(chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)

        self.summary = QLabel()
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)
        self.breakdown = RowsModel(["Term", "Points"], self)
        breakdown_view = QTableView()
        breakdown_view.setModel(self.breakdown)
        breakdown_view.verticalHeader().setVisible(False)
        breakdown_view.horizontalHeader().setStretchLastSection(True)
        self.explanation = QPlainTextEdit(readOnly=True)
        self.explanation.setVisible(False)

        self.interrupted: Checkpoint | None = None
        self.recovery = QGroupBox("Interrupted solve")
        self.recovery_text = plain_label()
        recover = QPushButton("Recover as a draft plan")
        recover.clicked.connect(self.recover)
        discard = QPushButton("Discard")
        discard.clicked.connect(self.discard)
        recovery_layout = QVBoxLayout(self.recovery)
        recovery_layout.addWidget(self.recovery_text)
        recovery_buttons = QHBoxLayout()
        recovery_buttons.addWidget(recover)
        recovery_buttons.addWidget(discard)
        recovery_layout.addLayout(recovery_buttons)
        self.recovery.setVisible(False)

        run = QWidget()
        form = QFormLayout()
        form.addRow("Time limit", self.time_limit)
        form.addRow("Workers", self.workers)
        form.addRow("Memory limit", self.memory)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        run_layout = QVBoxLayout(run)
        run_layout.addWidget(self.recovery)
        run_layout.addLayout(form)
        run_layout.addWidget(self.hard_cover)
        run_layout.addWidget(self.reroster)
        run_layout.addLayout(buttons)
        run_layout.addWidget(self.state)
        run_layout.addWidget(self.chart_view, 1)
        run_layout.addWidget(self.summary)
        run_layout.addWidget(self.explanation)
        result = QWidget()
        result_layout = QVBoxLayout(result)
        result_layout.addWidget(QLabel("Objective by term, as the solver counted it:"))
        result_layout.addWidget(breakdown_view)
        self.tabs = QTabWidget()
        self.tabs.addTab(run, "Run")
        self.tabs.addTab(weights_box, "Weights")
        self.tabs.addTab(result, "Breakdown")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.set_operation(None, None)

    def set_operation(self, operation: str | None, plan_id: int | None) -> None:
        """The operation a solve will roster, and the open plan a re-roster would keep."""
        self.operation, self.reroster_of = operation, plan_id
        self.reroster.setEnabled(plan_id is not None)
        self.start_button.setEnabled(operation is not None and self.worker is None)
        if operation and self.worker is None:
            self.state.setText(f"Ready to roster “{operation}”.")

    def parameters(self) -> tuple[SolveParameters, ObjectiveWeights]:
        """The limits and weights as the planner set them (remembered for next time)."""
        self.settings.setValue("solve/time_limit", self.time_limit.value())
        self.settings.setValue("solve/workers", self.workers.value())
        self.settings.setValue("solve/memory_gb", self.memory.value())
        values = {name: int(box.value()) for name, box in self.weights.items()}
        for name, value in values.items():
            self.settings.setValue(f"solve/weight/{name}", value)
        params = SolveParameters(
            time_limit=self.time_limit.value(),
            workers=self.workers.value(),
            hard_coverage=self.hard_cover.isChecked(),
        )
        return params, ObjectiveWeights(**values)

    def start(self) -> Worker | None:
        """Start solving the chosen operation in the background."""
        if self.operation is None or self.worker is not None:
            return None
        params, weights = self.parameters()
        operation = self.operation
        reroster_of = self.reroster_of if self.reroster.isChecked() else None
        self._stop = threading.Event()
        stop = self._stop

        job = SolveJob(
            self.db.url,
            self.db.actor,
            operation,
            params,
            reroster_of,
            weights,
            int(self.memory.value() * 2**30),
        )

        def task(report: Any, cancelled: Any) -> SolveOutcome:
            solved = solve_in_process(job, report, stop)
            if solved.plan_id is None:
                return SolveOutcome(solved, None, None)
            with collector_paused():
                workspace = Workspace.open(self.db, solved.plan_id)
                return SolveOutcome(solved, workspace, workspace.figures())

        for series in (self.objective, self.bound):
            series.clear()
        self.explanation.setVisible(False)
        self.summary.clear()
        self.breakdown.set_rows([])
        worker = Worker(task)
        worker.signals.progress.connect(self._progress)
        worker.signals.returned.connect(self._finished)
        worker.signals.errored.connect(self._failed)
        worker.signals.finished.connect(self._idle)
        self.worker = worker
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.state.setText(f"Solving “{operation}” for up to {params.time_limit} s…")
        self.started.emit()
        return start(worker)

    def stop(self) -> None:
        """Stop the search; the best roster found so far is kept."""
        self._stop.set()
        self.state.setText("Stopping: keeping the best roster found so far…")

    def _progress(self, progress: Progress) -> None:
        self.objective.append(progress.elapsed, progress.objective)
        self.bound.append(progress.elapsed, progress.bound)
        points = [p.y() for p in (*self.objective.points(), *self.bound.points())]
        self.x_axis.setRange(0, max(1.0, progress.elapsed * 1.1))
        self.y_axis.setRange(min(points) * 0.95, max(points) * 1.05 + 1)
        self.state.setText(
            f"{progress.elapsed:.1f} s · roster {progress.solutions} · objective {progress.objective:,.0f}"
            f" · bound {progress.bound:,.0f}"
        )

    def _finished(self, outcome: SolveOutcome) -> None:
        result = outcome.solved.result
        gap = f"{result.gap:.1%}" if result.gap is not None else "–"
        objective = f"{result.objective:,.0f}" if result.objective is not None else "–"
        lines = [
            f"<b>{result.status.capitalize()}</b>{' (stopped)' if result.stopped else ''} in "
            f"{result.wall_seconds:.1f} s · objective {objective} · gap {gap}"
        ]
        figures = outcome.figures
        if figures is not None:
            lines.append(
                f"Cover {figures.cover_share:.1%} ({figures.filled:,} of {figures.required:,}; "
                f"{figures.unfilled:,} unfilled) · {figures.people:,} people · "
                f"fatigue {sum(figures.fatigue.values()):,} points · travel {figures.travel_km:,.0f} km · "
                f"lodging {figures.lodging_nights:,} nights · overtime {figures.overtime_hours:,.0f} h · "
                f"hours spread {figures.hours_spread:,.0f} h"
            )
        if outcome.solved.plan_id is not None:
            lines.append(f"Saved as a draft plan (id {outcome.solved.plan_id}).")
        self.summary.setText("<br>".join(lines))
        self.breakdown.set_rows([(term, f"{points:,.1f}") for term, points in result.breakdown.items()])
        if result.explanation:
            why = "Why some demand is left unfilled" if result.assignments else "Why there is no roster"
            self.explanation.setPlainText(f"{why}:\n\n" + "\n".join(result.explanation))
            self.explanation.setVisible(True)
        self.state.setText(f"Finished: {result.status}.")
        self.solved.emit(outcome)

    def _failed(self, message: str, details: str) -> None:  # noqa: ARG002 - details go to the log
        self.state.setText(f"The solve failed: {message}")
        self.explanation.setPlainText(message)
        self.explanation.setVisible(True)
        self.find_interrupted()

    def find_interrupted(self) -> Checkpoint | None:
        """Offer the best roster of a solve killed before it saved its plan (the oldest first)."""
        found = interrupted_solves(self.db)
        self.interrupted = found[0] if found else None
        self.recovery.setVisible(self.interrupted is not None)
        if self.interrupted is not None:
            c = self.interrupted
            saved = f"{c.saved_at:%d %b %H:%M} UTC" if c.saved_at else "its start"
            self.recovery_text.setText(
                f"A solve of “{c.operation}” started by {c.started_by} stopped before saving its plan."
                f" Its best roster (saved {saved}; objective {c.objective or 0:,.0f};"
                f" {len(c.assignments):,} assignments) can be kept as a draft plan."
            )
        return self.interrupted

    def recover(self) -> int | None:
        """Save the interrupted solve's roster as a draft plan and show it."""
        if self.interrupted is None:
            return None
        try:
            plan_id = recover_solve(self.db, self.interrupted.id, self.db.actor)
        except DomainError as error:
            self.recovery_text.setText(f"Could not recover it: {error}")
            return None
        self.find_interrupted()
        self.recovered.emit(plan_id)
        return plan_id

    def discard(self) -> None:
        if self.interrupted is not None:
            discard_solve(self.db, self.interrupted.id)
        self.find_interrupted()

    def _idle(self) -> None:
        self.worker = None
        self.stop_button.setEnabled(False)
        self.start_button.setEnabled(self.operation is not None)
