"""Instant search and filters over the staff register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from deployer.ui.staff_model import SEARCH_ROLE


@dataclass(frozen=True)
class StaffCriteria:
    """Field filters; an empty value accepts everyone."""

    rank: str = ""
    agency: str = ""
    station: str = ""
    skill: str = ""
    expiring_within: int | None = None
    """Keep only people with a certification expiring within this many days."""


class StaffFilterProxy(QSortFilterProxyModel):
    """Keeps rows where every word typed starts a word of the row (any order, any case).

    With a register model behind it, :meth:`set_criteria` also filters on rank, agency, home
    station, skill and certifications expiring soon.
    """

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._words: list[str] = []
        self.criteria = StaffCriteria()
        self.today = date.today()

    def set_search(self, text: str) -> None:
        """Filter on ``text`` (case-insensitive, all words must match)."""
        self.beginFilterChange()
        self._words = [" " + word for word in text.casefold().split()]
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_criteria(self, criteria: StaffCriteria) -> None:
        """Filter on fields as well as on the search words."""
        self.beginFilterChange()
        self.criteria = criteria
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._words:
            text = self.sourceModel().index(source_row, 0, source_parent).data(SEARCH_ROLE)
            if not all(word in text for word in self._words):
                return False
        c = self.criteria
        if c == StaffCriteria():
            return True
        person = self.sourceModel().person(source_row)  # type: ignore[attr-defined]
        if (c.rank and person.rank != c.rank) or (c.agency and person.agency != c.agency):
            return False
        if c.station and person.home_station != c.station:
            return False
        if c.skill and all(q.skill != c.skill for q in person.qualifications):
            return False
        if c.expiring_within is not None:
            limit = self.today + timedelta(days=c.expiring_within)
            return any(q.expires and q.expires <= limit for q in person.qualifications)
        return True
