"""The objective of a roster, term by term, computed from the roster alone.

The solver minimises exactly this; computing it here, without the solver, lets every solve be
checked (the two totals must agree) and lets a hand-edited roster be scored the same way.
Internally every term is counted in sixtieths of a point so that per-hour weights stay exact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from deployer.domain.operations import Shift
from deployer.domain.problem import RosterProblem
from deployer.domain.requests import RequestKind
from deployer.domain.roster import Assignment
from deployer.domain.rules import Reach, deployment_blocks, fatigue_score, reach, travel_points, trip_points
from deployer.domain.soft_rules import soft_units

TERMS = (
    "unfilled",
    "soft_rules",
    "overstaffed",
    "changes",
    "requests",
    "fatigue",
    "lodging",
    "travel",
    "overtime",
    "fairness",
)


@dataclass(frozen=True)
class Score:
    """Objective terms in points and their total."""

    terms: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.terms.values())


def fairness_units(problem: RosterProblem) -> tuple[int, int, int]:
    """Sixtieths of a point per unit of each fairness load: minutes, night shifts, weekend shifts."""
    w = problem.weights
    return w.fairness_per_hour, 60 * w.fairness_per_night, 60 * w.fairness_per_weekend_shift


def fairness_loads(problem: RosterProblem, shift: Shift) -> tuple[int, int, int]:
    """What one shift adds to a person's fairness loads: minutes, a night, a weekend shift."""
    policy = problem.operation.policy
    return shift.minutes, int(policy.is_night(shift.start, shift.end)), int(shift.day.weekday() >= 5)


def overtime_allowance(contracted_minutes_per_week: int, days: int) -> int:
    """Ordinary minutes over ``days``: the weekly contract pro rata (rounded down)."""
    return contracted_minutes_per_week * days // 7


def score(problem: RosterProblem, assignments: Iterable[Assignment]) -> Score:
    """The objective of ``assignments``; assignments to unknown shifts or people are ignored."""
    op, w = problem.operation, problem.weights
    shifts = {s.key: s for s in op.shifts}
    people = {p.service_number: p for p in problem.staff}
    sixtieths: dict[str, int] = dict.fromkeys(TERMS, 0)
    counts: dict[tuple[str, int], int] = defaultdict(int)
    worked: dict[str, list[tuple[Shift, Reach]]] = defaultdict(list)
    chosen: set[tuple[str, str]] = set()
    for a in assignments:
        shift, person = shifts.get(a.shift_key), people.get(a.service_number)
        if shift is None or person is None:
            continue
        counts[(a.shift_key, a.line)] += 1
        chosen.add((a.shift_key, a.service_number))
        site = problem.travel.locations[shift.site]
        shift_reach = reach(person, site, problem.travel, op.policy)
        if shift_reach is not None:
            worked[a.service_number].append((shift, shift_reach))
    for shift in op.shifts:
        for i, line in enumerate(shift.demand):
            have = counts.get((shift.key, i), 0)
            sixtieths["unfilled"] += 60 * w.shortfall(line) * max(0, line.count - have)
            if line.over_cost is not None:
                sixtieths["overstaffed"] += 60 * line.over_cost * max(0, have - line.count)
    sixtieths["changes"] = (
        60 * w.change * sum(1 for a in problem.published if (a.shift_key, a.service_number) not in chosen)
    )
    sixtieths["requests"] = 60 * w.request * _unmet_requests(problem, worked)
    heaviest: dict[tuple[str, int], int] = defaultdict(int)
    cache: dict[tuple[str, Reach], tuple[tuple[int, int, int], int]] = {}

    def facts(shift: Shift, shift_reach: Reach) -> tuple[tuple[int, int, int], int]:
        """Fairness loads and fatigue of a shift reached as given (shared by people alike)."""
        key = (shift.key, shift_reach)
        if key not in cache:
            cache[key] = (fairness_loads(problem, shift), fatigue_score(shift, shift_reach, op.policy))
        return cache[key]

    if op.policy.soft_rules:
        sixtieths["soft_rules"] = w.soft_rule * sum(
            soft_units(op, problem.travel, p, worked.get(p.service_number, [])) for p in problem.staff
        )
    for number, items in worked.items():
        person = people[number]
        total = sum(shift.minutes for shift, _ in items)
        allowance = overtime_allowance(person.limits.contracted_minutes_per_week, len(op.days))
        sixtieths["overtime"] += w.overtime_per_hour * max(0, total - allowance)
        loads = [facts(shift, shift_reach) for shift, shift_reach in items]
        for k in range(3):
            load = sum(f[0][k] for f in loads)
            heaviest[(person.rank, k)] = max(heaviest[(person.rank, k)], load)
        for shift, shift_reach in items:
            sixtieths["fatigue"] += 60 * w.fatigue * facts(shift, shift_reach)[1]
            sixtieths["travel"] += 60 * w.travel_per_10_km * travel_points(shift_reach)
        for city, nights in deployments(items):
            sixtieths["lodging"] += 60 * w.lodging_night * (nights + 1)
            sixtieths["travel"] += (
                60 * w.travel_per_10_km * trip_points(problem.travel, person.home_station, city)
            )
    unit = fairness_units(problem)
    sixtieths["fairness"] = sum(unit[k] * load for (_, k), load in heaviest.items())
    return Score({term: value / 60 for term, value in sixtieths.items()})


def _unmet_requests(problem: RosterProblem, worked: dict[str, list[tuple[Shift, Reach]]]) -> int:
    """Total weight of requests the roster does not honour."""
    city_of = {code: loc.city for code, loc in problem.travel.locations.items()}
    # Who works which labels on which day, read once: a year's roster meets thousands of requests.
    labels: dict[tuple[str, date | None], set[str]] = defaultdict(set)
    for number, items in worked.items():
        for s, _ in items:
            labels[(number, s.day)].add(s.label)
    unmet = 0
    for r in problem.requests:
        that_day = labels.get((r.service_number, r.day), set())
        if r.kind is RequestKind.DAY_OFF:
            unmet += r.weight * bool(that_day)
        elif r.kind is RequestKind.SHIFT_OFF:
            unmet += r.weight * (r.shift_label in that_day)
        elif r.kind is RequestKind.SHIFT_ON:
            if problem.operation.first_day <= r.day <= problem.operation.last_day:  # type: ignore[operator]
                unmet += r.weight * (r.shift_label not in that_day)
        else:
            items = worked.get(r.service_number, [])
            unmet += r.weight * sum(1 for s, _ in items if city_of.get(s.site) != r.city)
    return unmet


def deployments(items: list[tuple[Shift, Reach]]) -> list[tuple[str, int]]:
    """(city, away days) of each deployment."""
    away = {s.day: r.base for s, r in items if r.lodged}
    return [(city, (last - first).days + 1) for city, first, last in deployment_blocks(away)]
