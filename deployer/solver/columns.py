"""Column generation over whole-horizon personal rosters: a lower bound, and a roster dived from it.

Every cost but the cover's belongs to one person (``person_search.usable``), so a roster is one
personal roster (a *column*) per person, and the problem is to choose one column each so that the
cover costs least. The linear relaxation of that choice over all of a person's possible rosters
(Dantzig-Wolfe) is far stronger than the relaxation of the assignment model: on the Curtois & Qu
instances its value is within a fraction of a percent of the best known rosters, where CP-SAT's
own bound on the assignment model stays near zero.

Columns are generated: a linear programme (GLOP) over the columns known so far gives each demand
line a price (its dual), and each person's cheapest roster at those prices is sought first by
their shortest path (``run_path``: milliseconds, with a Lagrangian bound), then, for the few it
could not settle, by their own CP-SAT model (``PersonSearch.model_of``) with the prices in place
of the cover. A roster cheaper than the person's convexity dual enters the programme. Every round
in which everyone was priced also proves a lower bound on the whole problem (Lagrangian: the
prices times the demand plus a bound on each person's cheapest priced roster), however early the
generation stops. Prices are smoothed towards those of
the round with the best bound (Wentges), so that they do not jump between extremes round to round.

Choosing among the generated columns as an integer programme gives poor rosters (Curtois Instance
12: about 10,000 where the programme is at 4,040), because the programme's solution mixes columns
that only fit together fractionally. A *dive* instead fixes the people whose programme roster is
whole, and those closest to whole, generates columns for the others at the new prices, and goes
on until everyone is fixed (Instance 12: 4,040-4,043 given 70 s; Instance 9: 439, its optimum).
A dive *by days* pins, person by person, the days on which the rosters the programme holds agree,
and leaves the disputed days to the pricing: from a programme that has not converged it lands far
lower (Instance 19), from a converged one higher (Instance 18).
"""

from __future__ import annotations

import math
import statistics
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from deployer.domain.roster import Assignment
from deployer.solver.person_search import Line, PersonSearch, set_domain, set_objective

SCALE = 64
"""Pricing objectives are integers: prices (sixtieths of a point) are scaled by this and rounded,
and a pricing's bound is lowered by half a unit per shift the person could work to stay a bound."""
SMOOTHING = 0.5
"""Weight of the best bound's prices in the prices of the next round (0: plain duals)."""
PRICE_SECONDS = 2.0
"""Most time one person's pricing may take; one that ends unproven still yields its bound."""
CLOSE = 0.001
"""Generation stops once its bound is within this share of the programme's value."""
DIVE_GAP = 0.01
"""Between two fixings of a dive, generation stops this close to the programme's value."""
ROUND_SLACK = 1.25
"""A generation given a number of rounds gives up when a round takes this many times its share."""
DIVE_STEPS = 20
"""Steps of a dive: each fixes at least its share of the people still free."""
WHOLE = 0.99
"""A programme roster counts as whole above this weight."""
MODEL_PRICINGS = 4
"""People the shortest path could not settle priced by their model in a round (those with the
most to gain): a model's pricing takes about fifty walks' time."""
STALL_ROUNDS = 5
"""Rounds the programme's value may stay (within ``CLOSE``) before a round prices everyone."""
STALLED_OUT = 20
"""Rounds the programme's value may stay (within ``CLOSE``) before the generation gives up on
closing its bound: Curtois Instance 9's programme sat at its optimum (405.7) from about the
eightieth round while its bound, at degenerate duals, stayed below 160 for seventy more rounds
(ten seconds a dive could use)."""
PLENTY = 0.25
"""A round whose walks add columns for at least this share of the free people prices no one else
by model while the programme still falls (not ``settling``): it moves on those alone (Curtois
Instance 19, 17 s of generation: 68 rounds to a programme at 3,360 where four model pricings a
round made it 14 rounds, 5,488). Once it settles, the model's pricings close the bound (Instance
9's walks went on adding columns at a programme stuck at its optimum, the bound far below)."""
WALKS = 2
"""Most columns one person's shortest-path pricing adds in a round (its cheapest)."""
FORBIDDEN_SURPLUS = 10
"""A surplus on a line that allows none costs this many times the dearest shortfall in the
programme: it must stay solvable while a dive fixes people."""
OFF: frozenset[Line] = frozenset()
"""The lines of a day off (what a dive pins on a day a person does not work)."""
PINNED = 1e6
"""Price (sixtieths) the shortest path earns for a line a dive pinned: far more than any roster
could cost, so that the cheapest walk keeps every pin it can."""


@dataclass(frozen=True)
class Column:
    """One person's roster: the demand lines it fills and its own cost (sixtieths)."""

    lines: frozenset[Line]
    cost: float


class ColumnGeneration:
    """Columns for the people of ``search``, first those of ``roster`` (which costs ``total``
    points in all); see the module docstring."""

    def __init__(
        self, search: PersonSearch, roster: Sequence[Assignment], total: float, workers: int = 2
    ) -> None:
        self.search = search
        self.workers = max(1, workers)
        self.people = list(search.people)
        self.lines = list(search.count)
        self.columns: dict[str, list[Column]] = {number: [] for number in self.people}
        self.fixed: dict[str, Column] = {}
        """People whose column a dive has chosen (the programme keeps them at it)."""
        self.pins: dict[str, dict[date, frozenset[Line]]] = {}
        """Days a dive has settled for a free person: the lines they hold that day (none: off)."""
        self.weights: dict[str, list[float]] = {}
        """Each person's columns' values in the last programme."""
        self._day = [shift.day for shift in search.cands.shifts]
        self._horizon = sorted({self._day[i] for i, _ in self.lines})
        self.bound = float("-inf")
        """The best lower bound proved on the whole problem (points)."""
        self.value = float("inf")
        """The last programme's value (sixtieths), without what the model counts outside columns."""
        self.converged = False
        """Whether the generation stopped because its programme is (close to) optimal."""
        self.rounds = 0
        self.values: list[float] = []
        """The programme's value after each solve (sixtieths)."""
        self._programme = _Programme(search, self.people)
        own: dict[str, set[Line]] = {number: set() for number in self.people}
        index = search.cands.index
        for a in roster:
            own[a.service_number].add((index[a.shift_key], a.line))
        filled = Counter(line for lines in own.values() for line in lines)
        for number, lines in own.items():
            cost = search.cost_of(number, lines)
            if cost < float("inf"):
                self._add(number, Column(frozenset(lines), cost))
        columns = sum(c[0].cost for c in self.columns.values() if c)
        cover = sum(search.line_cost(line, filled[line]) for line in self.lines)
        self.constant = total - (columns + cover) / 60
        """What every roster costs beyond its columns and cover (points): constants of the model."""

    def run(
        self,
        deadline: float,
        stop: threading.Event | None = None,
        gap: float = CLOSE,
        expected_rounds: int | None = None,
    ) -> None:
        """Rounds of programme and pricing for the free people until no column prices below zero,
        the round's bound is within ``gap`` of the programme (``converged``), ``deadline``
        (perf_counter seconds) or ``stop``. With ``expected_rounds``, it gives up as soon as a round
        takes twice its share of the time left for that many (a year's pricing can take a
        minute a round). A round at smoothed prices that adds nothing is followed by one at the
        duals, and one at the duals that adds nothing, or a programme that stopped falling for
        ``STALL_ROUNDS`` rounds, by one pricing by their model everyone the shortest path could
        not settle."""
        best_bound, best_prices = float("-inf"), None
        smooth, done, everyone, last_full = True, 0, False, 0
        self.converged = False
        while time.perf_counter() < deadline and not (stop is not None and stop.is_set()):
            if any(not self.columns[number] for number in self.people):
                return  # someone without a roster of their own: nothing to choose among
            duals, convexity = self._master()
            prices = duals
            if smooth and best_prices is not None:
                prices = {
                    line: SMOOTHING * best_prices[line] + (1 - SMOOTHING) * duals[line] for line in self.lines
                }
            give_up = deadline
            if expected_rounds is not None:
                # The first round builds what the others reuse: it may take three times as long.
                now = time.perf_counter()
                share = (deadline - now) / max(1, expected_rounds - done)
                give_up = min(deadline, now + (ROUND_SLACK if done else 3 * ROUND_SLACK) * share)
            added, bound, unsettled = self._price_all(prices, convexity, duals, give_up, stop, everyone)
            if bound is None and time.perf_counter() >= give_up:
                return
            self.rounds, done = self.rounds + 1, done + 1
            if bound is not None and bound > best_bound:
                best_bound, best_prices = bound, prices
                if not self.fixed and not self.pins:
                    self.bound = max(self.bound, bound / 60 + self.constant)
            if self.value - best_bound <= gap * abs(self.value) or (
                not added and prices is duals and not unsettled
            ):
                self.converged = True
                return
            if done >= STALLED_OUT and self.settling(STALLED_OUT - 1, CLOSE):
                return  # (only this call's values: they never rise while columns are added)
            # A programme that stopped falling is priced in full, to see whether the bound
            # closes on it (walks can go on adding columns at a degenerate optimum).
            stalled = self.settling(STALL_ROUNDS, CLOSE) and done - last_full > STALL_ROUNDS
            everyone = (not added and prices is duals) or stalled
            last_full = done if everyone else last_full
            smooth = bool(added)

    def dive(
        self, deadline: float, stop: threading.Event | None = None, by_days: bool = False
    ) -> list[Assignment]:
        """A roster from the programme: fix the people whose programme roster is whole and those
        closest to whole (``by_days``: pin the days on which a person's programme rosters agree
        instead, see ``_pin_days``), generate columns for the others at the new prices, again
        until everyone is fixed, in ``DIVE_STEPS`` steps sharing the time to ``deadline``
        (perf_counter seconds). Who is still free then, or at ``stop``, takes their heaviest
        column (choosing among the columns by CP-SAT instead gave far worse rosters). Diving
        again starts afresh, with the columns the last dive generated."""
        for number in set(self.fixed) | set(self.pins):  # a dive again starts from everyone free
            self._programme.free(number)
        self.fixed.clear()
        self.pins.clear()
        steps = DIVE_STEPS
        while (free := self._free()) and (now := time.perf_counter()) < deadline:
            if stop is not None and stop.is_set():
                break
            self.run(now + (deadline - now) / steps, stop, gap=DIVE_GAP)
            self._master()
            (self._pin_days if by_days else self._fix_people)(free, steps)
            steps = max(1, steps - 1)
        if free := self._free():
            self._master()
            for number in free:
                self._fix(number)
        return self.search.assignments({number: column.lines for number, column in self.fixed.items()})

    def _fix_people(self, free: list[str], steps: int) -> None:
        """One step of a dive: fix the people whose heaviest column is whole, and at least a
        ``steps``-th of those free, the closest to whole."""
        best = {number: max(self.weights[number]) for number in free}
        ranked = sorted(free, key=best.__getitem__, reverse=True)
        closest = math.ceil(len(free) / steps)
        for n, number in enumerate(ranked):
            if best[number] > WHOLE or n < closest:
                self._fix(number)

    def _pin_days(self, free: list[str], steps: int) -> None:
        """One step of a dive by days: fix whoever's heaviest column is whole; for the others,
        pin each day whose weightiest choice (the lines worked that day, or none) weighs all but
        everything, and at least a ``steps``-th of the days still open, those whose choice
        weighs most, as long as some column the programme holds keeps all the person's pins.
        Fixing whole people forces the others' days where the programme mixed them; pinning
        days leaves each person's disputed days to the pricing, but it cannot undo a day the
        programme agreed on (see ``engine._generated`` for which dive goes first)."""
        open_days: list[tuple[float, str, date, frozenset[Line]]] = []
        held_by: dict[str, list[dict[date, frozenset[Line]]]] = {}
        for number in free:
            weights = self.weights[number]
            if max(weights) > WHOLE:
                self._fix(number)
                continue
            held_by[number] = days = [
                self._days(c) if w > 1e-9 else {} for c, w in zip(self.columns[number], weights, strict=True)
            ]
            pinned = self.pins.get(number, {})
            for day in self._horizon:
                if day not in pinned:
                    share: dict[frozenset[Line], float] = defaultdict(float)
                    for w, d in zip(weights, days, strict=True):
                        if w > 1e-9:
                            share[d.get(day, OFF)] += w
                    held = max(share, key=share.__getitem__)
                    open_days.append((share[held], number, day, held))
        open_days.sort(key=lambda item: item[0], reverse=True)
        closest = math.ceil(len(open_days) / steps)
        chosen = [item for n, item in enumerate(open_days) if item[0] > WHOLE or n < closest]
        alive = {n: [k for k, w in enumerate(self.weights[n]) if w > 1e-9] for n in held_by}
        touched: set[str] = set()
        for _, number, day, held in chosen:
            fits = [k for k in alive[number] if held_by[number][k].get(day, OFF) == held]
            if fits:  # some column the programme holds keeps every pin
                alive[number] = fits
                self.pins.setdefault(number, {})[day] = held
                touched.add(number)
        for number in touched:
            if len(self.pins[number]) == len(self._horizon):
                self._fix(number, alive[number][0])
            else:
                self._programme.keep(number, [self._fits(number, column) for column in self.columns[number]])

    def _days(self, column: Column) -> dict[date, frozenset[Line]]:
        """The lines of ``column`` by day."""
        days: dict[date, set[Line]] = {}
        for line in column.lines:
            days.setdefault(self._day[line[0]], set()).add(line)
        return {day: frozenset(lines) for day, lines in days.items()}

    def _fits(self, number: str, column: Column) -> bool:
        """Whether ``column`` keeps the days pinned for ``number``."""
        pinned = self.pins.get(number)
        if not pinned:
            return True
        days = self._days(column)
        return all(days.get(day, OFF) == held for day, held in pinned.items())

    def settling(self, rounds: int = 3, share: float = 0.03) -> bool:
        """Whether the programme's value fell by less than ``share`` over its last ``rounds``
        rounds: a generation near its end, worth a dive even unconverged."""
        if len(self.values) <= rounds:
            return False
        return self.values[-1 - rounds] - self.values[-1] <= share * abs(self.values[-1])

    def _free(self) -> list[str]:
        return [number for number in self.people if number not in self.fixed]

    def _add(self, number: str, column: Column) -> None:
        self.columns[number].append(column)
        self._programme.add(number, column)

    def _fix(self, number: str, k: int | None = None) -> None:
        """Keep the person at their ``k``-th column, by default their heaviest in the last
        programme."""
        weights = self.weights[number]
        k = weights.index(max(weights)) if k is None else k
        self.fixed[number] = self.columns[number][k]
        self._programme.fix(number, k)

    def _master(self) -> tuple[dict[Line, float], dict[str, float]]:
        """Solve the programme; its cover duals and convexity duals (sixtieths)."""
        self.value, self.weights, duals, convexity = self._programme.solve()
        self.values.append(self.value)
        return duals, convexity

    def _price_all(
        self,
        prices: dict[Line, float],
        convexity: dict[str, float],
        duals: dict[Line, float],
        deadline: float,
        stop: threading.Event | None,
        everyone: bool,
    ) -> tuple[int, float | None, bool]:
        """Price every free person at ``prices`` (two at once); the columns added (those that
        price below the convexity dual at ``prices`` or at ``duals``), the Lagrangian bound of
        the programme with the fixed people fixed (sixtieths, without the model's constants), or
        None when not everyone was priced, and whether someone's pricing was left unsettled. The
        shortest path prices everyone first; the people it could not settle are priced by their
        model: those it cannot price at all and, unless the walks added plenty (``PLENTY``), the
        ``MODEL_PRICINGS`` with the most to gain, or with ``everyone`` all of them."""
        lowest: dict[str, float] = {}
        unsure: dict[str, float] = {}
        added = 0
        lock = threading.Lock()

        def below(column: Column, number: str, at: dict[Line, float]) -> bool:
            return column.cost - sum(at[line] for line in column.lines) < convexity[number] - 1e-6

        def take(number: str, found: list[Column], low: float) -> None:
            nonlocal added
            with lock:
                lowest[number] = max(low, lowest.get(number, low))
                for column in found:
                    if (
                        column not in self.columns[number]
                        and self._fits(number, column)
                        and (below(column, number, prices) or below(column, number, duals))
                    ):
                        self._add(number, column)
                        added += 1

        def walk(number: str) -> None:
            found, low, settled = self._walked(number, prices, convexity[number])
            take(number, found, low)
            if not settled:
                with lock:
                    unsure[number] = convexity[number] - low

        def solve(number: str) -> None:
            take(number, *self._solved(number, prices, deadline, lowest[number]))

        if not self._each(self._free(), walk, deadline, stop):
            return added, None, True
        gaps = sorted((gap, number) for number, gap in unsure.items() if gap < float("inf"))
        chosen = [n for n, gap in unsure.items() if gap == float("inf")]
        plenty = added >= PLENTY * len(self._free()) and not self.settling()
        most = 0 if plenty else MODEL_PRICINGS
        chosen += [n for _, n in (gaps if everyone else gaps[len(gaps) - most :])]
        if not self._each(chosen, solve, deadline, stop):
            return added, None, True
        for number, column in self.fixed.items():  # their one column is their cheapest
            lowest[number] = column.cost - sum(prices[line] for line in column.lines)
        demand = sum(self.search.count[line] * prices[line] for line in self.lines)
        return added, demand + sum(lowest.values()), len(chosen) < len(unsure)

    def _each(
        self, people: list[str], act: Callable[[str], None], deadline: float, stop: threading.Event | None
    ) -> bool:
        """``act`` on each of ``people``, two at once; whether all were done by ``deadline``."""
        queue = list(people)
        lock = threading.Lock()

        def work() -> None:
            while time.perf_counter() < deadline and not (stop is not None and stop.is_set()):
                with lock:
                    if not queue:
                        return
                    number = queue.pop()
                act(number)

        threads = [threading.Thread(target=work, daemon=True) for _ in range(self.workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return not queue

    def _walked(
        self, number: str, prices: dict[Line, float], convexity: float
    ) -> tuple[list[Column], float, bool]:
        """The person's pricing by the shortest path: the cheapest walks priced below
        ``convexity`` (their convexity dual) that keep all their rules and pinned days, a lower
        bound on their cheapest priced cost (sixtieths: own terms less the lines' prices), and
        whether that settles the person's pricing (a column found, or proof there is none);
        nothing settled where the path cannot price them. A counting walk (``RunPath.counting``) answers when
        the priced walk settles nothing."""
        search = self.search
        pm = search.priced_of(number)
        path = search.path_of(number, pm)
        if path is None:
            return [], float("-inf"), False
        pinned = self.pins.get(number, {})
        costs: dict[int, float] = {}
        usual: list[float] = []  # with pins, the sizes of the prices of unpinned days
        for var, line in pm.x:
            held = pinned.get(self._day[line[0]]) if pinned else None
            cost = pm.personal.get(var, 0) - prices[line]
            if held is None:
                costs[var] = cost
                if pinned:
                    usual.append(abs(cost))
            elif line in held:  # other lines of a pinned day are closed
                costs[var] = cost - PINNED
        offset = PINNED * sum(len(held) for held in pinned.values())
        typical = statistics.median(usual) if usual else None  # not the pins' price
        line_of = dict(pm.x)
        bound = float("-inf")
        for counting in (False, True):
            walks = path.best(costs, convexity - offset, WALKS, counting, typical)
            bound = max(bound, walks.bound + offset)
            found: list[Column] = []
            for walk in sorted(walks.kept, key=lambda walk: walk.cost)[:WALKS]:
                if walk.cost + offset >= convexity - 1e-6:
                    break
                lines = {line_of[var] for var in walk.chosen}
                if not search.keeps_rules(number, lines):
                    return found, bound, bool(found)  # a rule the path does not model: the model prices
                found.append(Column(frozenset(lines), search.own_cost(pm, lines, priced=True)))
            proven = walks.best is not None and walks.best.proven
            if found or proven or bound >= convexity - 1e-6:
                return found, bound, True
            if path.counting is None:
                break
        return [], bound, False

    def _solved(
        self, number: str, prices: dict[Line, float], deadline: float, low: float
    ) -> tuple[list[Column], float]:
        """The person's pricing by their CP-SAT model, their pinned days fixed: the rosters it went
        through and a lower bound on their cheapest priced cost (sixtieths), at least ``low`` (a
        bound known already)."""
        pm = self.search.model_of(number)
        coeffs = {var: SCALE * coeff for var, coeff in pm.personal.items()}
        proto = pm.model.proto
        pinned = self.pins.get(number, {})
        for var, line in pm.x:
            coeffs[var] = coeffs.get(var, 0) - round(SCALE * prices[line])
            held = pinned.get(self._day[line[0]])
            must = int(held is not None and line in held)
            set_domain(proto.variables[var].domain, must, int(held is None or line in held))
        set_objective(proto, coeffs)
        seen = _Solutions()
        status, solver = pm.solve(min(PRICE_SECONDS, deadline - time.perf_counter()), callback=seen)
        if status == cp_model.INFEASIBLE:
            return [], float("inf")
        shifts = len({i for _, (i, _) in pm.x})  # at most one assignment each
        low = max(low, (solver.best_objective_bound - 0.5 * shifts) / SCALE)
        if seen.values:
            pm.values = seen.values[-1]
        return [Column(frozenset(line for var, line in pm.x if v[var]), pm.own(v)) for v in seen.values], low


class ProgrammeError(RuntimeError):
    """GLOP could not solve the restricted master programme, even afresh."""


class _Programme:
    """The restricted master programme, kept between rounds: GLOP starts again from its last basis
    when columns are added (about a quarter of the time of solving it anew)."""

    def __init__(self, search: PersonSearch, people: list[str]) -> None:
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        self.objective = self.lp.Objective()
        self.objective.SetMinimization()
        dearest = FORBIDDEN_SURPLUS * max(search.under_cost.values(), default=60)
        self.cover = {}
        for line, count in search.count.items():
            self.cover[line] = self.lp.Constraint(count, count)
            over_cost = search.over_cost[line]
            for sign, cost in (
                (1, search.under_cost[line]),
                (-1, dearest if over_cost is None else over_cost),
            ):
                self._var(cost, {self.cover[line]: sign})
        self.convexity = {number: self.lp.Constraint(1, 1) for number in people}
        self.lambdas: dict[str, list[pywraplp.Variable]] = {number: [] for number in people}

    def _var(self, cost: float, rows: dict[pywraplp.Constraint, int]) -> pywraplp.Variable:
        var = self.lp.NumVar(0, self.lp.infinity(), "")
        self.objective.SetCoefficient(var, cost)
        for row, coefficient in rows.items():
            row.SetCoefficient(var, coefficient)
        return var

    def add(self, number: str, column: Column) -> None:
        rows = {self.cover[line]: 1 for line in column.lines}
        self.lambdas[number].append(self._var(column.cost, {self.convexity[number]: 1, **rows}))

    def fix(self, number: str, k: int) -> None:
        """Keep ``number`` at their ``k``-th column."""
        for j, var in enumerate(self.lambdas[number]):
            var.SetBounds(float(j == k), float(j == k))

    def free(self, number: str) -> None:
        """Let ``number`` take any mix of their columns again."""
        for var in self.lambdas[number]:
            var.SetBounds(0.0, self.lp.infinity())

    def keep(self, number: str, allowed: list[bool]) -> None:
        """Let ``number`` take only the columns ``allowed`` (by position)."""
        for var, ok in zip(self.lambdas[number], allowed, strict=True):
            var.SetBounds(0.0, self.lp.infinity() if ok else 0.0)

    def solve(self) -> tuple[float, dict[str, list[float]], dict[Line, float], dict[str, float]]:
        """The programme's value, each person's column weights, the cover and convexity duals.
        The programme always has a solution (every line has slack), but GLOP starting from its
        last basis can end abnormally (once on Curtois Instance 5, session 19, where the values
        were read anyway): then it is solved afresh, and ``ProgrammeError`` raised should that
        fail too."""
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            afresh = pywraplp.MPSolverParameters()
            afresh.SetIntegerParam(afresh.INCREMENTALITY, afresh.INCREMENTALITY_OFF)
            if self.lp.Solve(afresh) != pywraplp.Solver.OPTIMAL:
                raise ProgrammeError("the column-generation programme could not be solved")
        return (
            self.objective.Value(),
            {number: [var.solution_value() for var in vars_] for number, vars_ in self.lambdas.items()},
            {line: row.dual_value() for line, row in self.cover.items()},
            {number: row.dual_value() for number, row in self.convexity.items()},
        )


class _Solutions(cp_model.CpSolverSolutionCallback):
    """Every solution of one pricing: each is a roster of the person's that may enter."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[list[int]] = []

    def on_solution_callback(self) -> None:
        self.values.append(list(self.response_proto.solution))
