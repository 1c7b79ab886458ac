"""Large-neighbourhood search for rosters too big for one CP-SAT model.

Start from a valid roster; repeatedly free a neighbourhood, keep everything else fixed, and let
CP-SAT re-roster that neighbourhood exactly: the people working one city's shifts over a few days
(plus a few others who could work there), three people over four weeks, or one person over the
whole horizon (people who could fill a shift left short). Kinds are drawn by their recent saving
per second (``kind_choice``). A neighbourhood whose new roster costs less replaces the old one.
Each step keeps every rule, so the roster stays valid at every moment and can be stopped.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Assignment
from deployer.domain.scoring import fairness_loads, fairness_units
from deployer.domain.staff import StaffMember
from deployer.solver.candidates import Candidate, Candidates
from deployer.solver.kind_choice import KindChooser
from deployer.solver.model import RosterModel

KINDS = ("city_days", "people", "alone")
STEP_SECONDS = {"people": 1.0, "alone": 0.5}
"""Time limits of the kinds that settle quickly: a few people's weeks, one person's horizon."""


@dataclass(frozen=True)
class Neighbourhood:
    """The shifts and people a step may change."""

    shifts: frozenset[int]
    people: tuple[StaffMember, ...]


class LargeNeighbourhoodSearch:
    """Improves a roster step by step; see the module docstring."""

    def __init__(
        self,
        problem: RosterProblem,
        cands: Candidates,
        roster: list[Assignment],
        *,
        seed: int = 0,
        slots_per_step: int = 250,
        step_seconds: float = 4.0,
        workers: int = 2,
    ) -> None:
        self.problem = problem
        self.cands = cands
        self.roster = list(roster)
        self.rng = random.Random(seed)
        self.slots_per_step = slots_per_step
        self.step_seconds = step_seconds
        self.workers = workers
        self.people = {p.service_number: p for p in problem.staff}
        locations = problem.travel.locations
        self.sites_by_city: dict[str, list[str]] = defaultdict(list)
        for site in problem.operation.sites:
            self.sites_by_city[locations[site].city or site].append(site)
        self.chooser = KindChooser(KINDS)
        self._shift_loads: dict[int, tuple[int, int, int]] = {}
        """Fairness loads by shift index, read as steps need them."""
        self._loads_of: list[Assignment] | None = None
        self._loads: dict[str, list[int]] = {}
        """Fairness loads by person in ``_loads_of`` (the roster they were summed from)."""
        self.steps = self.improvements = 0
        self.build_seconds = 0.0
        """How long the last step took to build its model."""
        self.gain = 0.0
        """What the last improving step saved, in points: exactly what the whole roster saved."""
        self.repaired = False
        """Whether the last improving step mended a neighbourhood that broke a rule (its saving is
        then unknown: the broken roster had no price)."""

    def run(
        self, deadline: float, stop: threading.Event | None, on_improve: Callable[[list[Assignment]], None]
    ) -> None:
        """Step until ``deadline`` (perf_counter seconds) or ``stop``."""
        # A step builds its model before searching: none starts that could not end in time.
        while time.perf_counter() + self.build_seconds < deadline - 0.5 and not (
            stop is not None and stop.is_set()
        ):
            began = time.perf_counter()
            kind = self.chooser.choose(self.rng)
            limit = min(self.step_seconds, STEP_SECONDS.get(kind, math.inf))
            improved = self.step(self.choose(kind), limit, stop, deadline)
            self.chooser.record(kind, self.gain if improved else 0.0, time.perf_counter() - began)
            if improved:
                on_improve(self.roster)

    def around(self, person: StaffMember, others: int, width: int, day: int | None = None) -> Neighbourhood:
        """``person`` and ``others`` random people who share a city with them, over a random window
        of ``width`` days (holding day number ``day`` if given): enough freedom to reshape their
        runs, days off and hours."""
        days = self.problem.operation.days
        width = min(width, len(days))
        first = self.rng.randrange(0, len(days) - width + 1)
        if day is not None:
            first = min(max(0, day - self.rng.randrange(width)), len(days) - width)
        window = set(days[first : first + width])
        shifts = frozenset(i for i, shift in enumerate(self.cands.shifts) if shift.day in window)
        mates = [
            p
            for p in self.problem.staff
            if p.service_number != person.service_number and p.home_station == person.home_station
        ]
        return Neighbourhood(shifts, (person, *self.rng.sample(mates, min(others, len(mates)))))

    def choose(self, kind: str) -> Neighbourhood:
        """A neighbourhood of ``kind``: ``city_days``, one city's shifts over a few days (cover moved
        between people); ``people``, three people over four weeks, or ``alone``, one person over the
        whole horizon, who could fill a shift left short when there is one."""
        if kind == "city_days":
            return self._city_days()
        others, width = (0, len(self.problem.operation.days)) if kind == "alone" else (2, 28)
        short = self._short_line()
        able = self.cands.people_for(*short) if short is not None else []
        if short is None or not able:
            return self.around(self.rng.choice(self.problem.staff), others, width)
        return self.around(self.people[self.rng.choice(able)], others, width, self.cands.day_of[short[0]])

    def _short_line(self) -> tuple[int, int] | None:
        """A random (shift index, line) the roster leaves short, or None."""
        filled: dict[tuple[str, int], int] = defaultdict(int)
        for a in self.roster:
            filled[(a.shift_key, a.line)] += 1
        short = [
            (i, j)
            for i, shift in enumerate(self.problem.operation.shifts)
            for j, line in enumerate(shift.demand)
            if filled[(shift.key, j)] < line.count
        ]
        return self.rng.choice(short) if short else None

    def _city_days(self) -> Neighbourhood:
        """One city, a few consecutive days, the sites in a random order until enough demand."""
        op = self.problem.operation
        city = self.rng.choice(sorted(self.sites_by_city))
        sites = list(self.sites_by_city[city])
        self.rng.shuffle(sites)
        days = op.days
        width = max(2, min(len(days), 3))
        first = self.rng.randrange(0, max(1, len(days) - width + 1))
        window = set(days[first : first + width])
        chosen: set[int] = set()
        slots = 0
        for site in sites:
            for i, shift in enumerate(self.cands.shifts):
                if shift.site == site and shift.day in window:
                    chosen.add(i)
                    slots += shift.required
            if slots >= self.slots_per_step:
                break
        keys = {self.cands.shifts[i].key for i in chosen}
        working = {a.service_number for a in self.roster if a.shift_key in keys}
        others = [
            p for p in self.problem.staff if p.service_number not in working and self._could_work(p, chosen)
        ]
        self.rng.shuffle(others)
        # Commuters first: taking over from people lodged or driving far is where savings lie.
        site = self.cands.shifts[next(iter(chosen))].site
        others.sort(key=lambda p: self.cands.reach_of(p, site).lodged)  # type: ignore[union-attr]
        extra = others[: max(10, slots // 4)]
        people = tuple(self.people[n] for n in sorted(working)) + tuple(extra)
        return Neighbourhood(frozenset(chosen), people)

    def _heaviest(self, left_out: set[str]) -> dict[tuple[str, int], int]:
        """The heaviest fairness loads (by rank and load) of the people other than ``left_out``."""
        if not any(fairness_units(self.problem)):
            return {}
        heaviest: dict[tuple[str, int], int] = defaultdict(int)
        for number, own in self._person_loads().items():
            if number not in left_out:
                rank = self.people[number].rank
                for k in range(3):
                    heaviest[(rank, k)] = max(heaviest[(rank, k)], own[k])
        return heaviest

    def _person_loads(self) -> dict[str, list[int]]:
        """Each person's fairness loads in the roster, summed again only when the roster changed
        (steps outnumber improvements, and a Games roster holds up to 95,000 assignments)."""
        if self._loads_of is not self.roster:
            loads: dict[str, list[int]] = {}
            for a in self.roster:
                i = self.cands.index[a.shift_key]
                if (shift_loads := self._shift_loads.get(i)) is None:
                    shift_loads = self._shift_loads[i] = fairness_loads(self.problem, self.cands.shifts[i])
                own = loads.setdefault(a.service_number, [0, 0, 0])
                for k in range(3):
                    own[k] += shift_loads[k]
            self._loads_of, self._loads = self.roster, loads
        return self._loads

    def _could_work(self, person: StaffMember, shifts: set[int]) -> bool:
        i = next(iter(shifts))
        return self.cands.reach_of(person, self.cands.shifts[i].site) is not None

    def step(
        self, hood: Neighbourhood, seconds: float, stop: threading.Event | None, deadline: float = math.inf
    ) -> bool:
        """Re-roster one neighbourhood, searching ``seconds`` at most and not past ``deadline``
        (perf_counter seconds); True when the roster improved."""
        began = time.perf_counter()
        self.steps += 1
        free = {p.service_number for p in hood.people}
        inside = [
            a
            for a in self.roster
            if a.service_number in free and self.cands.index[a.shift_key] in hood.shifts
        ]
        outside = [
            a
            for a in self.roster
            if not (a.service_number in free and self.cands.index[a.shift_key] in hood.shifts)
        ]
        context: dict[str, list[Candidate]] = defaultdict(list)
        covered: dict[tuple[int, int], int] = defaultdict(int)
        for a in outside:
            i = self.cands.index[a.shift_key]
            if a.service_number in free:
                c = self.cands.candidate(self.people[a.service_number], i, a.line)
                if c is not None:
                    context[a.service_number].append(c)
            elif i in hood.shifts:
                covered[(i, a.line)] += 1
        sub_cands = Candidates(self.problem, people=hood.people, shifts=hood.shifts, base=self.cands)
        sub_problem = replace(
            self.problem,
            published=tuple(
                a
                for a in self.problem.published
                if a.service_number in free and self.cands.index.get(a.shift_key) in hood.shifts
            ),
        )
        model = RosterModel(
            sub_problem,
            sub_cands,
            scope=hood.shifts,
            context=context,
            covered=covered,
            heaviest_elsewhere=self._heaviest(free),
        )
        before = model.hint(inside)
        if before is None:  # the neighbourhood breaks a rule now (a repair): any roster of it is better
            before = math.inf
        solver = cp_model.CpSolver()
        self.build_seconds = time.perf_counter() - began
        solver.parameters.max_time_in_seconds = max(0.1, min(seconds, deadline - time.perf_counter()))
        solver.parameters.num_workers = self.workers
        solver.parameters.cp_model_probing_level = 0
        # A person's hours against their runs and days off: the LP of the second level finds
        # such rosters in a tenth of a second where the default level can take many seconds.
        solver.parameters.linearization_level = 2
        solver.parameters.random_seed = self.rng.randrange(1 << 30)
        status = solver.solve(model.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        after = model.roster_cost(solver)
        if after >= before:
            return False
        shifts = self.cands.shifts
        chosen = [
            Assignment(
                shifts[i].key,
                sn,
                line,
                pinned=any(
                    a.pinned and a.service_number == sn and a.shift_key == shifts[i].key for a in inside
                ),
            )
            for (sn, i, line), var in model.x.items()
            if solver.boolean_value(var)
        ]
        self.roster = outside + chosen
        self.improvements += 1
        self.repaired = before == math.inf
        self.gain = 0.0 if self.repaired else (before - after) / 60
        return True
