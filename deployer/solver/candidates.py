"""Who could work which shift line: the pruning done before any solver variable exists.

A person is a candidate for a demand line of a shift when they hold its rank, agency and skills
(valid on the day), are not absent, can reach the site (commuting or lodged) and the shift fits
the hard duty limits. Everything else is never given a variable, which keeps models small.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from deployer.domain.clock import minutes_between
from deployer.domain.operations import DemandLine, Shift
from deployer.domain.problem import RosterProblem
from deployer.domain.rules import (
    Reach,
    duty_minutes,
    fatigue_score,
    minutes_by_day,
    reach,
    rest_between,
    shift_days,
    travel_points,
    weekend_of,
)
from deployer.domain.staff import StaffMember

CACHES = (
    "_reach_cache",
    "_cost_cache",
    "_open_cache",
    "_clashes",
    "_standing_cache",
    "_barred_cache",
    "_absent_cache",
)
"""What a ``Candidates`` made with ``base`` shares with it."""


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

    shifts: tuple[Shift, ...]
    index: dict[str, int]
    start_min: list[int]
    end_min: list[int]
    kinds: list[DemandLine]
    kind_of: list[list[int]]
    day_of: list[int]
    length: list[int]
    night: list[bool]
    day_minutes: list[list[tuple[int, int]]]
    weekend: list[int | None]
    _by_site: dict[str, list[int]]
    _reach_cache: dict[tuple[str, bool, str], Reach | None]
    _cost_cache: dict[tuple[int, Reach], tuple[int, int]]
    _open_cache: dict[tuple[str, Reach], list[tuple[int, int, int]]]
    _clashes: dict[tuple[int, int, Reach, Reach], bool]
    _standing_cache: dict[tuple[str, int], _Qualified]
    _barred_cache: dict[str, frozenset[str]]
    _absent_cache: dict[str, frozenset[date]]
    touched: list[frozenset[date]]
    """Per shift, the local dates it touches."""
    _span: tuple[date, date]

    def __init__(
        self,
        problem: RosterProblem,
        *,
        people: Iterable[StaffMember] | None = None,
        shifts: Iterable[int] | None = None,
        base: Candidates | None = None,
    ) -> None:
        """Candidates of ``people`` (default: everyone) on ``shifts`` (indices; default: all).

        ``base`` shares the caches of another instance over the same problem, so that the
        many small neighbourhoods of a large solve do not compute reaches and costs again.
        """
        self.problem = problem
        if base is not None:
            for name in CACHES:
                setattr(self, name, getattr(base, name))
            self.shifts, self.index = base.shifts, base.index
            self.kinds, self.kind_of = base.kinds, base.kind_of
            self.day_of, self.length, self.night = base.day_of, base.length, base.night
            self.day_minutes, self.weekend = base.day_minutes, base.weekend
            self.touched, self._span = base.touched, base._span
            self.start_min, self.end_min, self._by_site = base.start_min, base.end_min, base._by_site
        else:
            known = problem.travel.locations
            history = tuple(s for s in problem.history_shifts if s.site in known)
            # Shifts worked before the horizon come last, without demand: rules look back at them.
            self.shifts = problem.operation.shifts + tuple(replace(s, demand=()) for s in history)
            self.index = {s.key: i for i, s in enumerate(self.shifts)}
            origin = self.shifts[0].start if self.shifts else None
            self.start_min = [minutes_between(origin, s.start) for s in self.shifts]  # type: ignore[arg-type]
            self.end_min = [minutes_between(origin, s.end) for s in self.shifts]  # type: ignore[arg-type]
            self._by_site = defaultdict(list)
            for i, shift in enumerate(self.shifts):
                self._by_site[shift.site].append(i)
            kind_ids: dict[DemandLine, int] = {}
            self.kind_of = [
                [kind_ids.setdefault(line, len(kind_ids)) for line in s.demand] for s in self.shifts
            ]
            """Kind of demand line (equal lines share a kind) by shift and line: cheap cache keys."""
            self.kinds = list(kind_ids)
            self._index_days()
            self._reach_cache = {}
            self._cost_cache = {}
            self._open_cache = {}
            self._clashes = {}
            self._standing_cache = {}
            self._barred_cache = {}
            self._absent_cache = {}
        self._by_line: dict[tuple[int, int], list[tuple[str, Candidate]]] | None = None
        self.complete = people is None and shifts is None
        """True when ``by_person`` holds every person's candidates on every shift."""
        allowed = None if shifts is None else set(shifts)
        # A complete base has everyone's candidates on every shift already.
        ready: dict[str, list[Candidate]] = {}
        if base is not None and base.complete and allowed is None:
            ready = base.by_person
        self.by_person: dict[str, list[Candidate]] = {
            p.service_number: ready.get(p.service_number) or self._for_person(p, allowed)
            for p in (problem.staff if people is None else people)
        }

    def _index_days(self) -> None:
        """Per shift: day index, length, night flag, minutes by day index, weekend (Saturday index)."""
        op = self.problem.operation
        first = op.first_day
        self.day_of = [(s.day - first).days for s in self.shifts]
        self.length = [e - s for s, e in zip(self.start_min, self.end_min, strict=True)]
        self.night = [op.policy.is_night(s.start, s.end) for s in self.shifts]
        self.day_minutes = [
            [((d - first).days, m) for d, m in minutes_by_day(s).items()] for s in self.shifts
        ]
        self.weekend = [
            None if weekend_of(s.day) is None else (weekend_of(s.day) - first).days  # type: ignore[operator]
            for s in self.shifts
        ]
        self.touched = [frozenset(shift_days(s)) for s in self.shifts]
        days = [d for touched in self.touched for d in touched] or [first]
        self._span = (min(days), max(days))

    def count(self) -> int:
        """How many candidate assignments everyone has in all (looked up person by person where
        they are not all held: at Games scale they would take gigabytes at once)."""
        return sum(len(self.of_person(person)) for person in self.problem.staff)

    def clash(self, earlier: tuple[int, Reach], later: tuple[int, Reach]) -> bool:
        """True when shift ``later`` (reached as given) cannot follow ``earlier``: they overlap or
        leave less rest than the policy needs after the earlier one (cached: people share reaches)."""
        (a, ra), (b, rb) = earlier, later
        start, end = self.start_min, self.end_min
        # Only the times relative to the earlier start matter: shifts of the same pattern share the answer.
        length, gap = end[a] - start[a], start[b] - start[a]
        key = (length, gap, ra, rb)
        found = self._clashes.get(key)
        if found is None:
            moving = 0 if ra.base == rb.base else self.problem.travel.leg(ra.base, rb.base).minutes
            needed = self.problem.operation.policy.rest_required_after(length)
            found = gap < length or rest_between(length, ra, gap, rb, moving) < needed
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
        if not self.complete:
            return [p.service_number for p in self.problem.staff if self.candidate(p, shift, line)]
        return [sn for sn, _ in self.for_line(shift, line)]

    def _for_person(self, person: StaffMember, allowed: set[int] | None) -> list[Candidate]:
        """The person's candidates: what depends on the person alone is looked up once (a year of
        sixteen shift types is six thousand shift lines a person)."""
        out: list[Candidate] = []
        barred = self._barred(person)
        absent = self.absent(person) if person.absences else frozenset()
        for site in self._by_site:
            site_reach = self._reach(person, site)
            if site_reach is None:
                continue
            for i, fatigue, travel in self._open_at(site, site_reach):
                if (allowed is not None and i not in allowed) or not self._free_for(i, barred, absent):
                    continue
                for line in range(len(self.shifts[i].demand)):
                    if self._line_open(person, i, line):
                        out.append(Candidate(i, line, site_reach, fatigue, travel))
        out.sort(key=lambda c: (self.start_min[c.shift], c.shift, c.line))
        return out

    def of_person(self, person: StaffMember) -> list[Candidate]:
        """Every candidate of ``person`` on every shift (looked up now when not held)."""
        held = self.by_person.get(person.service_number)
        return held if held is not None and self.complete else self._for_person(person, None)

    def candidate(self, person: StaffMember, i: int, line: int) -> Candidate | None:
        """The candidate for ``person`` on line ``line`` of shift ``i``, or None when they cannot."""
        site_reach = self._reach(person, self.shifts[i].site)
        if site_reach is None or not self._line_open(person, i, line):
            return None
        absent = self.absent(person) if person.absences else frozenset()
        if not self._shift_open(i, site_reach, self._barred(person), absent):
            return None
        fatigue, travel = self.costs(i, site_reach)
        return Candidate(i, line, site_reach, fatigue, travel)

    def _line_open(self, person: StaffMember, i: int, line: int) -> bool:
        """Whether the person holds what line ``line`` of shift ``i`` asks, on the shift's day."""
        q = self.standing(person, self.kind_of[i][line])
        return q.ok and (q.until is None or self.shifts[i].day <= q.until)

    def _shift_open(self, i: int, site_reach: Reach, barred: frozenset[str], absent: frozenset[date]) -> bool:
        """Whether someone reaching shift ``i``'s site so, barred from those labels and absent on
        those days, may work it: its label, its days, and its length and duty within the policy's."""
        return self._free_for(i, barred, absent) and self._fits(i, site_reach)

    def _free_for(self, i: int, barred: frozenset[str], absent: frozenset[date]) -> bool:
        """Whether someone barred from those labels and absent on those days may work shift ``i``."""
        return self.shifts[i].label not in barred and not (absent and not absent.isdisjoint(self.touched[i]))

    def _open_at(self, site: str, site_reach: Reach) -> list[tuple[int, int, int]]:
        """The shifts at ``site`` whose length and duty someone reaching it so may work, with their
        fatigue and travel points (cached: people share reaches; a year of 32 shift types is
        eleven thousand shifts a person)."""
        key = (site, site_reach)
        found = self._open_cache.get(key)
        if found is None:
            found = [
                (i, *self.costs(i, site_reach)) for i in self._by_site[site] if self._fits(i, site_reach)
            ]
            self._open_cache[key] = found
        return found

    def _fits(self, i: int, site_reach: Reach) -> bool:
        """Whether shift ``i``, reached so, keeps the policy's shift length and duty length."""
        policy = self.problem.operation.policy
        minutes = self.end_min[i] - self.start_min[i]
        if not policy.is_soft("shift_length") and minutes > policy.max_shift_minutes:
            return False
        return policy.is_soft("duty_length") or duty_minutes(minutes, site_reach) <= policy.max_duty_minutes

    def absent(self, person: StaffMember) -> frozenset[date]:
        """The days of the shifts' span on which the person is absent (checked per candidate)."""
        found = self._absent_cache.get(person.service_number)
        if found is None:
            first, last = self._span
            days: set[date] = set()
            for a in person.absences:
                day = max(a.first_day, first)
                while day <= min(a.last_day, last):
                    days.add(day)
                    day += timedelta(days=1)
            found = frozenset(days)
            self._absent_cache[person.service_number] = found
        return found

    def _barred(self, person: StaffMember) -> frozenset[str]:
        """Shift labels the person may work none of (a limit of 0 that is not soft)."""
        found = self._barred_cache.get(person.service_number)
        if found is None:
            soft = self.problem.operation.policy.is_soft("max_shifts")
            limits = person.limits.max_shifts_by_label
            found = frozenset() if soft else frozenset(label for label, most in limits if most <= 0)
            self._barred_cache[person.service_number] = found
        return found

    def standing(self, person: StaffMember, kind: int) -> _Qualified:
        """Whether ``person`` holds the rank, agency and skills of line kind ``kind``, and until when."""
        key = (person.service_number, kind)
        found = self._standing_cache.get(key)
        if found is None:
            found = self._standing_cache[key] = self._standing(person, self.kinds[kind])
        return found

    def reach_of(self, person: StaffMember, site: str) -> Reach | None:
        """How ``person`` gets to ``site`` (cached by home station)."""
        return self._reach(person, site)

    def _reach(self, person: StaffMember, site: str) -> Reach | None:
        key = (person.home_station, person.limits.can_deploy_away, site)
        if key not in self._reach_cache:
            location = self.problem.travel.locations[site]
            self._reach_cache[key] = reach(
                person, location, self.problem.travel, self.problem.operation.policy
            )
        return self._reach_cache[key]

    def costs(self, shift: int, shift_reach: Reach) -> tuple[int, int]:
        """Fatigue points and travel points of working shift ``shift`` reached as given (cached)."""
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
