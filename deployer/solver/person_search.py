"""Best responses, one person at a time: each person re-rostered over the whole horizon against
everyone else's cover.

With everyone else fixed, what one more or one fewer person on a demand line costs is known
exactly (a shortfall saved, or a surplus paid), so one person's best roster is a small CP-SAT
model: their own rules over the whole horizon, and per line they could fill a price that depends
only on how many others fill it. Each person's model is built once; before each solve only those
prices change. It is the pricing step of column generation with the cover's actual state in
place of its duals, and sweeping through the staff again and again is coordinate descent: it
reshapes a person's runs, days off and hours over a whole year in one step, where neighbourhoods
of a few weeks cannot.

The objective of a step is exact for terms that belong to one person or one line; the heaviest
load of a rank (fairness) does not, so ``usable`` keeps this search to problems without it.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from deployer.domain.problem import RosterProblem
from deployer.domain.requests import StaffRequest
from deployer.domain.roster import Assignment
from deployer.domain.scoring import fairness_units
from deployer.domain.validator import ProblemIndex, hard_breaches, validate_change
from deployer.solver.candidates import Candidates
from deployer.solver.model import RosterModel
from deployer.solver.run_path import RunPath

Line = tuple[int, int]
"""A demand line: (shift index, line position)."""
MENDING_WALKS = 3
"""Walks a mending response tries (its counted rules' prices carry on from one to the next)
before the person's model answers: a first walk from prices at zero often keeps no minimum."""
MODEL_SHARE = 0.1
"""Most of the workers' time in a run of responses that the models of people with a shortest path
may take (they answer where the path could not): on Curtois Instance 23 (100 staff over a year)
34 such solves took 27 of the 60 worker-seconds of a run's first 30 s and 4 of them saved, while
483 walks took the rest and 382 saved."""


def usable(problem: RosterProblem, hard_coverage: bool) -> bool:
    """Whether one person's model prices their roster exactly (no global fairness term)."""
    return not hard_coverage and not any(fairness_units(problem))


@dataclass
class PersonModel:
    """One person's model without cover: their rules and their own objective terms."""

    model: cp_model.CpModel
    x: list[tuple[int, Line]]
    """Assignment variables (proto index) and their line."""
    personal: dict[int, int]
    """The person's own objective: variable (proto index) -> coefficient (sixtieths)."""
    values: list[int] | None = None
    """Every variable's value in the person's current roster: a complete hint."""

    def solve(
        self, seconds: float, seed: int = 0, callback: cp_model.CpSolverSolutionCallback | None = None
    ) -> tuple[Any, cp_model.CpSolver]:
        """Solve at the objective last set, from the current roster (a complete hint) when known;
        the status and the solver (its solution and bound)."""
        self.model.clear_hints()
        if self.values is not None:
            self.model.proto.solution_hint.vars.extend(list(range(len(self.values))))
            self.model.proto.solution_hint.values.extend(self.values)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = 1
        # One person's hours against their runs and days off: the LP of the second level finds
        # such rosters in a tenth of a second where the default level can take many seconds.
        solver.parameters.linearization_level = 2
        solver.parameters.symmetry_level = 0
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.random_seed = seed
        return solver.solve(self.model, callback), solver

    def own(self, values: Sequence[int]) -> float:
        """The person's own objective (sixtieths) in a solution of their model."""
        return float(sum(coeff * values[var] for var, coeff in self.personal.items()))


class PersonSearch:
    """Improves a valid roster by best responses; see the module docstring."""

    def __init__(
        self,
        problem: RosterProblem,
        cands: Candidates,
        roster: list[Assignment],
        *,
        seed: int = 0,
        workers: int = 2,
        solve_seconds: float = 1.0,
    ) -> None:
        self.problem = problem
        self.index = ProblemIndex(problem)
        """What checking a personal roster looks up, indexed once."""
        self.cands = cands
        self.rng = random.Random(seed)
        self.workers = max(1, workers)
        self.solve_seconds = solve_seconds
        self.count: dict[Line, int] = {}
        self.under_cost: dict[Line, int] = {}
        self.over_cost: dict[Line, int | None] = {}
        for i, shift in enumerate(problem.operation.shifts):
            for j, line in enumerate(shift.demand):
                self.count[(i, j)] = line.count
                self.under_cost[(i, j)] = 60 * problem.weights.shortfall(line)
                self.over_cost[(i, j)] = None if line.over_cost is None else 60 * line.over_cost
        self.people = {p.service_number: p for p in problem.staff}
        self.requests: dict[str, list[StaffRequest]] = defaultdict(list)
        for request in problem.requests:
            self.requests[request.service_number].append(request)
        self.pinned = {(a.service_number, a.shift_key) for a in problem.published if a.pinned}
        self.mine: dict[str, set[Line]] = defaultdict(set)
        self.filled: dict[Line, int] = defaultdict(int)
        self.models: dict[str, PersonModel] = {}
        self.paths: dict[str, RunPath | None] = {}
        self.priced: dict[str, PersonModel] = {}
        self.missed: set[str] = set()
        """People whose last shortest path found no roster keeping their counted rules, or
        none that saves without proving that none does."""
        self.cost: dict[str, float] = {}
        """Each person's own objective (sixtieths) for their current roster, once known."""
        self.gain = 0.0
        """Points saved so far."""
        self.steps = self.improvements = 0
        self._run_started = time.perf_counter()
        self._model_seconds = 0.0
        """Seconds the models of people with a shortest path took since ``_run_started``."""
        self.settled: set[str] = set()
        """People whose response to the current roster saves nothing: once that is everyone, the
        roster is a local optimum and the search is done."""
        self.load(roster)
        self._lock = threading.Lock()
        self._busy: set[str] = set()
        self._queue: list[str] = []
        self.failed = threading.Event()
        """Set when a worker of ``in_parallel`` raised: the others stop at their next check."""

    def roster(self) -> list[Assignment]:
        """The current roster."""
        return self.assignments(self.mine)

    def assignments(self, lines: Mapping[str, Iterable[Line]]) -> list[Assignment]:
        """The assignments of each person (service number) to their demand lines, pins marked."""
        shifts = self.cands.shifts
        return [
            Assignment(shifts[i].key, sn, j, pinned=(sn, shifts[i].key) in self.pinned)
            for sn, held in lines.items()
            for i, j in sorted(held)
        ]

    def load(self, roster: list[Assignment]) -> None:
        """Search on from ``roster``; people whose shifts it changes are evaluated again."""
        mine: dict[str, set[Line]] = defaultdict(set)
        filled: dict[Line, int] = defaultdict(int)
        for a in roster:
            key = (self.cands.index[a.shift_key], a.line)
            mine[a.service_number].add(key)
            filled[key] += 1
        for number in set(self.mine) | set(mine):
            if self.mine.get(number, set()) != mine.get(number, set()):
                self.cost.pop(number, None)
                if number in self.models:
                    self.models[number].values = None
        self.mine, self.filled = mine, filled
        self.settled.clear()

    def run(
        self,
        deadline: float,
        stop: threading.Event | None,
        on_improve: Callable[[], None],
        patience: float = math.inf,
        worth: float = 0.0,
    ) -> None:
        """Respond person after person (in a random order, again and again) until no one's
        response saves anything, ``deadline`` (perf_counter seconds), ``stop``, or ``patience``
        seconds without saving more than ``worth`` points (where the first roster is already each
        person's best, a sweep through hundreds of people would only cost time; where responses
        only trickle, other searches save faster); ``on_improve`` is called after each saving.
        A response in progress ends within ``solve_seconds``; the models of people with a
        shortest path take at most ``MODEL_SHARE`` of the run's time."""
        last_saving = self._run_started = time.perf_counter()
        gain_then = self.gain
        self._model_seconds = 0.0

        def work() -> None:
            nonlocal last_saving, gain_then
            while (
                time.perf_counter() < min(deadline - 0.05, last_saving + patience)
                and not (stop is not None and stop.is_set())
                and len(self.settled) < len(self.people)
                and not self.failed.is_set()
            ):
                number = self._next()
                try:
                    if self.respond(number, deadline):
                        on_improve()
                        if self.gain - gain_then > worth:
                            last_saving, gain_then = time.perf_counter(), self.gain
                finally:
                    with self._lock:
                        self._busy.discard(number)

        self.in_parallel(work, len(self.people))

    def mend(self, numbers: Iterable[str], deadline: float, stop: threading.Event | None = None) -> None:
        """Re-roster each of ``numbers`` (people whose roster breaks one of their rules, such as a
        minimum of hours) by their best response, the workers at once, until ``deadline``
        (perf_counter seconds) or ``stop``."""
        queue = list(numbers)

        def work() -> None:
            while (
                time.perf_counter() < deadline
                and not (stop is not None and stop.is_set())
                and not self.failed.is_set()
            ):
                with self._lock:
                    if not queue:
                        return
                    number = queue.pop(0)
                self.respond(number, deadline, mend=True)

        self.in_parallel(work, len(queue))

    def in_parallel(self, work: Callable[[], None], jobs: int) -> None:
        """``work`` on as many threads as there are workers (at most ``jobs``); an error in one
        stops the others (they check ``failed``) and is raised here."""
        failures: list[BaseException] = []
        self.failed.clear()

        def guarded() -> None:
            try:
                work()
            except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
                failures.append(error)
                self.failed.set()

        count = max(1, min(self.workers, jobs))
        threads = [threading.Thread(target=guarded, daemon=True) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]

    def _next(self) -> str:
        """The next person no other worker is re-rostering (a new random order after each sweep)."""
        with self._lock:
            if not any(number not in self._busy for number in self._queue):
                self._queue = [number for number in self.people if number not in self._busy]
                self.rng.shuffle(self._queue)
            number = next(n for n in self._queue if n not in self._busy)
            self._queue.remove(number)
            self._busy.add(number)
            return number

    def respond(self, number: str, deadline: float = float("inf"), mend: bool = False) -> bool:
        """Re-roster one person against everyone else's current cover; True when it saved, or
        with ``mend`` (their roster breaks one of their rules, so it has no cost to compare)
        whenever a roster keeping their rules was found.

        The shortest path over the days answers first where it can (see ``run_path``); the
        person's CP-SAT model answers where it cannot, or cannot prove its answer the best."""
        pm = self.priced_of(number)
        path = self.path_of(number, pm)
        if path is None:
            pm = self.model_of(number)
        if mend:
            self.cost[number] = math.inf
        elif number not in self.cost:
            self.cost[number] = self.own_cost(pm, self.mine[number], path is not None)
        with self._lock:
            version = self.improvements
            mine = set(self.mine[number])
            others = {line: self.filled[line] - (line in mine) for _, line in pm.x}
        coeffs, closed = self._prices(pm, others)
        found, saves = None, False
        for _ in range(MENDING_WALKS if mend and path is not None else 1):
            found = self._walk(pm, path, coeffs, closed, mine) if path is not None else None
            if found is not None:
                break
        if found is not None:
            with self._lock:
                saves = self.cost[number] - found[1] + self._cover_saving(mine, found[0]) > 0
        answered = saves or (found is not None and found[2])
        if path is not None and not answered and number not in self.missed and not mend:
            # The counted rules' prices did not settle yet (no walk keeps them, or none that
            # saves and no proof that none does); they start from here next time, and only a
            # second miss in a row costs a solve of the model (about a second over a year: on
            # Curtois Instance 23 a solve after every unproven walk that saved nothing took most
            # of the responses' time).
            with self._lock:
                self.missed.add(number)
                self.steps += 1
            return False
        self.missed.discard(number)
        if found is not None:
            new = found[0]
            # A proven answer that saves nothing settles the person; one not proven is taken only
            # when it saves, and any that saves must keep the rules the path does not model.
            if not answered or (saves and not self.keeps_rules(number, new)):
                found = None
        if found is None and path is not None and not mend and self._models_over_share():
            with self._lock:
                self.missed.add(number)  # their model answers next time, when there is time for it
                self.steps += 1
            return False
        if found is None:
            pm = self.model_of(number)  # its assignment variables are those of the priced model
            set_objective(pm.model.proto, coeffs)
            for var, _ in pm.x:
                set_domain(pm.model.proto.variables[var].domain, 0, 0 if var in closed else 1)
            began = time.perf_counter()
            status, solver = pm.solve(
                min(self.solve_seconds, deadline - time.perf_counter()), self.rng.randrange(1 << 30)
            )
            if path is not None:
                with self._lock:
                    self._model_seconds += time.perf_counter() - began
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                with self._lock:
                    self.steps += 1
                return False
            values: list[int] | None = list(solver.response_proto.solution)
            new = {line for var, line in pm.x if values[var]}  # type: ignore[index]
            personal = pm.own(values)  # type: ignore[arg-type]
        else:
            values, (new, personal, _) = None, found
        with self._lock:
            self.steps += 1
            saving = self.cost[number] - personal + self._cover_saving(mine, new)
            if saving <= 0 or not self._allowed(mine, new):
                if version == self.improvements:
                    self.settled.add(number)
                return False
            for line in mine - new:
                self.filled[line] -= 1
            for line in new - mine:
                self.filled[line] += 1
            self.mine[number] = new
            self.cost[number] = personal
            pm.values = values
            if values is None and number in self.models:
                self.models[number].values = None  # the model's hint held the former roster
            self.settled.clear()
            # An unknown former cost (its evaluation failed) makes any saving count as none.
            self.gain += saving / 60 if math.isfinite(saving) else 0.0
            self.improvements += 1
        return True

    def _models_over_share(self) -> bool:
        """Whether the models answering for a shortest path took more than ``MODEL_SHARE`` of the
        workers' time in this run (see ``run``)."""
        spent = self.workers * (time.perf_counter() - self._run_started)
        return self._model_seconds > MODEL_SHARE * spent

    def _walk(
        self, pm: PersonModel, path: RunPath, coeffs: dict[int, int], closed: set[int], mine: set[Line]
    ) -> tuple[set[Line], float, bool] | None:
        """The person's lines and own cost on the shortest path at ``coeffs`` and whether it is
        proven the best; None when the path found none keeping the counted rules. The priced
        walks stop at the first that costs less than ``mine`` (a response needs a saving, not
        the best one: Curtois Instance 23's walks took half the time, 40 s of responses saved
        3-4 % more). A counting walk (``RunPath.counting``) answers when the priced one proves
        nothing: its proof saves a solve of the person's model."""
        line_of = dict(pm.x)
        costs = {var: coeffs.get(var, 0) for var in line_of if var not in closed}
        now = sum(costs.get(var, math.inf) for var, line in pm.x if line in mine)
        walked = path.best(costs, below=now - 0.5, enough=1).best
        if (walked is None or not walked.proven) and path.counting is not None:
            counted = path.best(costs, counting=True).best
            if counted is not None and (walked is None or counted.proven or counted.cost < walked.cost):
                walked = counted
        if walked is None:
            return None
        new = {line_of[var] for var in walked.chosen}
        return new, self.own_cost(pm, new, priced=True), walked.proven

    def keeps_rules(self, number: str, lines: set[Line]) -> bool:
        """Whether the person on ``lines`` keeps all their rules (the validator's word); a path
        that does not is not asked again: a rule it does not model binds, so the model answers."""
        shifts = self.cands.shifts
        roster = [Assignment(shifts[i].key, number, j) for i, j in lines]
        if hard_breaches(validate_change(self.problem, roster, [], {number}, set(), self.index)):
            self.paths[number] = None
            return False
        return True

    def _cover_saving(self, old: set[Line], new: set[Line]) -> float:
        """What the cover costs less (sixtieths) with the person on ``new`` instead of ``old``."""
        saving = 0.0
        for line in old ^ new:
            others = self.filled[line] - (line in old)
            saving += self.line_cost(line, others + (line in old)) - self.line_cost(
                line, others + (line in new)
            )
        return saving

    def line_cost(self, line: Line, filled: int) -> int:
        count, over = self.count[line], self.over_cost[line]
        return self.under_cost[line] * max(0, count - filled) + (over or 0) * max(0, filled - count)

    def _allowed(self, old: set[Line], new: set[Line]) -> bool:
        """No line without a surplus price ends above its count (another worker may have filled it)."""
        return all(
            self.over_cost[line] is not None or self.filled[line] + 1 <= self.count[line]
            for line in new - old
        )

    def model_of(self, number: str) -> PersonModel:
        """The person's model: every rule of theirs, no cover (``_prices`` puts it in the
        objective); built at the first call."""
        if number not in self.models:
            self.models[number] = self._person_model(number, rules=True)
        return self.models[number]

    def priced_of(self, number: str) -> PersonModel:
        """The person's assignment variables and own objective without their rules (what the
        shortest path needs; the variables are the full model's): built at the first call."""
        if number not in self.priced:
            self.priced[number] = self.models.get(number) or self._person_model(number, rules=False)
        return self.priced[number]

    def _person_model(self, number: str, rules: bool) -> PersonModel:
        person = self.people[number]
        cands = Candidates(self.problem, people=[person], base=self.cands)
        own = tuple(a for a in self.problem.published if a.service_number == number)
        asked = tuple(self.requests.get(number, ()))  # others' requests cost the same either way
        rm = RosterModel(replace(self.problem, published=own, requests=asked), cands, scope=(), rules=rules)
        objective = rm.model.proto.objective
        personal: dict[int, int] = defaultdict(int)
        for var, coeff in zip(objective.vars, objective.coeffs, strict=True):
            personal[var] += coeff
        return PersonModel(rm.model, [(var.index, (i, j)) for (_, i, j), var in rm.x.items()], dict(personal))

    def _prices(self, pm: PersonModel, others: dict[Line, int]) -> tuple[dict[int, int], set[int]]:
        """The objective of one response: the person's own terms plus, per line they could fill,
        what one more person there costs (a shortfall saved or a surplus paid) given ``others``;
        and the variables of lines without a surplus price that others fill already (closed)."""
        coeffs = dict(pm.personal)
        closed = set()
        count, under_cost, over_cost = self.count, self.under_cost, self.over_cost
        for var, line in pm.x:
            # line_cost(filled + 1) - line_cost(filled), written out: a year is thousands of lines.
            if others[line] < count[line]:
                coeffs[var] = coeffs.get(var, 0) - under_cost[line]
            elif (over := over_cost[line]) is None:
                closed.add(var)
            else:
                coeffs[var] = coeffs.get(var, 0) + over
        return coeffs, closed

    def path_of(self, number: str, pm: PersonModel) -> RunPath | None:
        """The person's shortest-path response, when their own objective is a price per shift
        (no term of a whole roster, such as overtime) and nothing of theirs is pinned or worked
        before the horizon (the path starts afresh on the first day)."""
        if number not in self.paths:
            x = {var for var, _ in pm.x}
            fits = (
                set(pm.personal) <= x
                and not any(sn == number for sn, _ in self.pinned)
                and not any(a.service_number == number for a in self.problem.history)
            )
            shifts = self.cands.shifts
            options = [(var, shifts[i]) for var, (i, _) in pm.x]
            op = self.problem.operation
            self.paths[number] = (
                RunPath(self.people[number], op.policy, op.days, options) if fits and options else None
            )
        return self.paths[number]

    def cost_of(self, number: str, lines: set[Line]) -> float:
        """The person's own objective (sixtieths) on ``lines``, from the priced model when it is a
        price per shift (no need to build their rules)."""
        pm = self.priced_of(number)
        if set(pm.personal) <= {var for var, _ in pm.x}:
            return self.own_cost(pm, lines, priced=True)
        return self.own_cost(self.model_of(number), lines)

    def own_cost(self, pm: PersonModel, chosen: set[Line], priced: bool = False) -> float:
        """The person's own objective (sixtieths) for the lines ``chosen``: a sum of prices when it
        is one (``priced``), else their model solved with the assignments fixed and their own
        terms as objective, propagation filling the rest."""
        if priced:
            return float(sum(pm.personal.get(var, 0) for var, line in pm.x if line in chosen))
        fixed = cp_model.CpModel()
        fixed.proto.copy_from(pm.model.proto)
        for var, line in pm.x:
            set_domain(fixed.proto.variables[var].domain, int(line in chosen), int(line in chosen))
        set_objective(fixed.proto, pm.personal)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 10
        if solver.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return float("inf")
        pm.values = list(solver.response_proto.solution)
        return pm.own(pm.values)


def set_domain(domain: Any, low: int, high: int) -> None:
    """Replace a proto domain by the interval [low, high]."""
    domain.clear()
    domain.extend([low, high])


def set_objective(proto: Any, coeffs: dict[int, int]) -> None:
    """Replace a model's linear objective by ``coeffs`` (variable index -> coefficient), without
    the constant its model had."""
    proto.objective.offset = 0
    proto.objective.vars.clear()
    proto.objective.coeffs.clear()
    proto.objective.vars.extend(list(coeffs))
    proto.objective.coeffs.extend(list(coeffs.values()))
