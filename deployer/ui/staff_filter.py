"""Instant search and filters over the staff register (and the roster grid's people)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel, QModelIndex, QPersistentModelIndex, Qt

NO_PARENT = QModelIndex()


@dataclass(frozen=True)
class StaffCriteria:
    """Field filters; an empty value accepts everyone."""

    rank: str = ""
    agency: str = ""
    station: str = ""
    skill: str = ""
    expiring_within: int | None = None
    """Keep only people with a certification expiring within this many days."""


class StaffFilterProxy(QAbstractProxyModel):
    """Keeps rows where every word typed starts a word of the row (any order, any case).

    With a register model behind it, :meth:`set_criteria` also filters on rank, agency, home
    station, skill and certifications expiring soon. The rows that pass are worked out in one
    Python pass and kept as a list; sorting is left to the source model (a Python sort on keys).
    A QSortFilterProxyModel would ask Python about every row one call at a time, which costs
    a few hundred milliseconds per keystroke at 25,000 people. The source provides
    ``search_texts()``, ``cell(row, column, role)`` and, for field filters, ``person(row)``.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self.criteria = StaffCriteria()
        self.today = date.today()
        self._rows: list[int] = []
        self._proxy_row: list[int] = []

    def setSourceModel(self, model: QAbstractItemModel) -> None:  # type: ignore[override]
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.dataChanged.connect(self._source_data_changed)
        self._refilter()

    def set_search(self, text: str) -> None:
        """Filter on ``text`` (case-insensitive, all words must match).

        Typing on (the new text extends the old) only looks again at the rows that matched.
        """
        words = [" " + word for word in text.casefold().split()]
        narrower = (
            bool(self._words)
            and len(words) >= len(self._words)
            and all(new.startswith(old) for old, new in zip(self._words, words, strict=False))
        )
        self._words = words
        self._refilter(self._rows if narrower else None)

    def set_criteria(self, criteria: StaffCriteria) -> None:
        """Filter on fields as well as on the search words."""
        self.criteria = criteria
        self._refilter()

    def _refilter(self, among: list[int] | None = None) -> None:
        self.beginResetModel()
        self._source_reset(among)

    def _source_reset(self, among: list[int] | None = None) -> None:
        source = self.sourceModel()
        self._rows = self._work_out(source, among)
        self._proxy_row = [-1] * source.rowCount()
        for i, row in enumerate(self._rows):
            self._proxy_row[row] = i
        self.endResetModel()

    def _source_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list[int]
    ) -> None:
        rows = range(top_left.row(), bottom_right.row() + 1)
        mapped = [self._proxy_row[r] for r in rows if self._proxy_row[r] >= 0]
        if mapped:
            first, last = min(mapped), max(mapped)
            self.dataChanged.emit(
                self.index(first, top_left.column()), self.index(last, bottom_right.column()), roles
            )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    # -- the proxy's mapping ----------------------------------------------------------------------

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # Straight to the source's cell: painting asks for several roles per visible cell, and
        # mapping each through two model indexes was a fifth of a keystroke's time.
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self.sourceModel().cell(self._rows[index.row()], index.column(), role)  # type: ignore[attr-defined]

    def mapToSource(self, proxy_index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        if not proxy_index.isValid() or proxy_index.row() >= len(self._rows):
            return QModelIndex()
        return self.sourceModel().index(self._rows[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        if not source_index.isValid() or source_index.row() >= len(self._proxy_row):
            return QModelIndex()
        row = self._proxy_row[source_index.row()]
        return self.index(row, source_index.column()) if row >= 0 else QModelIndex()

    def index(
        self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = NO_PARENT
    ) -> QModelIndex:
        if parent.isValid() or not (0 <= row < len(self._rows)) or not (0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: QModelIndex | QPersistentModelIndex = NO_PARENT) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else self.sourceModel().columnCount()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        return self.sourceModel().headerData(section, orientation, role)

    def _work_out(self, source: Any, among: list[int] | None) -> list[int]:
        """The source rows that pass (looking only at ``among`` when given), in source order."""
        c = self.criteria
        rows: Any = range(source.rowCount()) if among is None else among
        words = self._words
        if words:
            every = source.search_texts()
            texts = [every[r] for r in rows] if among is not None else every
            if len(words) == 1:
                word = words[0]
                rows = [r for r, text in zip(rows, texts, strict=True) if word in text]
            else:
                rows = [r for r, text in zip(rows, texts, strict=True) if all(w in text for w in words)]
        if c == StaffCriteria():
            return list(rows)
        limit = self.today + timedelta(days=c.expiring_within or 0)
        kept = []
        for r in rows:
            p = source.person(r)
            if (
                (not c.rank or p.rank == c.rank)
                and (not c.agency or p.agency == c.agency)
                and (not c.station or p.home_station == c.station)
                and (not c.skill or any(q.skill == c.skill for q in p.qualifications))
                and (
                    c.expiring_within is None
                    or any(q.expires and q.expires <= limit for q in p.qualifications)
                )
            ):
                kept.append(r)
        return kept
