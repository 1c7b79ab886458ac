"""The figures planners judge a roster by: cover, travel, lodging, overtime, fatigue, hours.

The solve panel's summary and the charts read these, computed from the roster alone (solved,
imported or edited by hand) with the same rule functions the validator and scoring use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from deployer.domain.operations import Shift
from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Assignment
from deployer.domain.rules import Reach, fatigue_score, reach
from deployer.domain.scoring import deployments, overtime_allowance


@dataclass(frozen=True)
class RosterFigures:
    """Totals of one roster, and the per-person and per-day figures behind the charts."""

    assignments: int
    required: int
    filled: int
    travel_km: float
    lodging_nights: int
    overtime_hours: float
    hours: dict[str, float] = field(default_factory=dict)
    """Hours rostered per person who works at least one shift."""
    fatigue: dict[str, int] = field(default_factory=dict)
    """Fatigue points per person (sum over their shifts)."""
    cover: dict[tuple[date, str], tuple[int, int]] = field(default_factory=dict)
    """(filled, required) by (day, city)."""

    @property
    def people(self) -> int:
        return len(self.hours)

    @property
    def unfilled(self) -> int:
        return self.required - self.filled

    @property
    def cover_share(self) -> float:
        """Share of required places filled (1.0 when nothing is required)."""
        return self.filled / self.required if self.required else 1.0

    @property
    def hours_spread(self) -> float:
        """Most minus fewest hours among people who work: how evenly the load falls."""
        return max(self.hours.values()) - min(self.hours.values()) if self.hours else 0.0


def roster_figures(problem: RosterProblem, assignments: Iterable[Assignment]) -> RosterFigures:
    """The figures of ``assignments``; assignments to unknown shifts or people are left out."""
    op = problem.operation
    shifts = {s.key: s for s in op.shifts}
    people = {p.service_number: p for p in problem.staff}
    places = problem.travel.locations
    city = {s.key: places[s.site].city or s.site if s.site in places else s.site for s in op.shifts}
    counts: dict[tuple[str, int], int] = defaultdict(int)
    worked: dict[str, list[tuple[Shift, Reach | None]]] = defaultdict(list)
    reaches: dict[tuple[str, str, bool], Reach | None] = {}
    for a in assignments:
        shift, person = shifts.get(a.shift_key), people.get(a.service_number)
        if shift is None or person is None or shift.site not in places:
            continue
        counts[(a.shift_key, a.line)] += 1
        key = (person.home_station, shift.site, person.limits.can_deploy_away)
        if key not in reaches:
            reaches[key] = reach(person, places[shift.site], problem.travel, op.policy)
        worked[a.service_number].append((shift, reaches[key]))
    cover: dict[tuple[date, str], tuple[int, int]] = {}
    filled = required = 0
    for shift in op.shifts:
        have = sum(min(counts.get((shift.key, i), 0), line.count) for i, line in enumerate(shift.demand))
        got, need = cover.get((shift.day, city[shift.key]), (0, 0))
        cover[(shift.day, city[shift.key])] = (got + have, need + shift.required)
        filled += have
        required += shift.required
    km = 0.0
    nights = 0
    overtime = 0
    hours: dict[str, float] = {}
    fatigue: dict[str, int] = {}
    for number, items in worked.items():
        person = people[number]
        minutes = sum(s.minutes for s, _ in items)
        hours[number] = minutes / 60
        reached = [(s, r) for s, r in items if r is not None]
        fatigue[number] = sum(fatigue_score(s, r, op.policy) for s, r in reached)
        km += sum(2 * r.km for _, r in reached)
        for base, days in deployments(reached):
            nights += days + 1
            km += 2 * problem.travel.leg(person.home_station, base).km
        overtime += max(
            0, minutes - overtime_allowance(person.limits.contracted_minutes_per_week, len(op.days))
        )
    return RosterFigures(
        assignments=sum(counts.values()),
        required=required,
        filled=filled,
        travel_km=km,
        lodging_nights=nights,
        overtime_hours=overtime / 60,
        hours=hours,
        fatigue=fatigue,
        cover=cover,
    )
