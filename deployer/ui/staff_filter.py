"""Instant search over the staff register."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from deployer.ui.staff_model import SEARCH_ROLE


class StaffFilterProxy(QSortFilterProxyModel):
    """Keeps rows where every word typed starts a word of the row (any order, any case)."""

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._words: list[str] = []

    def set_search(self, text: str) -> None:
        """Filter on ``text`` (case-insensitive, all words must match)."""
        self.beginFilterChange()
        self._words = [" " + word for word in text.casefold().split()]
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._words:
            return True
        text = self.sourceModel().index(source_row, 0, source_parent).data(SEARCH_ROLE)
        return all(word in text for word in self._words)
