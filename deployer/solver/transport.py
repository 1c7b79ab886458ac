"""Where the people come from: a transport linear programme over home stations.

People come in groups of one home station (alike in whether they may deploy away and in the
cities they asked for; people who can fill no line of the operation are in none, possibly
leaving no group at all). A group fills at most its members a day (fewer on days some are on
leave), no more minutes in any 7 or 14 days and no more days in a run than its members may
work, and pays overtime beyond their contracted minutes together. Every roster obeys these
sums, so the programme's optimum is a lower bound on the whole objective: travel, lodging,
fatigue, overtime, city requests and unfilled demand, priced exactly per shift, and the other
terms at zero. On a Games operation held far from the stations of most of its people those
terms are nearly all of it; the slot bound, which lets the nearest station send people
without end, is a fifth of it.

Lodged work is priced per shift at its cheapest: a deployment of the longest possible length
spreads its extra night and its trip home over all its shifts. The optimum is also a plan —
how many people each station sends to each shift — that the constructive roster follows.

The programme has a column per group and shift (half a million at Games scale), so it is solved
by column generation: the cheapest few groups of each shift first, then whichever columns the
duals price below zero, until the bound the duals prove is close to the programme's value. It
is solved twice: for the plan, then for the bound with the first-day rebate (see ``_costs``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from deployer.domain.policy import FatiguePolicy
from deployer.domain.problem import RosterProblem
from deployer.domain.requests import cities_asked
from deployer.domain.rules import personal, trip_points
from deployer.domain.scoring import overtime_allowance
from deployer.domain.soft_rules import limit_7_days
from deployer.domain.staff import StaffMember
from deployer.solver.candidates import Candidates

FIRST_COLUMNS = 30
"""Columns per shift in the first programme: its cheapest groups (on a Games demo of 4,000 staff
the first programme is then within 0.2 % of the optimum, its bound proved by the duals)."""
ENTERING = 2
"""Columns per shift added in a round of column generation: its most negative reduced costs."""
CLOSE_ENOUGH = 5e-3
"""Column generation stops when the proved bound is within this share of the programme's value."""

GroupKey = tuple[str, bool, tuple[tuple[str, int], ...]]
Span = tuple[str, int, int]
"""A window of a limit: what it measures ("minutes" or "days"), its first day, its length."""


@dataclass(frozen=True)
class TransportPlan:
    """The programme's optimum: a bound in points and how many people each group sends where."""

    bound: float
    """Lower bound on any roster's objective, in points."""
    group_of: dict[str, int]
    """Group index by service number (people who can fill no line are in none)."""
    flow: dict[int, dict[int, float]]
    """People planned per shift index, by group."""

    @property
    def groups(self) -> int:
        """How many groups there are (with one, the plan tells no one apart)."""
        return len(set(self.group_of.values()))


def transport_plan(problem: RosterProblem, cands: Candidates, seconds: float) -> TransportPlan | None:
    """Solve the transport programme within ``seconds``: first its plan, then its bound; None when
    it has no demand or no time for the plan (the bound is weaker when none is left for it)."""
    deadline = time.perf_counter() + seconds
    shifts = [i for i, s in enumerate(cands.shifts) if s.demand]
    if not shifts or not problem.staff:
        return None
    programme = _Programme(problem, cands, shifts)
    proved = programme.solve(deadline)
    if proved is None:
        return None
    flow = programme.flow()
    # Until the rebated programme is solved, take the most the rebate could save off the bound.
    bound = proved - programme.most_rebate()
    programme.take_rebate()
    rebated = programme.solve(deadline)
    return TransportPlan(bound if rebated is None else max(bound, rebated), programme.group_of, flow)


class _Programme:
    """The linear programme, its columns added as they are priced in."""

    def __init__(self, problem: RosterProblem, cands: Candidates, shifts: list[int]) -> None:
        self.problem, self.cands, self.shifts = problem, cands, shifts
        self.days = len(problem.operation.days)
        self._group(problem)
        self.per_day = _shifts_per_day(problem, cands, shifts)
        self.cost = self._costs()
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        self.columns: dict[tuple[int, int], pywraplp.Variable] = {}
        self._rows()

    # -- groups and prices -------------------------------------------------------------------

    def _group(self, problem: RosterProblem) -> None:
        """The groups, their members and how many of them are free on each day."""
        wanted = cities_asked(problem.requests)
        groups: dict[GroupKey, list[StaffMember]] = defaultdict(list)
        kinds = range(len(self.cands.kinds))
        for person in problem.staff:
            if not any(self.cands.standing(person, k).ok for k in kinds):
                continue  # fills no line: counted in a group, they would stand in for colleagues
            key = (person.home_station, person.limits.can_deploy_away, wanted.get(person.service_number, ()))
            groups[key].append(person)
        self.keys = list(groups)
        self.members = list(groups.values())
        self.group_of = {p.service_number: g for g, people in enumerate(self.members) for p in people}
        first = problem.operation.first_day
        self.available = np.array(
            [[len(people)] * self.days for people in self.members], dtype=float
        ).reshape(len(self.members), self.days)
        for g, people in enumerate(self.members):
            for person in people:
                for day in self.cands.absent(person):
                    if 0 <= (d := (day - first).days) < self.days:
                        self.available[g, d] -= 1

    def _costs(self) -> np.ndarray:
        """Price of one member of each group working each shift; infinite where none can.

        A lodged shift carries its night (shared by the ``per_day`` shifts one can work in a day)
        and a share of its deployment's extra night and trip home: there are at least
        (lodged shifts) / (``longest`` * ``per_day``) deployments. One that starts on
        the first day may be a day longer (its travel day falls before the roster), so the bound
        takes off ``self.rebate`` on first-day shifts: at least (lodged shifts - first-day
        shifts) / ``longest`` deployments. The plan is priced without it, or it would send
        people away for the first day alone.
        """
        problem, cands, w = self.problem, self.cands, self.problem.weights
        longest = longest_deployment(problem, self.days)
        column = {i: n for n, i in enumerate(self.shifts)}
        by_site: dict[str, list[int]] = defaultdict(list)
        for i in self.shifts:
            by_site[cands.shifts[i].site].append(i)
        first_day = np.array([cands.day_of[i] == 0 for i in self.shifts], dtype=float)
        cost = np.full((len(self.members), len(self.shifts)), np.inf)
        self.rebate = np.zeros_like(cost)
        kinds = len(cands.kinds)
        for g, ((home, _, cities), people) in enumerate(zip(self.keys, self.members, strict=True)):
            qualified = {k for k in range(kinds) if any(cands.standing(p, k).ok for p in people)}
            for site, indices in by_site.items():
                reach = cands.reach_of(people[0], site)
                if reach is None:
                    continue
                cols = [column[i] for i in indices if qualified.intersection(cands.kind_of[i])]
                own = [cands.costs(self.shifts[c], reach) for c in cols]
                price = np.array([f * w.fatigue + t * w.travel_per_10_km for f, t in own], dtype=float)
                city = problem.travel.locations[site].city
                price += w.request * sum(weight for wanted, weight in cities if wanted != city)
                if reach.lodged:
                    overhead = (
                        w.lodging_night + trip_points(problem.travel, home, reach.base) * w.travel_per_10_km
                    )
                    price += (w.lodging_night + overhead / longest) / self.per_day
                    self.rebate[g, cols] = overhead / longest * first_day[cols]
                cost[g, cols] = price
        return cost

    # -- rows ----------------------------------------------------------------------------------

    def _rows(self) -> None:
        problem, cands, solver, w = self.problem, self.cands, self.solver, self.problem.weights
        infinity = solver.infinity()
        self.fixed = 0.0
        self.cover = []
        needs = []
        holders = [sum(1 for p in problem.staff if cands.standing(p, k).ok) for k in range(len(cands.kinds))]
        for i in self.shifts:
            need = 0
            row = solver.Constraint(0, infinity)
            for j, line in enumerate(cands.shifts[i].demand):
                price = w.shortfall(line)
                short = min(line.count, max(0, line.count - holders[cands.kind_of[i][j]]))
                self.fixed += short * price
                need += line.count - short
                if line.count > short:
                    unfilled = solver.NumVar(0, line.count - short, "")
                    solver.Objective().SetCoefficient(unfilled, price)
                    row.SetCoefficient(unfilled, 1)
            row.SetLb(need)
            self.cover.append(row)
            needs.append(need)
        self.needs = np.array(needs, dtype=float)
        # No more of a group on a shift than it has people that day, nor than the shift needs.
        self.upper = np.minimum(
            self.per_day * self.available[:, [cands.day_of[i] for i in self.shifts]], self.needs[None, :]
        )
        groups = range(len(self.members))
        self.daily = [
            [solver.Constraint(-infinity, self.per_day * self.available[g, d]) for d in range(self.days)]
            for g in groups
        ]
        self.overtime = []
        if w.overtime_per_hour:
            for g in groups:
                allowance = sum(
                    overtime_allowance(p.limits.contracted_minutes_per_week, self.days)
                    for p in self.members[g]
                )
                extra = solver.NumVar(0, infinity, "")
                solver.Objective().SetCoefficient(extra, w.overtime_per_hour / 60)
                row = solver.Constraint(-infinity, allowance)
                row.SetCoefficient(extra, -1)
                self.overtime.append(row)
        self.windows = self._window_rows()

    def _window_rows(self) -> list[dict[Span, pywraplp.Constraint]]:
        """Per group, the rows of the limits over a window of days that could bind: minutes in 7
        and 14 days, and (one shift a day) days worked in a row; per shift what it puts in each
        window (``self.touches``)."""
        problem, cands = self.problem, self.cands
        policy = problem.operation.policy
        longest_shift = max(cands.length[i] for i in self.shifts)
        spill = any(len(cands.day_minutes[i]) > 1 for i in self.shifts)
        in_a_row = _most_in_a_row(problem, self.days)
        limits: list[tuple[str, int, Callable[[StaffMember], int], int]] = []
        for rule, window in (("hours_per_7_days", 7), ("hours_per_14_days", 14)):
            if not policy.is_soft(rule):
                each = (
                    (lambda p: limit_7_days(problem.operation, p))
                    if window == 7
                    else (lambda p: policy.max_minutes_per_14_days)
                )
                # The days whose shifts reach into a window, less a day off after each run.
                touching = window + spill
                worked = touching - touching // (in_a_row + 1)
                limits.append(("minutes", window, each, worked * self.per_day * longest_shift))
        if self.per_day == 1 and not policy.is_soft("consecutive_days") and policy.max_consecutive_days:
            run = policy.max_consecutive_days + 1

            limits.append(("days", run, lambda p: _days_in_run(policy, p, run), run))
        rows: list[dict[Span, pywraplp.Constraint]] = [{} for _ in self.members]
        spans = set()
        for measure, window, each, most in limits:
            for g, people in enumerate(self.members):
                caps = [each(p) for p in people]
                if most <= min(caps):
                    continue  # no one can go over the limit in any window
                for first in range(max(1, self.days - window + 1)):
                    span = (measure, first, window)
                    rows[g][span] = self.solver.Constraint(-self.solver.infinity(), sum(caps))
                    spans.add(span)
        self.touches = [
            [(span, amount) for span in spans if (amount := self._share(i, span))] for i in self.shifts
        ]
        return rows

    def _share(self, i: int, span: Span) -> int:
        """What shift ``i`` counts in a window: its minutes on the window's days, or one day."""
        measure, first, window = span
        if measure == "days":
            return int(first <= self.cands.day_of[i] < first + window)
        return sum(m for day, m in self.cands.day_minutes[i] if first <= day < first + window)

    # -- columns -------------------------------------------------------------------------------

    def _add(self, g: int, n: int) -> None:
        """The column of group ``g`` on the ``n``-th shift, in every row it belongs to."""
        i = self.shifts[n]
        cands = self.cands
        d = cands.day_of[i]
        x = self.solver.NumVar(0, float(self.upper[g, n]), "")
        self.solver.Objective().SetCoefficient(x, float(self.cost[g, n]))
        self.cover[n].SetCoefficient(x, 1)
        self.daily[g][d].SetCoefficient(x, 1)
        if self.overtime:
            self.overtime[g].SetCoefficient(x, cands.length[i])
        windows = self.windows[g]
        if windows:
            for span, minutes in self.touches[n]:
                if (row := windows.get(span)) is not None:
                    row.SetCoefficient(x, minutes)
        self.columns[(g, n)] = x

    def solve(self, deadline: float) -> float | None:
        """Column generation until the duals prove the programme's value within ``CLOSE_ENOUGH``
        or the deadline; the best bound proved (None when not even the first programme solved).

        Any duals prove a bound (Lagrangian relaxation of the rows): the programme's value plus,
        for each column left out, its upper bound times its reduced cost where that is negative.
        At the optimum none is negative and the two agree.
        """
        finite = np.isfinite(self.cost)
        if not self.columns:
            cheapest = np.argsort(self.cost, axis=0)[:FIRST_COLUMNS]
            for n in range(len(self.shifts)):
                for g in cheapest[:, n]:
                    if finite[g, n]:
                        self._add(int(g), n)
            self.solver.Objective().SetMinimization()
        best: float | None = None
        while (left := deadline - time.perf_counter()) > 0:
            self.solver.SetTimeLimit(int(left * 1000))
            if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
                break
            priced = np.where(finite, self._reduced_costs(), 0.0)
            for g, n in self.columns:
                priced[g, n] = 0.0
            missing = float(np.sum(np.minimum(priced, 0.0) * self.upper))
            best = self.value() + missing if best is None else max(best, self.value() + missing)
            if self.value() - best <= CLOSE_ENOUGH * abs(self.value()):
                break
            ranked = np.argsort(priced, axis=0)[:ENTERING]
            for n in range(len(self.shifts)):
                for g in ranked[:, n]:
                    if priced[g, n] < 0:
                        self._add(int(g), n)
        return best

    def most_rebate(self) -> float:
        """The most the first-day rebate can take off the programme's optimum: every shift filled
        by its best rebate, no more than it needs when a surplus costs more than its rebate saves
        (else every column at its upper bound)."""
        finite = np.isfinite(self.cost)
        if np.all(self.cost[finite] >= self.rebate[finite]):
            return float(np.sum(self.needs * self.rebate.max(axis=0, initial=0.0)))
        return float(np.sum(self.upper * self.rebate))

    def take_rebate(self) -> None:
        """Price first-day lodged shifts with the rebate (for the bound; see ``_costs``)."""
        self.cost = self.cost - self.rebate
        objective = self.solver.Objective()
        for (g, n), x in self.columns.items():
            if self.rebate[g, n]:
                objective.SetCoefficient(x, float(self.cost[g, n]))

    def _reduced_costs(self) -> np.ndarray:
        """Each column's cost less the duals of its rows (negative: it would lower the optimum)."""
        cands = self.cands
        cover = np.array([row.dual_value() for row in self.cover])
        daily = np.array([[row.dual_value() for row in rows] for rows in self.daily]).reshape(
            len(self.members), self.days
        )
        day_of = np.array([cands.day_of[i] for i in self.shifts])
        priced = self.cost - cover[None, :] - daily[:, day_of]
        length = np.array([cands.length[i] for i in self.shifts], dtype=float)
        if self.overtime:
            overtime = np.array([row.dual_value() for row in self.overtime])
            priced -= overtime[:, None] * length[None, :]
        for measure in ("minutes", "days"):
            by_day = np.zeros((len(self.members), self.days))
            for g, rows in enumerate(self.windows):
                for (kind, first, window), row in rows.items():
                    if kind == measure:
                        by_day[g, first : first + window] += row.dual_value()
            if by_day.any():
                priced -= by_day @ self._per_day(measure).T
        return priced

    def _per_day(self, measure: str) -> np.ndarray:
        """What each shift counts on each day of a window: minutes, or one on its first day."""
        spread = np.zeros((len(self.shifts), self.days))
        for n, i in enumerate(self.shifts):
            if measure == "days":
                spread[n, self.cands.day_of[i]] = 1
            for day, minutes in self.cands.day_minutes[i] if measure == "minutes" else ():
                if 0 <= day < self.days:
                    spread[n, day] = minutes
        return spread

    def value(self) -> float:
        return self.fixed + self.solver.Objective().Value()

    def flow(self) -> dict[int, dict[int, float]]:
        out: dict[int, dict[int, float]] = defaultdict(dict)
        for (g, n), x in self.columns.items():
            if (amount := x.solution_value()) > 1e-9:
                out[self.shifts[n]][g] = amount
        return dict(out)


def _shifts_per_day(problem: RosterProblem, cands: Candidates, shifts: list[int]) -> int:
    """The most shifts starting on one day that one person can work, rest between them kept."""
    policy = problem.operation.policy
    rest_soft = policy.is_soft("rest_between_shifts")
    by_day: dict[int, list[int]] = defaultdict(list)
    for i in shifts:
        by_day[cands.day_of[i]].append(i)

    def free_from(i: int) -> int:
        return cands.end_min[i] + (0 if rest_soft else policy.rest_required_after(cands.length[i]))

    most = 1
    for starting in by_day.values():
        # Interval scheduling, each shift taken with its rest: the earliest free first is optimal.
        count, free = 0, None
        for i in sorted(starting, key=free_from):
            if free is None or cands.start_min[i] >= free:
                count, free = count + 1, free_from(i)
        most = max(most, count)
    return most


def _days_in_run(policy: FatiguePolicy, person: StaffMember, run: int) -> int:
    """The most days ``person`` can work in ``run`` days: a day off after each of their runs."""
    most = personal(policy, person, "max_consecutive_days") or run
    return run - run // (most + 1)


def longest_deployment(problem: RosterProblem, days: int) -> int:
    """The most days one deployment can last: the policy's limit, and with a travel day at each
    end counted as days of duty, two fewer than the most days in a row anyone may work."""
    policy = problem.operation.policy
    longest = days
    if not policy.is_soft("deployment_length") and policy.max_deployment_days:
        longest = min(longest, policy.max_deployment_days)
    if not policy.is_soft("travel_days"):
        longest = min(longest, max(1, _most_in_a_row(problem, days) - 2))
    return longest


def _most_in_a_row(problem: RosterProblem, days: int) -> int:
    """The most days in a row anyone may work (``days`` when that rule is soft)."""
    policy = problem.operation.policy
    if policy.is_soft("consecutive_days"):
        return days
    return max((personal(policy, p, "max_consecutive_days") or days) for p in problem.staff)
