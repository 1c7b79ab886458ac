"""Editing the skills catalogue: names, categories, whether a skill expires, its highest level."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from deployer.domain.catalogue import Catalogue, Skill
from deployer.domain.errors import DomainError
from deployer.services.register import save_skills
from deployer.store.database import Database
from deployer.ui.editing import FieldError, editable_table, error_label, save_cancel
from deployer.ui.rows_model import EditableRowsModel

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


class SkillsDialog(QDialog):
    """The catalogue's skills as an editable table; existing codes stay (staff records use them)."""

    saved = Signal()

    def __init__(self, db: Database, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Skills catalogue")
        self.original = list(catalogue.skills)
        self.model = EditableRowsModel(
            ["Code", "Name", "Category", "Expires (yes/no)", "Highest level"], self
        )
        self.model.set_rows(
            [
                (s.code, s.name, s.category, "yes" if s.expires else "no", str(s.max_level))
                for s in catalogue.skills.values()
            ]
        )
        self.error = error_label()
        buttons = save_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(editable_table(self.model, "Skills (add a row for a new skill)"))
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(720, 520)

    def skills(self) -> list[Skill]:
        """The skills as the table says; FieldError names the row and column that does not read."""
        out = []
        codes = [row[0] for row in self.model.rows]
        if codes[: len(self.original)] != self.original:
            raise FieldError("Existing skill codes cannot be changed or removed: staff records use them")
        for i, (code, name, category, expires, level) in enumerate(self.model.rows, start=1):
            where = f"Row {i}"
            if codes.count(code) > 1:
                raise FieldError(f"{where}: code '{code}' appears twice")
            if expires.casefold() not in YES | NO:
                raise FieldError(f"{where}: expires '{expires}' should be yes or no")
            if not level.isdigit():
                raise FieldError(f"{where}: highest level '{level}' is not a whole number")
            out.append(Skill(code, name, category or "general", expires.casefold() in YES, int(level)))
        return out

    def save(self) -> None:
        try:
            save_skills(self.db, self.skills())
        except (FieldError, DomainError) as error:
            self.error.setText(str(error))
            return
        self.saved.emit()
        self.accept()
