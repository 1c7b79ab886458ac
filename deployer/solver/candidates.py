"""Who could work which shift line: the pruning done before any solver variable exists.

A person is a candidate for a demand line of a shift when they hold its rank, agency and skills
(valid on the day), are not absent, can reach the site (commuting or lodged) and the shift fits
the hard duty limits. Everything else is never given a variable, which keeps models small.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from deployer.domain.clock import minutes_between
from deployer.domain.operations import DemandLine, Shift
from deployer.domain.problem import RosterProblem
from deployer.domain.rules import (
    Reach,
    duty_minutes,
    fatigue_score,
    reach,
    rest_between,
    shift_days,
    travel_points,
)
from deployer.domain.staff import StaffMember


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible assignment: shift (index in the operation), demand line, and its costs."""

    shift: int
    line: int
    reach: Reach
    fatigue: int
    travel: int


@dataclass(frozen=True, slots=True)
class _Qualified:
    """A person's standing for one kind of demand line: never, or up to a day (None: always)."""

    ok: bool
    until: date | None


class Candidates:
    """Candidate assignments per person, computed once per problem."""

    def __init__(self, problem: RosterProblem) -> None:
        self.problem = problem
        self.shifts: tuple[Shift, ...] = problem.operation.shifts
        self.index = {s.key: i for i, s in enumerate(self.shifts)}
        origin = self.shifts[0].start if self.shifts else None
        self.start_min = [minutes_between(origin, s.start) for s in self.shifts]  # type: ignore[arg-type]
        self.end_min = [minutes_between(origin, s.end) for s in self.shifts]  # type: ignore[arg-type]
        """Shift starts and ends in minutes from the first shift's start: quick rest arithmetic."""
        self._by_site: dict[str, list[int]] = defaultdict(list)
        for i, shift in enumerate(self.shifts):
            self._by_site[shift.site].append(i)
        self._reach_cache: dict[tuple[str, bool, str], Reach | None] = {}
        self._cost_cache: dict[tuple[int, Reach], tuple[int, int]] = {}
        self._by_line: dict[tuple[int, int], list[tuple[str, Candidate]]] | None = None
        self._clashes: dict[tuple[tuple[int, Reach], tuple[int, Reach]], bool] = {}
        self.by_person: dict[str, list[Candidate]] = {
            p.service_number: self._for_person(p) for p in problem.staff
        }

    def count(self) -> int:
        """How many candidate assignments there are in all."""
        return sum(len(c) for c in self.by_person.values())

    def clash(self, earlier: tuple[int, Reach], later: tuple[int, Reach]) -> bool:
        """True when shift ``later`` (reached as given) cannot follow ``earlier``: they overlap or
        leave less rest than the policy needs after the earlier one (cached: people share reaches)."""
        key = (earlier, later)
        found = self._clashes.get(key)
        if found is None:
            (a, ra), (b, rb) = earlier, later
            start, end = self.start_min, self.end_min
            moving = 0 if ra.base == rb.base else self.problem.travel.leg(ra.base, rb.base).minutes
            needed = self.problem.operation.policy.rest_required_after(end[a] - start[a])
            found = start[b] < end[a] or rest_between(end[a], ra, start[b], rb, moving) < needed
            self._clashes[key] = found
        return found

    def for_line(self, shift: int, line: int) -> list[tuple[str, Candidate]]:
        """Everyone who could fill ``line`` of ``shift``, with their candidate."""
        if self._by_line is None:
            self._by_line = defaultdict(list)
            for sn, cands in self.by_person.items():
                for c in cands:
                    self._by_line[(c.shift, c.line)].append((sn, c))
        return self._by_line.get((shift, line), [])

    def people_for(self, shift: int, line: int) -> list[str]:
        """Service numbers of everyone who could fill ``line`` of ``shift``."""
        return [sn for sn, _ in self.for_line(shift, line)]

    def _for_person(self, person: StaffMember) -> list[Candidate]:
        policy = self.problem.operation.policy
        absent = {d for a in person.absences for d in _days(a.first_day, a.last_day, self.problem)}
        standing: dict[DemandLine, _Qualified] = {}
        out: list[Candidate] = []
        for site, indices in self._by_site.items():
            site_reach = self._reach(person, site)
            if site_reach is None:
                continue
            for i in indices:
                shift = self.shifts[i]
                if absent and any(d in absent for d in shift_days(shift)):
                    continue
                if not policy.is_soft("shift_length") and shift.minutes > policy.max_shift_minutes:
                    continue
                if (
                    not policy.is_soft("duty_length")
                    and duty_minutes(shift, site_reach) > policy.max_duty_minutes
                ):
                    continue
                for line_no, line in enumerate(shift.demand):
                    q = standing.get(line)
                    if q is None:
                        q = standing[line] = self._standing(person, line)
                    if q.ok and (q.until is None or shift.day <= q.until):
                        fatigue, travel = self._costs(i, site_reach)
                        out.append(Candidate(i, line_no, site_reach, fatigue, travel))
        out.sort(key=lambda c: (self.shifts[c.shift].start, c.shift, c.line))
        return out

    def _reach(self, person: StaffMember, site: str) -> Reach | None:
        key = (person.home_station, person.limits.can_deploy_away, site)
        if key not in self._reach_cache:
            location = self.problem.travel.locations[site]
            self._reach_cache[key] = reach(
                person, location, self.problem.travel, self.problem.operation.policy
            )
        return self._reach_cache[key]

    def _costs(self, shift: int, shift_reach: Reach) -> tuple[int, int]:
        key = (shift, shift_reach)
        if key not in self._cost_cache:
            policy = self.problem.operation.policy
            self._cost_cache[key] = (
                fatigue_score(self.shifts[shift], shift_reach, policy),
                travel_points(shift_reach),
            )
        return self._cost_cache[key]

    def _standing(self, person: StaffMember, line: DemandLine) -> _Qualified:
        """Rank, agency and skills, with the last day the skills stay valid."""
        if line.agencies and person.agency not in line.agencies:
            return _Qualified(False, None)
        if line.min_rank:
            held = self.problem.ranks.get(person.rank)
            if held is None or not held.meets(self.problem.ranks[line.min_rank]):
                return _Qualified(False, None)
        until: date | None = None
        for need in line.skills:
            q = next((q for q in person.qualifications if q.skill == need.skill), None)
            if q is None or q.level < need.min_level:
                return _Qualified(False, None)
            if q.expires is not None:
                until = q.expires if until is None else min(until, q.expires)
        return _Qualified(True, until)


def _days(first: date, last: date, problem: RosterProblem) -> list[date]:
    """Days of an absence that fall within a day of the horizon (a night can reach one beyond)."""
    lo = max(first, problem.operation.first_day)
    hi = min(last, problem.operation.last_day + timedelta(days=1))
    return [lo + timedelta(days=i) for i in range((hi - lo).days + 1)] if lo <= hi else []
