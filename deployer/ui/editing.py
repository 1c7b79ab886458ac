"""What the editors share: an editable table with Add and Remove, and how a bad field is reported."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from deployer.ui.rows_model import EditableRowsModel

ERROR_STYLE = "color:#b00020;font-weight:bold;"


class FieldError(ValueError):
    """A value the user typed that cannot be read; the message names the field and row."""


def editable_table(model: EditableRowsModel, title: str) -> QGroupBox:
    box = QGroupBox(title)
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    add, remove = QPushButton("Add"), QPushButton("Remove")
    add.clicked.connect(lambda: view.edit(model.index(model.add_row(), 0)))
    remove.clicked.connect(lambda: model.remove_row(view.currentIndex().row()))
    buttons = QHBoxLayout()
    buttons.addWidget(add)
    buttons.addWidget(remove)
    buttons.addStretch()
    layout = QVBoxLayout(box)
    layout.addWidget(view)
    layout.addLayout(buttons)
    return box


def plain_label(text: str = "", *, wrap: bool = True) -> QLabel:
    """A label that shows its text as typed: a name like ``<b>x</b>`` is not markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def plain_tip(text: str) -> str:
    """A tooltip showing ``text`` as typed (Qt would take text that looks like HTML as HTML)."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def error_label() -> QLabel:
    """Where an editor says what is wrong (red, wrapping)."""
    label = plain_label()
    label.setStyleSheet(ERROR_STYLE)
    return label


def save_cancel(dialog: QDialog, save: Callable[[], None]) -> QDialogButtonBox:
    """Save and Cancel buttons: Save calls ``save`` (which closes the dialog when it worked)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons
