"""The problems panel: every validator breach of the plan in view, like an IDE's problems list."""

from __future__ import annotations

from collections import Counter
from datetime import date

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from deployer.domain.validator import Breach
from deployer.ui.rows_model import RowsModel

HEADERS = ["Severity", "Rule", "Person", "Day", "Problem"]


def severity(breach: Breach) -> str:
    """'error' breaks a hard rule, 'warning' a soft one, 'short' is unfilled demand."""
    if breach.is_shortfall:
        return "short"
    return "warning" if breach.soft else "error"


class ProblemsDock(QDockWidget):
    """Lists breaches with a filter box; double-clicking one asks to show its person and day."""

    jump = Signal(str, object)
    """(service number or '', day or None) of the breach double-clicked."""
    shift_jump = Signal(str)
    """Shift key of a breach about a shift (cover), double-clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Problems", parent)
        self.setObjectName("problems")
        self.breaches: list[Breach] = []
        self.model = RowsModel(HEADERS, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(placeholderText="Filter problems: rule, person, day, words…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # errors first
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._double_clicked)
        self.counts = QLabel("No plan open")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.counts)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        self.setWidget(body)

    def set_breaches(self, breaches: list[Breach]) -> None:
        """Show ``breaches``: errors first, then warnings, then shortfalls, each by day."""
        order = {"error": 0, "warning": 1, "short": 2}
        self.breaches = sorted(
            breaches, key=lambda b: (order[severity(b)], b.day or date.min, b.service_number or "")
        )
        self.model.set_rows(
            [
                (severity(b), b.rule.replace("_", " "), b.service_number or "", str(b.day or ""), b.message)
                for b in self.breaches
            ]
        )
        self.table.resizeColumnsToContents()
        count = Counter(severity(b) for b in breaches)
        self.counts.setText(
            f"{count['error']} errors · {count['warning']} warnings · {count['short']} shortfalls"
        )
        self.setWindowTitle(f"Problems ({count['error']} errors)" if count["error"] else "Problems")

    def _double_clicked(self, index: QModelIndex) -> None:
        breach = self.breaches[self.proxy.mapToSource(index).row()]
        if breach.service_number:
            self.jump.emit(breach.service_number, breach.day)
        elif breach.shift_keys:
            self.shift_jump.emit(breach.shift_keys[0])
