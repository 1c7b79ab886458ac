"""One person's roster as a timeline: travel, shifts, rest between them, and lodging."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Assignment
from deployer.domain.rules import describe_shift, hours_text, reach, rest_minutes


class Stretch(StrEnum):
    """What a piece of a person's time is."""

    SHIFT = "shift"
    TRAVEL = "travel"
    REST = "rest"
    LODGING = "lodging"


@dataclass(frozen=True)
class TimelineItem:
    """A stretch of time with what it is, the city it belongs to (for colour) and its words."""

    kind: Stretch
    start: datetime
    end: datetime
    text: str
    city: str = ""


def person_timeline(
    problem: RosterProblem, assignments: Iterable[Assignment], service_number: str
) -> list[TimelineItem]:
    """The person's shifts with travel there and back, and the rest between shifts (at lodging or home)."""
    person = problem.person(service_number)
    places = problem.travel.locations
    policy = problem.operation.policy
    mine = sorted(
        (problem.operation.shift(a.shift_key) for a in assignments if a.service_number == service_number),
        key=lambda s: s.start,
    )
    items: list[TimelineItem] = []
    previous = None
    for shift in mine:
        site = places.get(shift.site)
        got = reach(person, site, problem.travel, policy) if site else None
        city = (site.city or "") if site else ""
        if got is not None and got.minutes:
            way = timedelta(minutes=got.minutes)
            items.append(
                TimelineItem(
                    Stretch.TRAVEL, shift.start - way, shift.start, f"{got.minutes} min from {got.base}", city
                )
            )
            items.append(
                TimelineItem(
                    Stretch.TRAVEL, shift.end, shift.end + way, f"{got.minutes} min to {got.base}", city
                )
            )
        items.append(TimelineItem(Stretch.SHIFT, shift.start, shift.end, describe_shift(shift, places), city))
        if previous is not None and got is not None and previous[1] is not None:
            rest = rest_minutes(previous[0], previous[1], shift, got, problem.travel)
            back = previous[0].end + timedelta(minutes=previous[1].minutes)
            lodged = previous[1].lodged and got.lodged and previous[1].base == got.base
            kind, where = (Stretch.LODGING, f", lodged in {got.base}") if lodged else (Stretch.REST, "")
            end = back + timedelta(minutes=max(0, rest))
            items.append(
                TimelineItem(kind, back, end, f"rest {hours_text(rest)}{where}", city if lodged else "")
            )
        previous = (shift, got)
    return sorted(items, key=lambda i: (i.start, i.kind != Stretch.REST))
