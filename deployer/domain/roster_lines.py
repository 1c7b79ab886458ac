"""A roster as the lines people read: who works where and when, how they get there, what is covered.

Every export (CSV, Excel, PDF, calendar) and the review of an approval bundle print these lines,
so that they all say the same thing about a plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Assignment
from deployer.domain.rules import reach


@dataclass(frozen=True)
class RosterLine:
    """One assignment with everything a reader needs about it."""

    service_number: str
    name: str
    rank: str
    agency: str
    skills_used: tuple[str, ...]
    city: str
    city_name: str
    site: str
    site_name: str
    address: str
    shift_key: str
    label: str
    start: datetime
    end: datetime
    travel_minutes: int
    """Each way, from the person's base (home station, or lodging in the city) to the site."""
    lodged: bool


@dataclass(frozen=True)
class CoverageLine:
    """One shift's demand against the people rostered on it."""

    city: str
    site: str
    site_name: str
    shift_key: str
    label: str
    start: datetime
    end: datetime
    required: int
    filled: int

    @property
    def short(self) -> int:
        return max(0, self.required - self.filled)


def roster_lines(problem: RosterProblem, assignments: Iterable[Assignment]) -> list[RosterLine]:
    """The lines of ``assignments`` in reading order: city, site, start, family name.

    Assignments to unknown shifts or people are left out (the validator reports them).
    """
    shifts = {s.key: s for s in problem.operation.shifts}
    people = {p.service_number: p for p in problem.staff}
    places = problem.travel.locations
    policy = problem.operation.policy
    lines = []
    for a in assignments:
        shift, person = shifts.get(a.shift_key), people.get(a.service_number)
        if shift is None or person is None or shift.site not in places:
            continue
        site = places[shift.site]
        city = places.get(site.city or "")
        got = reach(person, site, problem.travel, policy)
        line = shift.demand[a.line] if a.line < len(shift.demand) else None
        held = {q.skill for q in person.qualifications}
        used = tuple(sorted(n.skill for n in line.skills if n.skill in held)) if line else ()
        lines.append(
            RosterLine(
                service_number=person.service_number,
                name=person.name,
                rank=person.rank,
                agency=person.agency,
                skills_used=used,
                city=site.city or site.code,
                city_name=city.name if city else site.name,
                site=site.code,
                site_name=site.name,
                address=site.address,
                shift_key=shift.key,
                label=shift.label,
                start=shift.start,
                end=shift.end,
                travel_minutes=got.minutes if got else 0,
                lodged=bool(got and got.lodged),
            )
        )
    lines.sort(key=lambda r: (r.city, r.site, r.start, r.name, r.service_number))
    return lines


def coverage_lines(problem: RosterProblem, assignments: Iterable[Assignment]) -> list[CoverageLine]:
    """Every shift of the operation with its required and rostered head count."""
    filled: dict[str, int] = {}
    for a in assignments:
        filled[a.shift_key] = filled.get(a.shift_key, 0) + 1
    places = problem.travel.locations
    out = []
    for shift in problem.operation.shifts:
        site = places.get(shift.site)
        out.append(
            CoverageLine(
                city=(site.city if site else None) or shift.site,
                site=shift.site,
                site_name=site.name if site else shift.site,
                shift_key=shift.key,
                label=shift.label,
                start=shift.start,
                end=shift.end,
                required=sum(line.count for line in shift.demand),
                filled=filled.get(shift.key, 0),
            )
        )
    out.sort(key=lambda c: (c.city, c.site, c.start))
    return out
