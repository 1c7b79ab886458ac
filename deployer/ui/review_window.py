"""Commander's review mode: one approval bundle, no database; approve or reject with a signature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableView,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from deployer.domain.approval import Decision, PlanDiff, Verdict
from deployer.domain.roster_lines import roster_lines
from deployer.services.approval import Review, decide, review_bundle
from deployer.ui.editing import plain_label
from deployer.ui.rows_model import RowsModel

BANNER_STYLE = "background:#1f3a5f;color:white;font-weight:bold;padding:8px;"
TAMPERED_STYLE = "background:#8b0000;color:white;font-weight:bold;padding:8px;"


def table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(False)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def diff_rows(diff: PlanDiff) -> list[tuple[str, ...]]:
    """Rows of a diff table: people taken off and put on shifts, then head-count changes."""
    rows: list[tuple[str, ...]] = [("removed", a.service_number, a.shift_key) for a in diff.removed]
    rows += [("added", a.service_number, a.shift_key) for a in diff.added]
    rows += [("coverage", key, f"{before} → {after}") for key, before, after in diff.coverage]
    return rows


class ReviewWindow(QMainWindow):
    """Everything in the bundle, checked again here; Approve and Reject sign a decision file."""

    decided = Signal(object)

    def __init__(self, bundle_path: Path) -> None:
        super().__init__()
        self.bundle_path = bundle_path
        self.review: Review = review_bundle(bundle_path)
        bundle, s = self.review.bundle, self.review.summary
        plan = bundle.plan
        self.setWindowTitle(f"Deployer — REVIEW MODE — {plan.operation} v{plan.version}")
        self.banner = plain_label(
            f"COMMANDER REVIEW MODE · {bundle_path.name} · no database in use · "
            f"{plan.operation} version {plan.version} ({plan.status})"
        )
        self.banner.setStyleSheet(BANNER_STYLE)
        self.warning = plain_label("; ".join(self.review.tampering))
        self.warning.setStyleSheet(TAMPERED_STYLE)
        self.warning.setWordWrap(True)
        self.warning.setVisible(bool(self.review.tampering))
        self.summary = plain_label(
            f"{s['assignments']} assignments for {s['people']} people · cover {s['filled']} of "
            f"{s['required']} ({s['short']} short) · {len(self.review.hard_findings)} rule breaches · "
            f"objective {s['objective']:.1f} · exported by {bundle.exported_by} at {bundle.exported_at}"
        )
        self.summary.setWordWrap(True)
        self.findings = RowsModel(["Kind", "Rule", "Finding"], self)
        self.findings.set_rows(
            [
                (
                    "shortfall" if f["shortfall"] else "soft" if f["soft"] else "BREACH",
                    f["rule"],
                    f["message"],
                )
                for f in self.review.findings
            ]
        )
        self.roster = RowsModel(["City", "Site", "Start", "End", "Name", "Rank", "Service no."], self)
        self.roster.set_rows(
            [
                (
                    r.city_name,
                    r.site_name,
                    f"{r.start:%a %d %b %H:%M}",
                    f"{r.end:%H:%M}",
                    r.name,
                    r.rank,
                    r.service_number,
                )  # fmt: skip
                for r in roster_lines(bundle.problem, plan.assignments)
            ]
        )
        self.diff = RowsModel(["Change", "Who / shift", "Shift / count"], self)
        if self.review.diff is not None:
            self.diff.set_rows(diff_rows(self.review.diff))
        tabs = QTabWidget()
        tabs.addTab(table(self.findings), f"Findings ({len(self.review.findings)})")
        tabs.addTab(table(self.roster), "Roster")
        previous = bundle.previous
        tabs.addTab(table(self.diff), f"Changes since v{previous.version}" if previous else "Changes")
        self.approve_button = QPushButton("Approve…")
        self.reject_button = QPushButton("Reject…")
        for button, verdict in ((self.approve_button, Verdict.APPROVE), (self.reject_button, Verdict.REJECT)):
            button.setEnabled(not self.review.tampering)
            button.clicked.connect(lambda _=False, v=verdict: self.open_decision(v))
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.approve_button)
        central = QWidget()
        layout = QVBoxLayout(central)
        for widget in (self.banner, self.warning, self.summary, tabs):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Review mode: decisions are signed with your key and saved as a file")
        self.resize(1100, 700)

    def open_decision(self, verdict: Verdict) -> DecideDialog:
        dialog = DecideDialog(self.bundle_path, verdict, self)
        dialog.decided.connect(self._decided)
        dialog.open()
        return dialog

    def _decided(self, decision: Decision) -> None:
        self.statusBar().showMessage(f"Decision saved: {decision.verdict} by {decision.signer}")
        self.decided.emit(decision)


class DecideDialog(QDialog):
    """Key file, passphrase and comment; writes the signed decision where the user chooses."""

    decided = Signal(object)

    def __init__(self, bundle_path: Path, verdict: Verdict, parent: Any = None) -> None:
        super().__init__(parent)
        self.bundle_path, self.verdict = bundle_path, verdict
        self.setWindowTitle(f"{verdict.value.capitalize()} plan")
        self.key = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.key)
        row.addWidget(browse)
        self.passphrase = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.comment = QTextEdit()
        self.out = QLineEdit(str(bundle_path.with_name(bundle_path.stem + f"-{verdict.value}.decision")))
        self.error = plain_label()
        self.error.setStyleSheet("color:#8b0000")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = buttons.addButton(
            f"Sign and save ({verdict.value})", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_button.clicked.connect(self.sign)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Your key file", row)
        form.addRow("Passphrase", self.passphrase)
        form.addRow("Comment" + (" (required)" if verdict is Verdict.REJECT else ""), self.comment)
        form.addRow("Decision file", self.out)
        form.addRow(self.error)
        form.addRow(buttons)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Your signing key", "", "Key files (*)")
        if name:
            self.key.setText(name)

    def sign(self) -> None:
        """Sign and write the decision; any problem is shown here and nothing is written."""
        try:
            decision = decide(
                self.bundle_path,
                Path(self.key.text()),
                self.passphrase.text(),
                self.verdict,
                self.comment.toPlainText(),
                Path(self.out.text()),
            )
        except Exception as error:  # noqa: BLE001 - wrong passphrase, missing key, ...: say so
            self.error.setText(str(error))
            return
        self.decided.emit(decision)
        self.accept()
