"""Staff requests and planner preferences: wishes the roster honours when it can."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from deployer.domain.errors import require


class RequestKind(StrEnum):
    """What the person asks for."""

    DAY_OFF = "day off"
    SHIFT_OFF = "shift off"
    SHIFT_ON = "shift on"
    CITY = "preferred city"


@dataclass(frozen=True, slots=True)
class StaffRequest:
    """A weighted wish: not to work a day or shift, to work a shift, or to work in a city."""

    service_number: str
    kind: RequestKind
    day: date | None = None
    shift_label: str | None = None
    city: str | None = None
    weight: int = 1

    def __post_init__(self) -> None:
        record = f"request of {self.service_number}"
        require(self.weight >= 0, record, "weight", "is negative")
        if self.kind is RequestKind.CITY:
            require(bool(self.city), record, "city", "is required for a city preference")
        else:
            require(self.day is not None, record, "day", f"is required for a {self.kind} request")
        if self.kind in (RequestKind.SHIFT_OFF, RequestKind.SHIFT_ON):
            require(bool(self.shift_label), record, "shift", f"is required for a {self.kind} request")


class TimeOff:
    """Who asked which days and shifts off, for quick questions while building a roster."""

    def __init__(self, requests: Iterable[StaffRequest]) -> None:
        self._asked = {
            (r.service_number, r.day, r.shift_label if r.kind is RequestKind.SHIFT_OFF else None)
            for r in requests
            if r.kind in (RequestKind.DAY_OFF, RequestKind.SHIFT_OFF)
        }

    def asked(self, service_number: str, day: date, label: str) -> bool:
        """True when the person asked ``day`` off, or the shift ``label`` on it."""
        return bool(self._asked) and (
            (service_number, day, None) in self._asked or (service_number, day, label) in self._asked
        )


def cities_asked(requests: Iterable[StaffRequest]) -> dict[str, tuple[tuple[str, int], ...]]:
    """Each person's preferred cities with the requests' weights (people without one left out)."""
    wanted: dict[str, tuple[tuple[str, int], ...]] = {}
    for r in requests:
        if r.kind is RequestKind.CITY and r.city is not None:
            wanted[r.service_number] = (*wanted.get(r.service_number, ()), (r.city, r.weight))
    return wanted
