"""Large-neighbourhood search over one built CP-SAT model, for rosters that fit in one model.

After a first solution, CP-SAT alone on a whole roster model improves slowly: with two workers
only one of them searches the whole model, and rostering rules (runs, days off, total hours)
make one person's week depend on their whole horizon. Each step here instead takes the model's
variables fixed to the best roster so far, frees a neighbourhood (and the auxiliary variables of
the people and shifts in it), adds only the constraints built for those people and shifts
(``RosterModel.parts``) and the shared ones, and lets a one-worker CP-SAT solve re-optimise it,
starting from the best roster (a hint).

Up to five kinds of neighbourhood, drawn by what they have been saving per second (``kind_choice``):
- ``people``: a few people over their whole horizon (up to twelve weeks of it): their runs, days
  off and hours reshaped against everyone else's cover;
- ``days``: everyone over a few consecutive days (cover swapped between people), half the
  time around a day with unmet demand;
- ``mixed``: half the people over a few weeks;
- ``short``: people who could fill a shift left short in the best roster, around its day;
- ``weekends``: some of the people over Friday to Monday of a few weekends, where a limit on
  weekends worked couples them: moving someone's weekend from one to another (and a colleague's
  the other way) is one move, which no window of consecutive days holds.

Small steps are cheap (one person's year settles in tens of milliseconds), so each kind starts
small and its size adapts: it grows after a step that was proven optimal without improving
(the neighbourhood holds nothing better: look wider) and shrinks after a step that ran out of
time. One step runs per worker at once; a step's roster is kept when it costs no more than the
best (equal moves let the search drift across plateaus). Every kept roster satisfies the whole
model.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model, cp_model_helper

from deployer.domain.rules import weekend_of
from deployer.solver.kind_choice import KindChooser
from deployer.solver.model import RosterModel

KINDS = ("people", "days", "mixed", "short", "weekends")
START_SIZE = {"people": 1.0, "days": 2.0, "mixed": 3.0, "short": 2.0, "weekends": 2.0}
GROWTH = 1.2
PEOPLE_WINDOW = 12 * 7
"""Days a ``people`` neighbourhood spans at most: a year of a few people is too big a step."""
WEEKEND_PEOPLE = 8.0
"""A ``weekends`` neighbourhood of size s frees s/8 of the people (everyone from 8 on) over
max(2, s/2) weekends."""


@dataclass
class Solution:
    """Every variable's value in one solution of the model, and its objective (sixtieths)."""

    values: list[int]
    objective: float


Improved = Callable[[Solution], None]


class ModelSearch:
    """Improves a solution of ``model`` step by step; see the module docstring."""

    def __init__(
        self,
        model: RosterModel,
        start: Solution,
        *,
        seed: int = 0,
        workers: int = 2,
        step_seconds: float = 1.0,
    ) -> None:
        self.model = model
        self.best = start
        self.rng = random.Random(seed)
        self.workers = max(1, workers)
        self.step_seconds = step_seconds
        cands = model.cands
        self.days = len(model.days)
        self.people = sorted({sn for sn, _, _ in model.x})
        self.variables: dict[tuple[str, int], list[int]] = defaultdict(list)
        """(person, day number) -> indices of that person's assignment variables on that day."""
        for (sn, i, _), var in model.x.items():
            self.variables[(sn, cands.day_of[i])].append(var.index)
        self.unfilled = [(var.index, cands.day_of[i]) for (i, _), var in model.under.items()]
        """Shortfall variables and their day: windows are often put where demand is unmet."""
        able: dict[tuple[int, int], set[str]] = defaultdict(set)
        for sn, i, line in model.x:
            able[(i, line)].add(sn)
        self.fillers = {var.index: sorted(able[key]) for key, var in model.under.items()}
        """Shortfall variable -> the people who could fill that line."""
        proto = model.model.proto
        self.template = cp_model.CpModel()
        """The model's variables, all fixed to the best roster, and its objective, without
        constraints: a step copies it and adds the constraints of what it frees."""
        shared: dict[tuple[int, ...], tuple[int, ...]] = {}
        self.domains = [shared.setdefault(d, d) for d in (tuple(v.domain) for v in proto.variables)]
        """Every variable's domain in the model (equal ones shared), which a step gives back to
        those it frees: read from the model's proto, a third of the time a step took to build."""
        self.template.proto.copy_from(proto)
        self.template.proto.constraints.clear()
        self.template.clear_hints()
        self._keep(start.values, range(len(start.values)))
        is_x = bytearray(len(start.values))
        for var in model.x.values():
            is_x[var.index] = 1
        self.owned: dict[str | int, tuple[list[int], list[int]]] = {}
        """Per person or shift: its auxiliary variables (not assignments, whose days a step
        chooses) and its constraints."""
        for owner, ranges in model.parts.items():
            aux = [i for v0, v1, _, _ in ranges for i in range(v0, v1) if not is_x[i]]
            self.owned[owner] = (aux, [c for _, _, c0, c1 in ranges for c in range(c0, c1)])
        ranges = [r for rs in model.parts.values() for r in rs]
        self.shared_constraints = _outside(len(proto.constraints), [(c0, c1) for _, _, c0, c1 in ranges])
        """Constraints no person or shift owns: every step holds them."""
        self._bundles: dict[str | int | None, cp_model_helper.CpModelProto] = {}
        """Per owner (None: the shared ones), a model holding only its constraints, made on first
        use: a step merges whole bundles into its model in one call each, where copying its
        constraints one by one took 0.15 s a step on Curtois Instance 13 (20,000 of them), a
        fifth of the steps' time, and the other worker waited for it."""
        self.shared_variables = [
            i for i in _outside(len(proto.variables), [(v0, v1) for v0, v1, _, _ in ranges]) if not is_x[i]
        ]
        self.shifts_by_day: dict[int, list[int]] = defaultdict(list)
        for i in model.scope:
            self.shifts_by_day[cands.day_of[i]].append(i)
        self.weekends = weekend_windows(model.days)
        self.chooser = KindChooser([k for k in KINDS if k != "weekends" or model.weekends_limited])
        self.size = dict(START_SIZE)
        self.steps = self.improvements = 0
        self._lock = threading.Lock()
        self._running: set[cp_model.CpSolver] = set()
        self._building = 0.0
        """Seconds the last step took to choose and build its model (on Curtois Instance 21's
        model of 145,000 assignments, a step begun just before the deadline ended 0.5 s past it)."""

    def run(self, deadline: float, stop: threading.Event | None, on_improve: Improved) -> Solution:
        """Step until ``deadline`` (perf_counter seconds) or ``stop``; returns the best solution."""
        finished = threading.Event()

        def watch() -> None:
            while stop is not None and not finished.wait(0.05):
                if stop.is_set():
                    with self._lock:
                        for solver in self._running:
                            solver.stop_search()

        def work(seed: int) -> None:
            rng = random.Random(seed)
            sub = cp_model.CpModel()  # made once: on a year-long roster making one took 0.1 s
            # A step is not begun that would end past the deadline just building its model.
            while time.perf_counter() + self._building < deadline - 0.1 and not (
                stop is not None and stop.is_set()
            ):
                self._step(sub, rng, deadline, on_improve)

        threads = [threading.Thread(target=watch, daemon=True)]
        threads += [
            threading.Thread(target=work, args=(self.rng.randrange(1 << 30),), daemon=True)
            for _ in range(self.workers)
        ]
        for thread in threads[1:]:
            thread.start()
        threads[0].start()
        for thread in threads[1:]:
            thread.join()
        finished.set()
        threads[0].join()
        return self.best

    def _step(self, sub: cp_model.CpModel, rng: random.Random, deadline: float, on_improve: Improved) -> None:
        began = time.perf_counter()
        with self._lock:
            kind = self.chooser.choose(rng)
            people, days = self._neighbourhood(kind, rng)
            self._sub_model(sub, self.best, people, days)
            self._building = time.perf_counter() - began
            solver = cp_model.CpSolver()
            solver.parameters.max_time_in_seconds = max(
                0.05, min(self.step_seconds, deadline - time.perf_counter())
            )
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = rng.randrange(1 << 30)
            # The LP of the second linearisation level prunes these small models far better
            # (one person's hours against their runs): steps were 3-6 times faster with it.
            solver.parameters.linearization_level = 2
            self._running.add(solver)
        status = solver.solve(sub)
        with self._lock:
            self._running.discard(solver)
            self.steps += 1
            found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            improved = found and solver.objective_value < self.best.objective
            saving = self.best.objective - solver.objective_value if improved else 0.0
            self.chooser.record(kind, saving, time.perf_counter() - began)
            if status != cp_model.OPTIMAL:
                self.size[kind] = max(1.0, self.size[kind] / GROWTH)
            elif not improved:
                self.size[kind] = min(self._largest(kind), self.size[kind] * GROWTH)
            if not found or solver.objective_value > self.best.objective:
                return
            old, new = self.best.values, list(solver.response_proto.solution)
            self.best = Solution(new, solver.objective_value)
            self._keep(new, [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b])
            if improved:
                self.improvements += 1
                on_improve(self.best)

    def _largest(self, kind: str) -> float:
        """A neighbourhood never grows to the whole model (that is CP-SAT's own search)."""
        if kind in ("people", "short"):
            return float(max(1, len(self.people) // 2))
        if kind == "weekends":
            return float(max(WEEKEND_PEOPLE, 2 * len(self.weekends)))
        return float(max(2, self.days // 2))

    def _neighbourhood(self, kind: str, rng: random.Random) -> tuple[set[str], range | list[int]]:
        """The people and the days a step may change."""
        size = round(self.size[kind])
        if kind in ("people", "short"):
            width = min(self.days, PEOPLE_WINDOW)
            if kind == "short" and (short := self._short(rng)) is not None:
                fillers, day = short
                first = min(max(0, day - rng.randrange(width)), self.days - width)
                return set(rng.sample(fillers, min(size, len(fillers)))), range(first, first + width)
            first = rng.randrange(0, self.days - width + 1)
            return set(rng.sample(self.people, min(size, len(self.people)))), range(first, first + width)
        if kind == "weekends":
            return self._weekend_neighbourhood(self.size[kind], rng)
        width = max(1, min(size, self.days))
        first = self._window_start(width, rng)
        if kind == "days":
            return set(self.people), range(first, first + width)
        half = max(1, len(self.people) // 2)
        return set(rng.sample(self.people, half)), range(first, first + width)

    def _weekend_neighbourhood(self, size: float, rng: random.Random) -> tuple[set[str], list[int]]:
        """A share of the people over Friday to Monday of a few weekends (``WEEKEND_PEOPLE``)."""
        chosen = rng.sample(self.weekends, min(len(self.weekends), max(2, round(size) // 2)))
        days = sorted({day for first, last in chosen for day in range(max(0, first), min(self.days, last))})
        count = max(2, round(len(self.people) * min(1.0, size / WEEKEND_PEOPLE)))
        return set(rng.sample(self.people, min(count, len(self.people)))), days

    def _unmet(self) -> list[tuple[int, int]]:
        """(shortfall variable, day) of the lines the best roster leaves short."""
        values = self.best.values
        return [(index, day) for index, day in self.unfilled if values[index] > 0]

    def _short(self, rng: random.Random) -> tuple[list[str], int] | None:
        """The people who could fill a random line left short in the best roster, and its day."""
        short = [(index, day) for index, day in self._unmet() if self.fillers[index]]
        if not short:
            return None
        index, day = rng.choice(short)
        return self.fillers[index], day

    def _window_start(self, width: int, rng: random.Random) -> int:
        """A random window, or half the time one around a day with unmet demand in the best roster."""
        short = self._unmet()
        if short and rng.random() < 0.5:
            _, centre = rng.choice(short)
            return min(max(0, centre - rng.randrange(width)), self.days - width)
        return rng.randrange(0, self.days - width + 1)

    def _sub_model(
        self, sub: cp_model.CpModel, base: Solution, people: set[str], days: range | list[int]
    ) -> None:
        """Make ``sub`` the model of a neighbourhood, hinted with ``base``: every variable fixed as
        in the best roster (a copy of ``template``) except the people's assignments on ``days``,
        their other variables and those of the shifts on those days; and only the
        constraints over what is free, their own and the shared ones. Copying and presolving the
        whole model took most of a step on large models; so did hinting every variable (the free
        ones alone now) on Curtois Instance 23 (380,000)."""
        sub.proto.copy_from(self.template.proto)
        variables = sub.proto.variables
        freed = [index for sn in people for day in days for index in self.variables.get((sn, day), ())]
        owners: list[str | int] = [*people, *(i for day in days for i in self.shifts_by_day[day])]
        for owner in owners:
            freed += self.owned.get(owner, ((), ()))[0]
        free = [*freed, *self.shared_variables]
        domains = self.domains
        for index in free:
            domain = variables[index].domain
            domain.clear()
            domain.extend(domains[index])
        for bundle in [None, *owners]:
            sub.proto.merge_from(self._bundle(bundle))
        hint = sub.proto.solution_hint
        hint.vars.extend(free)
        hint.values.extend([base.values[index] for index in free])

    def _bundle(self, owner: str | int | None) -> cp_model_helper.CpModelProto:
        """The constraints of ``owner`` (None: the shared ones) alone, in a model of their own (a
        bare proto: a ``CpModel`` takes a fifth of a millisecond to make)."""
        bundle = self._bundles.get(owner)
        if bundle is None:
            bundle = self._bundles[owner] = cp_model_helper.CpModelProto()
            indices = self.shared_constraints if owner is None else self.owned.get(owner, ((), ()))[1]
            original = self.model.model.proto.constraints
            for index in indices:
                bundle.constraints.add().copy_from(original[index])
        return bundle

    def _keep(self, values: list[int], indices: Iterable[int]) -> None:
        """Fix ``indices`` in the template to ``values`` (the best roster's)."""
        variables = self.template.proto.variables
        for index in indices:
            domain = variables[index].domain
            domain.clear()
            domain.extend((values[index], values[index]))


def weekend_windows(days: list[date]) -> list[tuple[int, int]]:
    """Each weekend touching ``days`` as its Friday to Monday in day numbers [first, last) from
    ``days[0]`` (reaching outside the horizon where the weekend does; clipped where it is used)."""
    saturdays = sorted({sat for day in days if (sat := weekend_of(day)) is not None})
    return [(k - 1, k + 3) for k in ((sat - days[0]).days for sat in saturdays)]


def _outside(size: int, ranges: list[tuple[int, int]]) -> list[int]:
    """The indices below ``size`` in none of ``ranges`` (half-open)."""
    inside = bytearray(size)
    for first, end in ranges:
        inside[first:end] = b"\x01" * (end - first)
    return [index for index in range(size) if not inside[index]]
