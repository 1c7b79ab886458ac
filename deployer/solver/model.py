"""The CP-SAT model: variables, one small method per rule, and the objective.

Variables are ``x[person, shift, line]`` for candidate assignments only (see ``candidates``),
plus coverage slack per demand line. Each rule method carries the name of the rule it enforces
(the validator has a check of the same name). Objective terms are kept apart, counted in
sixtieths of a point, so that the result can say what each term costs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import numpy as np
from ortools.sat.python import cp_model

from deployer.domain.operations import Shift
from deployer.domain.problem import RosterProblem
from deployer.domain.requests import RequestKind
from deployer.domain.roster import Assignment
from deployer.domain.rules import (
    back_at,
    duty_minutes,
    leaves_at,
    minutes_by_day,
    personal,
    trip_points,
    weekend_of,
)
from deployer.domain.scoring import TERMS, fairness_loads, fairness_units, overtime_allowance
from deployer.domain.soft_rules import limit_7_days
from deployer.domain.staff import StaffMember
from deployer.solver.candidates import Candidate, Candidates

Expr = cp_model.LinearExprT
Lit = cp_model.IntVar | int
"""A literal, or 0 or 1 where the model already knows the answer (a fixed shift, a day off)."""


def _is(value: Lit, fixed: int) -> bool:
    """True when ``value`` is the constant ``fixed`` (a variable never is)."""
    return isinstance(value, int) and value == fixed


def _fixed(values: Iterable[object]) -> bool:
    """True when every value is a constant: a constraint on them alone has nothing to decide."""
    return all(isinstance(v, int) for v in values)


class UnpinnableError(Exception):
    """A pinned assignment that the person cannot hold at all (no candidate exists)."""

    def __init__(self, assignment: Assignment) -> None:
        self.assignment = assignment
        super().__init__(f"{assignment.service_number} cannot be pinned to {assignment.shift_key}")


@dataclass
class _Entry:
    """A candidate with its variable, for the person-level rules."""

    var: Lit
    """The assignment variable; 1 for a shift fixed in the model (context, history)."""
    cand: Candidate
    shift: Shift


@dataclass
class _Person:
    person: StaffMember
    entries: list[_Entry] = field(default_factory=list)
    by_day: dict[date, list[_Entry]] = field(default_factory=lambda: defaultdict(list))
    works: dict[date, Lit] = field(default_factory=dict)
    """One variable per day with entries: 1 when a shift starting that day is worked."""
    travel: dict[date, list[Lit]] = field(default_factory=lambda: defaultdict(list))
    """Indicators that a day is the travel day before or after a deployment (a day of duty)."""
    past: list[_Entry] = field(default_factory=list)
    """Shifts worked before the horizon: the rules that look back (rest, runs, hours) see them."""
    bases: dict[tuple[date, str], Lit] = field(default_factory=dict)
    """Per day and base: 1 when the day's shift is reached from that base (the rest rule's moves)."""

    @property
    def sequence(self) -> list[_Entry]:
        """Past and present entries, for the rules over sequences of days."""
        return self.past + self.entries


class RosterModel:
    """Builds the CP-SAT model of a roster problem."""

    def __init__(
        self,
        problem: RosterProblem,
        candidates: Candidates,
        *,
        hard_coverage: bool = False,
        explain: bool = False,
        scope: Iterable[int] | None = None,
        context: dict[str, list[Candidate]] | None = None,
        covered: dict[tuple[int, int], int] | None = None,
        heaviest_elsewhere: dict[tuple[str, int], int] | None = None,
        rules: bool = True,
    ) -> None:
        """The model of the people in ``candidates`` on the shifts in ``scope`` (default: all).

        For a neighbourhood of a large solve, ``context`` holds the fixed shifts of those people
        outside the neighbourhood (their rules see them) and ``covered`` how many others already
        fill each line in scope, and ``heaviest_elsewhere`` the heaviest fairness loads (by rank and
        load) of the people left out: the neighbourhood's own heaviest counts only above them, so
        its objective moves as the whole roster's does. ``rules`` False builds the variables and the
        objective alone: what pricing a person's shifts needs, in a fraction of the time.
        """
        self.problem = problem
        self.cands = candidates
        self.scope = range(len(candidates.shifts)) if scope is None else sorted(scope)
        self.context = context or {}
        self.covered = covered or {}
        self.heaviest_elsewhere = heaviest_elsewhere or {}
        self.policy = problem.operation.policy
        self.days = problem.operation.days
        self._past: dict[str, list[Assignment]] = defaultdict(list)
        for a in problem.history:
            self._past[a.service_number].append(a)
        first_past = min((s.day for s in problem.history_shifts), default=self.days[0])
        self.sequence_days = [
            first_past + timedelta(days=k) for k in range((self.days[-1] - first_past).days + 1)
        ]
        """The horizon and the days of history before it, for rules over runs of days."""
        self.model = cp_model.CpModel()
        self.hard_coverage = hard_coverage
        self.x: dict[tuple[str, int, int], cp_model.IntVar] = {}
        self.under: dict[tuple[int, int], cp_model.IntVar] = {}
        self.over: dict[tuple[int, int], cp_model.IntVar] = {}
        self.cover_rows: dict[tuple[int, int], int] = {}
        """Demand line -> index of its constraint ``filled + unfilled - surplus == count``."""
        self.explain = explain
        self.assumptions: dict[int, str] = {}
        """Enforcement literal index -> what it stands for, when building to explain a failure."""
        self.terms: dict[str, list[tuple[Expr, int]]] = {t: [] for t in TERMS}
        self.offsets: dict[str, int] = dict.fromkeys(TERMS, 0)
        self.people: dict[str, _Person] = {}
        self.successions = self._succession_groups()
        self.rules = rules
        self.weekends_limited = False
        """Whether some person's weekends worked are limited in this model (a limit no lower than
        the horizon's weekends builds nothing)."""
        self.parts: dict[str | int, list[tuple[int, int, int, int]]] = defaultdict(list)
        """What was built for one person (by service number) or one shift (by index) alone: ranges
        (first variable, end variable, first constraint, end constraint). Neighbourhood search
        copies only the parts it frees; what no part holds is shared by all."""
        self._variables()
        if rules:
            self.add_constraints()
        self._objective()

    # -- variables ---------------------------------------------------------------------------

    def _variables(self) -> None:
        for number, candidates in self.cands.by_person.items():
            with self._part(number):
                self._person_variables(number, candidates)

    def _person_variables(self, number: str, candidates: list[Candidate]) -> None:
        """The person's assignment variables, fixed entries (context, history) and work days."""
        shifts = self.cands.shifts
        sp = _Person(self.problem.person(number))
        for c in candidates:
            var = self.model.new_bool_var(f"x[{number},{shifts[c.shift].key},{c.line}]")
            self.x[(number, c.shift, c.line)] = var
            entry = _Entry(var, c, shifts[c.shift])
            sp.entries.append(entry)
            sp.by_day[shifts[c.shift].day].append(entry)
        for c in self.context.get(number, []):
            entry = _Entry(1, c, shifts[c.shift])
            sp.entries.append(entry)
            sp.by_day[shifts[c.shift].day].append(entry)
        for c in self._history(sp.person):
            entry = _Entry(1, c, shifts[c.shift])
            sp.past.append(entry)
            sp.by_day[shifts[c.shift].day].append(entry)
        if not sp.entries:
            return
        self.people[number] = sp
        if self.rules:  # the rules count work days; pricing the person's shifts does not
            for day, entries in sp.by_day.items():
                sp.works[day] = self._indicator(f"works[{number},{day}]", [e.var for e in entries])

    def _indicator(self, name: str, literals: list[Lit]) -> Lit:
        """A variable equal to the sum of ``literals`` (at most one true), or that sum when all
        are fixed: a neighbourhood's fixed days then build no constraint."""
        if _fixed(literals):
            return sum(literals)
        var = self.model.new_bool_var(name)
        self.model.add(sum(literals) == var)
        return var

    @contextmanager
    def _part(self, owner: str | int) -> Iterator[None]:
        """Record what the block builds as belonging to ``owner`` (see ``parts``)."""
        proto = self.model.proto
        variables, constraints = len(proto.variables), len(proto.constraints)
        yield
        self.parts[owner].append((variables, len(proto.variables), constraints, len(proto.constraints)))

    def _history(self, person: StaffMember) -> list[Candidate]:
        """The person's shifts before the horizon, as fixed candidates."""
        out = []
        for a in self._past.get(person.service_number, []):
            i = self.cands.index.get(a.shift_key)
            site_reach = self.cands.reach_of(person, self.cands.shifts[i].site) if i is not None else None
            if i is not None and site_reach is not None:
                out.append(Candidate(i, a.line, site_reach, *self.cands.costs(i, site_reach)))
        return out

    @cached_property
    def assignment_indices(self) -> tuple[list[tuple[str, int, int]], np.ndarray]:
        """The keys of ``x`` and the indices of their variables, in the same order, so that a
        solution's assignments are read at once (a loop asking each of Curtois Instance 21's
        90,000 variables took 0.4 s, past the end of a solve; this takes milliseconds)."""
        keys = list(self.x)
        return keys, np.fromiter((var.index for var in self.x.values()), dtype=np.int64, count=len(keys))

    def hint(self, assignments: Iterable[Assignment]) -> float | None:
        """Hint every variable from ``assignments``; returns their objective (sixtieths), or None.

        The assignment variables are fixed in a copy and propagation fills in the auxiliary ones
        (work days, minutes, deployments): a hint of the assignments alone leaves CP-SAT to
        complete them, which on large models it often fails to do in time.
        """
        chosen = {(a.service_number, a.shift_key, a.line) for a in assignments}
        shifts = self.cands.shifts
        fixed = self.model.clone()
        for (sn, shift, line), var in self.x.items():
            fixed.add(
                fixed.get_bool_var_from_proto_index(var.index) == ((sn, shifts[shift].key, line) in chosen)
            )
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 30
        if solver.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        self.model.clear_hints()
        hint = self.model.proto.solution_hint
        for index in range(len(self.model.proto.variables)):
            hint.vars.append(index)
            hint.values.append(solver.value(fixed.get_int_var_from_proto_index(index)))
        return solver.objective_value

    def roster_cost(self, solver: cp_model.CpSolver) -> int:
        """Sixtieths the roster of the solver's solution costs: the objective recomputed from its
        values (after a stopped search on two workers CP-SAT reported 960 more than its solution
        held), less what it pays for lines left both short and over (a search stopped early can
        leave both slacks up, where the roster, its people against the count, pays neither)."""
        values = solver.response_proto.solution
        objective = self.model.proto.objective
        total = objective.offset + sum(
            c * values[v] for v, c in zip(objective.vars, objective.coeffs, strict=True)
        )
        for (i, j), under in self.under.items():
            if both := min(values[under.index], values[self.over[(i, j)].index]):
                line = self.cands.shifts[i].demand[j]
                total -= 60 * both * (self.problem.weights.shortfall(line) + (line.over_cost or 0))
        return int(total)

    def work(self, sp: _Person, day: date) -> Lit:
        """1 when the person works a shift starting on ``day`` (0 when they cannot)."""
        return sp.works.get(day, 0)

    # -- constraints -------------------------------------------------------------------------

    def _may_fail(self, constraint: cp_model.Constraint, meaning: str) -> None:
        """A constraint that can make the problem infeasible: named by an assumption when explaining."""
        if self.explain or self.hard_coverage:
            literal = self.model.new_bool_var(meaning)
            constraint.only_enforce_if(literal)
            self.model.add_assumption(literal)
            self.assumptions[literal.index] = meaning

    def add_constraints(self) -> None:
        """Every rule, in the order a planner reads them.

        One shift per day is built into the variables: each day's entries sum to one boolean.
        """
        self._coverage()
        self._pinned()
        for number, sp in self.people.items():
            with self._part(number):
                self._rest_between_shifts(sp)
                self._deployments(sp)
                self._consecutive_days(sp)
                self._consecutive_nights(sp)
                self._hours_per_window(sp)
                self._min_consecutive_days(sp)
                self._min_consecutive_days_off(sp)
                self._weekends(sp)
                self._forbidden_successions(sp)
                self._person_limits(sp)

    def _coverage(self) -> None:
        """Each demand line gets its count; shortfall (and allowed surplus) are priced slack."""
        filled: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        for (_, index, position), var in self.x.items():
            filled[(index, position)].append(var)
        weights = self.problem.weights
        for i in self.scope:
            with self._part(i):
                shift = self.cands.shifts[i]
                for j, line in enumerate(shift.demand):
                    people = filled.get((i, j), [])
                    count = max(0, line.count - self.covered.get((i, j), 0))
                    under = self.model.new_int_var(0, count, f"unfilled[{shift.key},{j}]")
                    over_max = 0 if line.over_cost is None else max(0, len(people) - count)
                    over = self.model.new_int_var(0, over_max, f"surplus[{shift.key},{j}]")
                    self.cover_rows[(i, j)] = len(self.model.proto.constraints)
                    self.model.add(sum(people) + under - over == count)
                    self.under[(i, j)], self.over[(i, j)] = under, over
                    self.terms["unfilled"].append((under, 60 * weights.shortfall(line)))
                    if line.over_cost:
                        self.terms["overstaffed"].append((over, 60 * line.over_cost))
                    if self.hard_coverage and line.count:
                        self._may_fail(self.model.add(under == 0), f"cover {shift.key} line {j}")

    def _pinned(self) -> None:
        """Pinned assignments of the published roster stay as they are."""
        for a in self.problem.published:
            if not a.pinned:
                continue
            i = self.cands.index.get(a.shift_key)
            var = self.x.get((a.service_number, i, a.line)) if i is not None else None
            if var is None:
                raise UnpinnableError(a)
            self._may_fail(self.model.add(var == 1), f"pinned {a.service_number} {a.shift_key}")

    def _rest_between_shifts(self, sp: _Person) -> None:
        """No two shifts overlap or leave less rest than the policy needs (travel counted).

        At most one shift a day is worked, so a day's departure (a shift's start less the journey
        there) and its release (back at base, plus the rest the shift's length needs) are sums
        over its entries. When both days are worked, the later departure comes no earlier than
        the earlier release, plus the move between bases where they differ (one constraint per
        pair of bases that needs it). Clash constraints per pair of shifts grew with the square
        of the shifts a day: three people's four weeks of a 120-shift day took 10 s.
        """
        start, end, length = self.cands.start_min, self.cands.end_min, self.cands.length
        # Per day: each entry's departure and release; per day and base, the soonest departure
        # and the latest release, which decide whether a pair of days can clash at all.
        leave: dict[date, list[int]] = {}
        free: dict[date, list[int]] = {}
        soonest: dict[date, dict[str, int]] = {}
        latest: dict[date, dict[str, int]] = {}
        for day, entries in sp.by_day.items():
            leave[day] = [leaves_at(start[e.cand.shift], e.cand.reach) for e in entries]
            free[day] = [
                back_at(end[e.cand.shift], e.cand.reach)
                + self.policy.rest_required_after(length[e.cand.shift])
                for e in entries
            ]
            soonest[day], latest[day] = {}, {}
            for e, d, r in zip(entries, leave[day], free[day], strict=True):
                base = e.cand.reach.base
                soonest[day][base] = min(soonest[day].get(base, d), d)
                latest[day][base] = max(latest[day].get(base, r), r)
        bases = {base for by_base in soonest.values() for base in by_base}
        moving = max(
            (self.problem.travel.leg(a, b).minutes for a in bases for b in bases if a != b), default=0
        )
        soft = self.policy.is_soft("rest_between_shifts")
        for day, entries in sp.by_day.items():
            for back in (1, 2):
                before = day - timedelta(days=back)
                # Most pairs of days clash in no way (checked first: a year is long), or are fixed.
                if (
                    before not in latest
                    or max(latest[before].values()) + moving <= min(soonest[day].values())
                    or _fixed(e.var for e in [*sp.by_day[before], *entries])
                    or not (clashing := self._clashing_bases(latest[before], soonest[day]))
                ):
                    continue
                departs = cp_model.LinearExpr.weighted_sum([e.var for e in entries], leave[day])
                released = cp_model.LinearExpr.weighted_sum([e.var for e in sp.by_day[before]], free[before])
                excess = self._excess("rest_between_shifts", 1, sp)
                unless = [excess.Not()] if soft else []  # type: ignore[union-attr]
                for (a, b), move in clashing.items():
                    both = [self._at_base(sp, before, a), self._at_base(sp, day, b)]
                    if not any(_is(v, 0) for v in both):
                        when = [v for v in both if not isinstance(v, int)]
                        self.model.add(departs - released >= move).only_enforce_if([*when, *unless])

    def _clashing_bases(
        self, latest: dict[str, int], soonest: dict[str, int]
    ) -> dict[tuple[str | None, str | None], int]:
        """(earlier base, later base) -> the move between them, for the pairs where some shift of
        the later day (departing ``soonest`` by base) could start too soon after some shift of the
        earlier one (released ``latest`` by base); None stands for any base (the move is then 0,
        which every pair needs at least)."""
        out: dict[tuple[str | None, str | None], int] = {}
        if max(latest.values()) > min(soonest.values()):
            out[(None, None)] = 0
        for a, released in latest.items():
            for b, departs in soonest.items():
                moving = self.problem.travel.leg(a, b).minutes if a != b else 0
                if moving and released + moving > departs:
                    out[(a, b)] = moving
        return out

    def _at_base(self, sp: _Person, day: date, base: str | None) -> Lit:
        """1 when the day's shift is reached from ``base`` (any base: when the day is worked)."""
        entries = sp.by_day[day]
        if base is None or all(e.cand.reach.base == base for e in entries):
            return self.work(sp, day)
        key = (day, base)
        if key not in sp.bases:
            name = f"base[{sp.person.service_number},{day},{base}]"
            sp.bases[key] = self._indicator(name, [e.var for e in entries if e.cand.reach.base == base])
        return sp.bases[key]

    def _excess(
        self, rule: str, most: int, sp: _Person, *, per_minute: bool = False
    ) -> cp_model.IntVar | int:
        """0 for a hard rule; for a soft one, a priced variable (up to ``most``) the limit may stretch by.

        It costs ``soft_rule`` per unit, or per hour when it counts minutes (``per_minute``).
        """
        if not self.policy.is_soft(rule):
            return 0
        excess = self.model.new_int_var(0, most, f"soft[{rule},{sp.person.service_number}]")
        unit = self.problem.weights.soft_rule * (1 if per_minute else 60)
        self.terms["soft_rules"].append((excess, unit))
        return excess

    def _consecutive_days(self, sp: _Person) -> None:
        """No more than ``max_consecutive_days`` working days in a row."""
        limit = personal(self.policy, sp.person, "max_consecutive_days") or 0
        # The trip home after the last day is a day of duty too, as the validator counts it.
        days = [*self.sequence_days, self.days[-1] + timedelta(days=1)]
        self._window_limit(sp, limit, lambda d: self._duty(sp, d), "consecutive_days", days)

    def _duty(self, sp: _Person, day: date) -> Lit:
        """1 when the day is worked or is a deployment's travel day."""
        marks = [self.work(sp, day), *sp.travel.get(day, [])]
        if len(marks) == 1:
            return marks[0]
        if _fixed(marks):
            return max(marks)
        duty = self.model.new_bool_var(f"duty[{sp.person.service_number},{day}]")
        self.model.add_max_equality(duty, marks)
        return duty

    def _consecutive_nights(self, sp: _Person) -> None:
        """No more than ``max_consecutive_nights`` nights in a row."""
        nights = {e.shift.key for e in sp.entries if self.cands.night[e.cand.shift]}
        if not nights:
            return
        self._window_limit(
            sp,
            self.policy.max_consecutive_nights,
            lambda d: sum(e.var for e in sp.by_day.get(d, []) if e.shift.key in nights),
            "consecutive_nights",
        )

    def _window_limit(
        self, sp: _Person, limit: int, on_day, rule: str, days: list[date] | None = None
    ) -> None:  # type: ignore[no-untyped-def]
        """In any ``limit + 1`` of ``days`` in a row (default: history and horizon), at most ``limit``
        count (a priced excess if the rule is soft)."""
        span = limit + 1
        days = days or self.sequence_days
        if len(days) < span:
            return
        for start in range(len(days) - span + 1):
            window = [on_day(days[start + k]) for k in range(span)]
            if any(not isinstance(t, int) for t in window):
                self.model.add(sum(window) <= limit + self._excess(rule, 1, sp))

    def _hours_per_window(self, sp: _Person) -> None:
        """Minutes worked in any 7 and any 14 days (nights split at midnight) within the limits."""
        limit_7 = limit_7_days(self.problem.operation, sp.person)
        if limit_7 >= 7 * 24 * 60 and self.policy.max_minutes_per_14_days >= 14 * 24 * 60:
            return  # no roster can reach these limits
        per_day: dict[date, list[tuple[Lit, int]]] = defaultdict(list)
        for e in sp.sequence:
            for day, minutes in minutes_by_day(e.shift).items():
                per_day[day].append((e.var, minutes))
        most = {day: sum(m for _, m in items) for day, items in per_day.items()}
        day_minutes: dict[date, cp_model.IntVar | int] = {}

        def minutes_on(day: date) -> cp_model.IntVar | int:
            if day not in day_minutes:
                items = per_day[day]
                if _fixed(v for v, _ in items):
                    day_minutes[day] = sum(m for _, m in items)  # every fixed entry is worked
                    return day_minutes[day]
                var = self.model.new_int_var(
                    0, min(24 * 60, most[day]), f"minutes[{sp.person.service_number},{day}]"
                )
                self.model.add(
                    cp_model.LinearExpr.weighted_sum([v for v, _ in items], [m for _, m in items]) == var
                )
                day_minutes[day] = var
            return day_minutes[day]

        first = self.days[0]
        for window, limit in ((7, limit_7), (14, self.policy.max_minutes_per_14_days)):
            start = first - timedelta(days=window - 1)
            while start <= max(per_day, default=first):
                days = [start + timedelta(days=k) for k in range(window)]
                days = [d for d in days if d in per_day]
                possible = sum(min(24 * 60, most[d]) for d in days)
                worked = [minutes_on(d) for d in days] if possible > limit else []
                if not _fixed(worked):
                    rule = f"hours_per_{window}_days"
                    excess = self._excess(rule, 1, sp)
                    self.model.add(sum(worked) <= limit + (possible - limit) * excess)
                start += timedelta(days=1)

    def _deployments(self, sp: _Person) -> None:
        """Away blocks: at most ``max_deployment_days`` long, a free travel day at each end,
        then ``rest_days_after_deployment`` free days; lodging nights and trips are priced."""
        away: dict[str, dict[date, list[Lit]]] = defaultdict(lambda: defaultdict(list))
        for e in sp.sequence:
            if e.cand.reach.lodged:
                away[e.cand.reach.base][e.shift.day].append(e.var)
        weights = self.problem.weights
        limit = self.policy.max_deployment_days
        for city, days in away.items():
            lodged = {
                d: self._indicator(f"away[{sp.person.service_number},{city},{d}]", day_vars)
                for d, day_vars in days.items()
            }

            def aw(d: date, lodged=lodged) -> Lit:
                return lodged.get(d, 0)

            trip = (
                60 * weights.travel_per_10_km * trip_points(self.problem.travel, sp.person.home_station, city)
            )
            for d in sorted(days):
                before, after = d - timedelta(days=1), d + timedelta(days=1)
                # Travel day before a first away day and after a last one: no shift at all.
                self._at_most_one_more(sp, "travel_days", aw(d), aw(before), self.work(sp, before))
                self._at_most_one_more(sp, "travel_days", aw(d), aw(after), self.work(sp, after))
                for k in range(self.policy.rest_days_after_deployment):
                    rest_day = self.work(sp, d + timedelta(days=2 + k))
                    self._at_most_one_more(sp, "rest_after_deployment", aw(d), aw(after), rest_day)
                start = self._first_of(f"deploy[{sp.person.service_number},{city},{d}]", aw(d), aw(before))
                end = self._first_of(f"return[{sp.person.service_number},{city},{d}]", aw(d), aw(after))
                sp.travel[before].append(start)
                sp.travel[after].append(end)
                if d >= self.days[0]:
                    # A deployment costs one night more than its days, and the trip there and back.
                    self.terms["lodging"].append((start, 60 * weights.lodging_night))
                    self.terms["travel"].append((start, trip))
                    self.terms["lodging"].append((lodged[d], 60 * weights.lodging_night))
            span = limit + 1
            seq = self.sequence_days
            for i in range(len(seq) - span + 1):
                window = [lodged[seq[i + k]] for k in range(span) if seq[i + k] in lodged]
                if len(window) > limit and not _fixed(window):
                    self.model.add(sum(window) <= limit + self._excess("deployment_length", 1, sp))

    def _at_most_one_more(self, sp: _Person, rule: str, away: Lit, neighbour: Lit, then: Lit) -> None:
        """Not all three: ``away`` on a day, ``neighbour`` (the day before or after) not, and
        ``then`` (a shift on the day before the block, or after it)."""
        if not _fixed([away, neighbour, then]):
            self.model.add(away - neighbour + then <= 1 + self._excess(rule, 1, sp))

    def _first_of(self, name: str, day: Lit, neighbour: Lit) -> Lit:
        """1 when ``day`` is away and ``neighbour`` (the day before or after) is not."""
        if _fixed([day, neighbour]):
            return int(_is(day, 1) and _is(neighbour, 0))
        first = self.model.new_bool_var(name)
        self.model.add(first >= day - neighbour)
        self.model.add(first <= day)
        self.model.add(first <= 1 - neighbour)
        return first

    def _min_consecutive_days(self, sp: _Person) -> None:
        """Runs of work inside the horizon last at least ``min_consecutive_days``."""
        self._min_runs(sp, personal(self.policy, sp.person, "min_consecutive_days") or 0, working=True)

    def _min_consecutive_days_off(self, sp: _Person) -> None:
        """Runs of days off inside the horizon last at least ``min_consecutive_days_off``."""
        self._min_runs(sp, personal(self.policy, sp.person, "min_consecutive_days_off") or 0, working=False)

    def _min_runs(self, sp: _Person, minimum: int, *, working: bool) -> None:
        """Forbid every run shorter than ``minimum`` that does not touch the horizon's ends."""
        if minimum <= 1:
            return
        w = [self.work(sp, d) for d in self.days]
        n = len(w)
        rule = "min_consecutive_days" if working else "min_consecutive_days_off"
        for length in range(1, minimum):
            for start in range(1, n - length):
                inside = w[start : start + length]
                border = [w[start - 1], w[start + length]]
                # clause: the run is not exactly these days (borders are the other state)
                if working:
                    self._clause(sp, rule, border, inside)
                else:
                    self._clause(sp, rule, inside, border)

    def _clause(self, sp: _Person, rule: str, some: list[Lit], not_all: list[Lit]) -> None:
        """One of ``some`` is 1 or one of ``not_all`` is 0 (fixed values folded in: a clause
        that already holds is left out)."""
        if any(_is(v, 1) for v in some) or any(_is(v, 0) for v in not_all):
            return
        literals: list[cp_model.LiteralT] = [v for v in some if not isinstance(v, int)]
        literals += [v.Not() for v in not_all if not isinstance(v, int)]
        if self.policy.is_soft(rule):
            literals.append(self._excess(rule, 1, sp))
        elif not literals:
            return  # fixed and already broken: not this model's to mend
        self.model.add_bool_or(literals)

    def _weekends(self, sp: _Person) -> None:
        """Weekends worked (Saturday or Sunday) within the person's or the policy's limit."""
        limit = personal(self.policy, sp.person, "max_weekends")
        if limit is None or len(self.weekend_days) <= limit:
            return
        worked: list[Lit] = []
        for sat, days in self.weekend_days.items():
            day_vars = [self.work(sp, d) for d in days]
            if (fixed_on := any(_is(v, 1) for v in day_vars)) or _fixed(day_vars):
                worked.append(int(fixed_on))
                continue
            var = self.model.new_bool_var(f"weekend[{sp.person.service_number},{sat}]")
            self.model.add_max_equality(var, day_vars)
            worked.append(var)
        if not _fixed(worked):
            self.model.add(sum(worked) <= limit + self._excess("weekends", len(worked), sp))
            self.weekends_limited = True

    @cached_property
    def weekend_days(self) -> dict[date, list[date]]:
        """The horizon's days on a weekend, by the weekend's Saturday."""
        weekends: dict[date, list[date]] = defaultdict(list)
        for d in self.days:
            if (sat := weekend_of(d)) is not None:
                weekends[sat].append(d)
        return weekends

    def _forbidden_successions(self, sp: _Person) -> None:
        """Shift label pairs that may not follow on the next day.

        Labels that forbid the same successors share one constraint per day: at most one shift is
        worked a day, so the sum of the day's such shifts and the next day's forbidden ones is
        at most one.
        """
        groups = self.successions
        if not groups:
            return
        for d, entries in sp.by_day.items():
            tomorrow = sp.by_day.get(d + timedelta(days=1))
            if not tomorrow:
                continue
            for labels, banned_labels in groups:
                today = [e.var for e in entries if e.shift.label in labels]
                banned = [e.var for e in tomorrow if e.shift.label in banned_labels] if today else []
                if banned and not _fixed(today + banned):
                    excess = self._excess("forbidden_succession", 1, sp)
                    self.model.add(cp_model.LinearExpr.sum([*today, *banned]) <= 1 + excess)

    def _succession_groups(self) -> list[tuple[frozenset[str], frozenset[str]]]:
        """(labels, the labels none of them may be followed by), labels grouped by that set."""
        after: dict[str, set[str]] = defaultdict(set)
        for first, second in self.policy.forbidden_successions:
            after[first].add(second)
        grouped: dict[frozenset[str], set[str]] = defaultdict(set)
        for label, banned in after.items():
            grouped[frozenset(banned)].add(label)
        return [(frozenset(labels), banned) for banned, labels in grouped.items()]

    def _person_limits(self, sp: _Person) -> None:
        """Per-person maximum shifts (in all and by label) and total minutes."""
        limits = sp.person.limits
        by_label: dict[str, list[Lit]] = defaultdict(list)
        for e in sp.entries:
            by_label[e.shift.label].append(e.var)
        for label, limit in limits.max_shifts_by_label:
            labelled = by_label.get(label, [])
            if len(labelled) > limit:
                self.model.add(sum(labelled) <= limit + self._excess("max_shifts", len(labelled), sp))
        if limits.max_shifts is not None and len(sp.entries) > limits.max_shifts:
            excess = self._excess("max_shifts", len(sp.entries), sp)
            self.model.add(sum(e.var for e in sp.entries) <= limits.max_shifts + excess)
        total = self.minutes(sp)
        most = sum(self.cands.length[e.cand.shift] for e in sp.entries)
        if limits.max_total_minutes is not None and most > limits.max_total_minutes:
            self.model.add(
                total <= limits.max_total_minutes + self._excess("total_minutes", most, sp, per_minute=True)
            )
        if limits.min_total_minutes is not None:
            short = self._excess("total_minutes", limits.min_total_minutes, sp, per_minute=True)
            self._may_fail(
                self.model.add(total >= limits.min_total_minutes - short),
                f"minimum {sp.person.service_number}",
            )
        self._days_for_total_minutes(sp)

    def _days_for_total_minutes(self, sp: _Person) -> None:
        """How many days the person works, as implied by their total minutes and shift lengths.

        Redundant with the minutes, but CP-SAT prunes far better knowing it: a person's runs and
        days off are counted in days, their limits in minutes.
        """
        limits = sp.person.limits
        lengths = [self.cands.length[e.cand.shift] for e in sp.entries]
        explaining = self.explain or self.hard_coverage  # the minimum is then behind an assumption
        if explaining or self.policy.is_soft("total_minutes") or not lengths or min(lengths) <= 0:
            return
        days = [works for day, works in sp.works.items() if day >= self.days[0]]
        if limits.max_total_minutes is not None and limits.max_total_minutes // min(lengths) < len(days):
            self.model.add(sum(days) <= limits.max_total_minutes // min(lengths))
        if limits.min_total_minutes:
            self.model.add(sum(days) >= -(-limits.min_total_minutes // max(lengths)))

    def minutes(self, sp: _Person) -> Expr:
        """Minutes the person works over the horizon."""
        return cp_model.LinearExpr.weighted_sum(
            [e.var for e in sp.entries], [self.cands.length[e.cand.shift] for e in sp.entries]
        )

    # -- objective ---------------------------------------------------------------------------

    def _objective(self) -> None:
        weights = self.problem.weights
        for sp in self.people.values():
            for e in sp.entries:
                self.terms["fatigue"].append((e.var, 60 * weights.fatigue * e.cand.fatigue))
                over = self._over_length(e)
                if over:
                    self.terms["soft_rules"].append((e.var, 60 * weights.soft_rule * over))
                self.terms["travel"].append((e.var, 60 * weights.travel_per_10_km * e.cand.travel))
        self._requests()
        self._overtime_and_fairness()
        self._changes()
        self.model.minimize(sum(self.term_expr(t) for t in TERMS))

    def _over_length(self, e: _Entry) -> int:
        """How many soft length rules (shift, door-to-door duty) this assignment breaks."""
        policy, minutes = self.policy, self.cands.length[e.cand.shift]
        return (policy.is_soft("shift_length") and minutes > policy.max_shift_minutes) + (
            policy.is_soft("duty_length") and duty_minutes(minutes, e.cand.reach) > policy.max_duty_minutes
        )

    def term_expr(self, term: str) -> Expr:
        """The (sixtieths) expression of one objective term, offset included."""
        items = [(v, c) for v, c in self.terms[term] if c]
        expr = cp_model.LinearExpr.weighted_sum([v for v, _ in items], [c for _, c in items])
        return expr + self.offsets[term]

    def _requests(self) -> None:
        """Days off, shifts off and on, and preferred cities; each unmet one costs its weight."""
        unit = 60 * self.problem.weights.request
        city_of = {code: loc.city for code, loc in self.problem.travel.locations.items()}
        first, last = self.days[0], self.days[-1]
        for r in self.problem.requests:
            sp = self.people.get(r.service_number)
            if r.kind is RequestKind.SHIFT_ON and r.day is not None and first <= r.day <= last:
                self.offsets["requests"] += unit * r.weight
            if sp is None:
                continue
            cost = unit * r.weight
            if r.kind is RequestKind.DAY_OFF:
                chosen = list(sp.by_day.get(r.day, []))  # type: ignore[arg-type]
            elif r.kind is RequestKind.SHIFT_OFF:
                chosen = [e for e in sp.by_day.get(r.day, []) if e.shift.label == r.shift_label]  # type: ignore[arg-type]
            elif r.kind is RequestKind.SHIFT_ON:
                chosen = [e for e in sp.by_day.get(r.day, []) if e.shift.label == r.shift_label]  # type: ignore[arg-type]
                cost = -cost
            else:
                chosen = [e for e in sp.entries if city_of.get(e.shift.site) != r.city]
            self.terms["requests"].extend((e.var, cost) for e in chosen)

    def _overtime_and_fairness(self) -> None:
        """Overtime beyond the pro-rata contract; the heaviest loads (hours, nights, weekend shifts)
        in each rank."""
        weights = self.problem.weights
        horizon = len(self.days)
        loads: dict[tuple[str, int], list[Expr]] = defaultdict(list)
        units = fairness_units(self.problem)
        for sp in self.people.values():
            total = self.minutes(sp)
            most = sum(self.cands.length[e.cand.shift] for e in sp.entries)
            allowance = overtime_allowance(sp.person.limits.contracted_minutes_per_week, horizon)
            if weights.overtime_per_hour and most > allowance:
                overtime = self.model.new_int_var(
                    0, most - allowance, f"overtime[{sp.person.service_number}]"
                )
                self.model.add_max_equality(overtime, [total - allowance, 0])
                self.terms["overtime"].append((overtime, weights.overtime_per_hour))
            if not any(units):
                continue
            per_entry = [fairness_loads(self.problem, e.shift) for e in sp.entries]
            for k in range(3):
                if units[k]:
                    loads[(sp.person.rank, k)].append(
                        cp_model.LinearExpr.weighted_sum(
                            [e.var for e in sp.entries], [load[k] for load in per_entry]
                        )
                    )
        for (rank, k), exprs in loads.items():
            top = self.model.new_int_var(0, 60 * 24 * horizon, f"heaviest[{rank},{k}]")
            elsewhere = self.heaviest_elsewhere.get((rank, k))
            self.model.add_max_equality(top, [*exprs, elsewhere] if elsewhere else exprs)
            self.terms["fairness"].append((top, units[k]))

    def _changes(self) -> None:
        """Each published assignment not kept costs ``weights.change`` (re-rostering)."""
        unit = 60 * self.problem.weights.change
        by_person_shift: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        if self.problem.published:
            for (sn, shift, _), var in self.x.items():
                by_person_shift[(sn, shift)].append(var)
        for a in self.problem.published:
            i = self.cands.index.get(a.shift_key)
            kept = by_person_shift.get((a.service_number, i), []) if i is not None else []
            self.offsets["changes"] += unit
            self.terms["changes"].extend((v, -unit) for v in kept)
