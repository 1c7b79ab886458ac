"""Solving a roster problem: build, search with progress and stop, read back a domain result."""

from __future__ import annotations

import gc
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from deployer.domain.problem import RosterProblem, RosterResult, Shortfall, SolveStatus
from deployer.domain.problem_checks import check_problem
from deployer.domain.roster import Assignment
from deployer.domain.scoring import Score, score
from deployer.domain.validator import Breach, hard_breaches, validate
from deployer.solver import person_search
from deployer.solver.bounds import slot_lower_bound
from deployer.solver.candidates import Candidates
from deployer.solver.columns import ColumnGeneration, ProgrammeError
from deployer.solver.day_exchange import DayExchange
from deployer.solver.explain import explain_core, explain_people, explain_shortfalls, explain_unpinnable
from deployer.solver.greedy import greedy_roster
from deployer.solver.handover import hand_over
from deployer.solver.lns import LargeNeighbourhoodSearch
from deployer.solver.model import RosterModel, UnpinnableError
from deployer.solver.model_lns import ModelSearch, Solution
from deployer.solver.top_up import top_up
from deployer.solver.transport import TransportPlan, transport_plan

FIRST_PHASE = 0.03
"""The share of the time limit CP-SAT searches the whole model before neighbourhoods take over
(it proves small problems optimal within it, and gives a solution and a bound)."""
WHOLE_SEARCH_LIMIT = 60_000
"""Above this many assignment variables, neighbourhoods start from the first roster at once."""


@dataclass(frozen=True)
class SolveParameters:
    """How long and how hard to search."""

    time_limit: float = 30.0
    workers: int = 2
    seed: int = 0
    hard_coverage: bool = False
    """Refuse shortfalls: an uncoverable demand then makes the request infeasible (and explained)."""
    log: bool = False
    probing_level: int = 0
    full_model_limit: int = 150_000
    """Above this many person-shift pairs, search by large neighbourhoods instead of one model."""
    neighbourhoods: bool = True
    """After a first phase of CP-SAT on the whole model (``FIRST_PHASE`` of the time), improve
    by neighbourhoods of the same model (``model_lns``); False: CP-SAT alone all the time."""
    checkpoint_every: float | None = None
    """Hand an improving roster itself to the progress callback at most this often (seconds), so
    the caller can keep it safe from a crash; None: never (reading a big roster back costs time)."""


@dataclass(frozen=True)
class Progress:
    """One improving roster found during the search."""

    objective: float
    bound: float
    elapsed: float
    solutions: int
    roster: tuple[Assignment, ...] | None = None
    """The improving roster, when a checkpoint is due (see ``SolveParameters.checkpoint_every``)."""


ProgressCallback = Callable[[Progress], None]


class _Checkpoints:
    """Says when the next improving roster should be handed over: the first, then every so often."""

    def __init__(self, every: float | None) -> None:
        self.every = every
        self.last: float | None = None

    def due(self) -> bool:
        now = time.perf_counter()
        if self.every is None or (self.last is not None and now - self.last < self.every):
            return False
        self.last = now
        return True

    def roster(self, read: Callable[[], Sequence[Assignment]]) -> tuple[Assignment, ...] | None:
        """``read()`` as a tuple when a checkpoint is due, else None (without reading)."""
        return tuple(read()) if self.due() else None


class _Raised:
    """Passes progress on with its bound raised to the best bound known so far (the slot bound,
    then the transport bound once solved): searches that have no bound of their own report 0."""

    def __init__(self, on_progress: ProgressCallback | None, bound: float) -> None:
        self.on_progress = on_progress
        self.bound = bound

    def __call__(self, progress: Progress) -> None:
        if self.on_progress is not None:
            self.on_progress(replace(progress, bound=max(progress.bound, self.bound)))


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(
        self,
        on_progress: ProgressCallback | None,
        started: float,
        read: Callable[[Sequence[int]], list[Assignment]],
        checkpoints: _Checkpoints,
    ) -> None:
        super().__init__()
        self.on_progress = on_progress
        self.started = started
        self.solutions = 0
        self.read = read
        self.checkpoints = checkpoints

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self.on_progress is not None:
            self.on_progress(
                Progress(
                    self.objective_value / 60,
                    max(0.0, self.best_objective_bound / 60),
                    time.perf_counter() - self.started,
                    self.solutions,
                    self.checkpoints.roster(lambda: self.read(self.response_proto.solution)),
                )
            )


def solve(
    problem: RosterProblem,
    params: SolveParameters | None = None,
    on_progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    hint: Sequence[Assignment] = (),
) -> RosterResult:
    """The best roster found within the time limit, or the reasons there is none.

    ``stop`` ends the search early and returns the best roster so far; ``hint`` (or else the
    published roster) seeds the search.
    """
    params = params or SolveParameters()
    started = time.perf_counter()
    check_problem(problem)
    if not hint:
        # A re-roster changes as little as it can: the roster in force is the first one, less
        # what no longer exists (the first roster's cleaning drops what now breaks a rule).
        shifts, people = {s.key for s in problem.operation.shifts}, {p.service_number for p in problem.staff}
        hint = [a for a in problem.published if a.shift_key in shifts and a.service_number in people]
    with _long_lived_out_of_gc():
        if len(problem.staff) * len(problem.operation.shifts) > params.full_model_limit:
            result = _solve_large(problem, params, on_progress, stop, hint, started)
        else:
            result = _solve_full(problem, params, on_progress, stop, hint, started)
    # The whole of it: the result's explanation and freeing the search's models come after the
    # searches measured their time.
    return replace(result, wall_seconds=time.perf_counter() - started)


@contextmanager
def _long_lived_out_of_gc() -> Iterator[None]:
    """Let the solve keep its long-lived structures out of Python's full collections.

    A full collection walks every live object: with a Games-sized problem, its candidates and
    model that took 250-470 ms, during which no other thread runs Python (the GUI froze). The
    solve calls ``gc.freeze()`` once those structures are built. When it ends, one collection
    frees whatever cycles it left and what is still alive is frozen again: otherwise the
    collector, whose thresholds were set while most of the heap was frozen, ran a full
    collection every half second while the plan was saved and checked.
    """
    try:
        yield
    finally:
        began = time.perf_counter()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        _Collection.seconds = time.perf_counter() - began


class _Collection:
    """How long the full collection at the end of the last solve took in this process: it walks
    the whole heap, the caller's too (0.2-0.3 s in the test suite, against a few milliseconds in
    a fresh process), so the next solve keeps that long for its own (``_finish_by``)."""

    seconds = 0.0


def _solve_full(
    problem: RosterProblem,
    params: SolveParameters,
    on_progress: ProgressCallback | None,
    stop: threading.Event | None,
    hint: Sequence[Assignment],
    started: float,
) -> RosterResult:
    """One CP-SAT model of the whole problem, seeded with the constructive roster."""
    candidates = Candidates(problem)
    try:
        model = RosterModel(problem, candidates, hard_coverage=params.hard_coverage)
        gc.freeze()
    except UnpinnableError as error:
        return RosterResult(
            SolveStatus.INFEASIBLE,
            (),
            None,
            None,
            time.perf_counter() - started,
            explanation=(explain_unpinnable(problem, error.assignment),),
        )
    responder = _responder(problem, candidates, params) if params.neighbourhoods else None
    plan = _transport(problem, candidates, params)
    report = _Raised(on_progress, _known_bound(problem, candidates, plan))
    first, unmended = first_roster(
        problem, candidates, hint, _repair_until(started, params), stop, params.seed, plan, responder
    )
    gc.freeze()
    if unmended:
        if (impossible := _impossible(problem, candidates, unmended, started, params)) is not None:
            return impossible
        first = []  # not a valid roster: neither a hint nor a fallback
    scoring = time.perf_counter()
    first_score = score(problem, first) if first else None
    finish = _finish_by(started, params, time.perf_counter() - scoring)
    checkpoints = _Checkpoints(params.checkpoint_every)
    if first_score is not None:
        report(
            Progress(
                first_score.total, 0.0, time.perf_counter() - started, 0, checkpoints.roster(lambda: first)
            )
        )
        if responder is not None:
            # A roster dived from column generation, then whole-horizon responses, then the
            # model's neighbourhoods for the rest of the time. A re-roster starts from the roster
            # in force instead: a dive builds anew and pays for every change at once (a demo
            # re-roster of 105 shifts with one person withdrawn: 32 changes against about 5).
            total, turn = first_score.total, math.inf
            if not problem.published:
                constructed = first
                first, total = _generated(
                    problem, responder, first, total, finish, stop, report, started, checkpoints, params
                )
                if first is not constructed:
                    turn = EXCHANGE_TURN  # see ``EXCHANGE_TURN``
            until = time.perf_counter() + PERSON_SHARE * (finish - time.perf_counter())
            first = _best_responses(responder, first, total, until, stop, report, started, checkpoints, turn)
            first_score = score(problem, first)
    hinted = model.hint(first) if first else None
    reporter = _Reporter(report, started, lambda values: _chosen(problem, model, values), checkpoints)
    solver: cp_model.CpSolver | None = None
    start: Solution | None = None
    if hinted is not None and params.neighbourhoods and len(model.x) > WHOLE_SEARCH_LIMIT:
        # Presolving so large a model takes seconds and finds little: start from the first roster.
        status, stopped = cp_model.FEASIBLE, False
        start = Solution(list(model.model.proto.solution_hint.values), hinted)
    else:
        # The first phase is CP-SAT's own, however long the steps before it took.
        first_phase = params.time_limit * FIRST_PHASE if params.neighbourhoods else None
        if first_phase is not None:
            first_phase += time.perf_counter() - started
        solver, status, stopped = _run(model, params, reporter, stop, started, finish, first_phase)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            start = Solution(list(solver.response_proto.solution), solver.objective_value)
    bound = max(report.bound, _searched_bound(solver))
    if start is not None:
        if status == cp_model.FEASIBLE and not stopped and params.neighbourhoods:
            start = _neighbourhoods(model, start, params, reporter, stop, started, finish, bound)
            stopped = stop is not None and stop.is_set()
        chosen = _chosen(problem, model, start.values)
        chosen_score = score(problem, chosen)
        if first_score is None or chosen_score.total <= first_score.total + 1e-6:
            proven = SolveStatus.OPTIMAL if status == cp_model.OPTIMAL else SolveStatus.FEASIBLE
            return _roster_result(
                problem,
                candidates,
                chosen,
                chosen_score,
                stopped,
                time.perf_counter() - started,
                bound,
                proven,
            )
    if first_score is not None and status != cp_model.INFEASIBLE:
        # The search found nothing, or ended worse than the first roster: keep the first.
        return _roster_result(
            problem, candidates, first, first_score, stopped, time.perf_counter() - started, bound
        )
    if status == cp_model.INFEASIBLE and solver is not None:
        core = [model.assumptions.get(abs(i), "") for i in solver.sufficient_assumptions_for_infeasibility()]
        if not model.assumptions:
            core = _explain_run(problem, candidates, params)
        reasons = explain_core(problem, candidates, [c for c in core if c])
        if params.hard_coverage:
            relaxed = solve(problem, replace(params, hard_coverage=False), on_progress, stop, hint)
            return _with_explanation(relaxed, reasons, "The roster below leaves that demand unfilled.")
        return RosterResult(
            SolveStatus.INFEASIBLE, (), None, None, time.perf_counter() - started, explanation=tuple(reasons)
        )
    return RosterResult(
        SolveStatus.NO_SOLUTION,
        (),
        None,
        None,
        time.perf_counter() - started,
        explanation=("No roster was found within the time limit; allow more time.",),
        stopped=stopped,
    )


def _run(
    model: RosterModel,
    params: SolveParameters,
    reporter: _Reporter,
    stop: threading.Event | None,
    started: float,
    finish: float,
    settle_after: float | None = None,
) -> tuple[cp_model.CpSolver, Any, bool]:
    """CP-SAT on the whole model until ``finish`` (perf_counter seconds) or ``stop``; with
    ``settle_after``, it also ends at the first solution found that many seconds after ``started``
    (or as soon as it has one, once they are past)."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, finish - time.perf_counter())
    solver.parameters.num_workers = max(1, params.workers)
    solver.parameters.random_seed = params.seed
    solver.parameters.log_search_progress = params.log
    # Probing in presolve costs seconds on rostering models and buys little; the hint matters more.
    solver.parameters.cp_model_probing_level = params.probing_level
    finished = threading.Event()
    stopped = False

    def watch() -> None:
        nonlocal stopped
        while not finished.wait(0.05):
            if stop is not None and stop.is_set():
                stopped = True
                solver.stop_search()
            elif (
                settle_after is not None
                and reporter.solutions
                and time.perf_counter() - started > settle_after
            ):
                solver.stop_search()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        status = solver.solve(model.model, reporter)
    finally:
        finished.set()
        watcher.join()
    return solver, status, stopped


def _neighbourhoods(
    model: RosterModel,
    start: Solution,
    params: SolveParameters,
    reporter: _Reporter,
    stop: threading.Event | None,
    started: float,
    finish: float,
    bound: float,
) -> Solution:
    """Improve ``start`` by neighbourhoods of the model until ``finish`` or ``stop``."""
    search = ModelSearch(
        model,
        start,
        seed=params.seed,
        workers=params.workers,
    )

    def improved(solution: Solution) -> None:
        if reporter.on_progress is None:
            return
        read = lambda: _chosen(model.problem, model, solution.values)  # noqa: E731
        reporter.on_progress(
            Progress(
                solution.objective / 60,
                bound,
                time.perf_counter() - started,
                reporter.solutions + search.improvements,
                reporter.checkpoints.roster(read),
            )
        )

    return search.run(finish, stop, improved)


IMPOSSIBLE_SHARE = 0.2
"""The share of the time left that checking whether the people a first roster could not mend have
any roster of their own may take."""


def _impossible(
    problem: RosterProblem,
    candidates: Candidates,
    unmended: list[Breach],
    started: float,
    params: SolveParameters,
) -> RosterResult | None:
    """An infeasible result naming who among the people ``unmended`` breaks a rule of has no roster
    keeping their own rules (then no roster exists, and searching on would only end in "no roster
    found in time"); None when none of them is proven so."""
    numbers = list(dict.fromkeys(b.service_number for b in unmended if b.service_number))
    left = max(0.0, started + params.time_limit - time.perf_counter())
    reasons = explain_people(problem, candidates, numbers, time.perf_counter() + IMPOSSIBLE_SHARE * left)
    if not reasons:
        return None
    return RosterResult(
        SolveStatus.INFEASIBLE, (), None, None, time.perf_counter() - started, explanation=tuple(reasons)
    )


def _explain_run(problem: RosterProblem, candidates: Candidates, params: SolveParameters) -> list[str]:
    """Solve again with every constraint that can fail behind an assumption, to find a core."""
    model = RosterModel(problem, candidates, hard_coverage=params.hard_coverage, explain=True)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(1.0, params.time_limit / 2)
    solver.parameters.num_workers = 1
    if solver.solve(model.model) != cp_model.INFEASIBLE:
        return []
    return [model.assumptions.get(abs(i), "") for i in solver.sufficient_assumptions_for_infeasibility()]


def first_roster(
    problem: RosterProblem,
    cands: Candidates,
    hint: Sequence[Assignment],
    repair_until: float,
    stop: threading.Event | None = None,
    seed: int = 0,
    plan: TransportPlan | None = None,
    responder: person_search.PersonSearch | None = None,
) -> tuple[list[Assignment], list[Breach]]:
    """The hint, or the constructive roster (following ``plan`` when it tells stations apart)
    topped up for people short of their minimum hours and repaired by search (best responses by
    ``responder`` where given) until ``repair_until`` (perf_counter seconds), cleaned of breaches;
    with the breaches removing shifts cannot mend (see ``clean_roster``): a usable roster has none."""
    guide = plan if plan is not None and plan.groups > 1 else None
    roster, unmended = clean_roster(problem, list(hint) or greedy_roster(problem, cands, guide))
    if unmended and not hint:
        roster, unmended = clean_roster(problem, top_up(problem, cands, roster))
    if unmended:
        roster, unmended = repair(problem, roster, unmended, repair_until, stop, seed, responder)
    return roster, unmended


ALONE_SECONDS = 0.5
"""Time for re-rostering one person alone: enough to find a roster keeping their rules."""
PRICED_WHILE_REPAIRING = frozenset({"total_minutes"})
"""The rule a repair may break at a price on its way to keeping it (hours short of a minimum)."""


def repair(
    problem: RosterProblem,
    roster: list[Assignment],
    unmended: list[Breach],
    deadline: float,
    stop: threading.Event | None,
    seed: int = 0,
    responder: person_search.PersonSearch | None = None,
) -> tuple[list[Assignment], list[Breach]]:
    """Re-roster the people whose minimums are unmet, alone and then with colleagues, until none is.

    First each of them alone over the whole horizon, everyone else's cover fixed: one person's
    rules settle in a fraction of a second, and only their own rules can stand in the way (by
    ``responder``'s best response where given: its shortest path takes milliseconds where their
    model in a neighbourhood of the whole problem took about half a second). Then,
    for whoever is still short, a search on the problem with minimum hours priced (dearer than any
    unfilled shift) instead of forbidden, so every step has a roster to start from and accepts
    only rosters that price the breaches lower. The result is checked against the real rules.
    """
    people = {p.service_number: p for p in problem.staff}
    short = [n for n in dict.fromkeys(b.service_number for b in unmended) if n in people]

    def going() -> bool:
        return time.perf_counter() < deadline and not (stop is not None and stop.is_set())

    if responder is not None:
        responder.load(roster)
        responder.mend(short, deadline, stop)
        roster = responder.roster()
    else:
        alone = LargeNeighbourhoodSearch(problem, Candidates(problem, people=[]), roster, seed=seed)
        horizon = len(problem.operation.days)
        for number in short:
            if going():
                hood = alone.around(people[number], 0, horizon)
                alone.step(hood, min(ALONE_SECONDS, deadline - time.perf_counter()), stop)
        roster = alone.roster
    roster, unmended = clean_roster(problem, roster)
    policy = problem.operation.policy
    unfilled = [line.under_cost or 0 for s in problem.operation.shifts for line in s.demand]
    relaxed = replace(
        problem,
        operation=replace(
            problem.operation, policy=replace(policy, soft_rules=policy.soft_rules | PRICED_WHILE_REPAIRING)
        ),
        weights=replace(
            problem.weights,
            soft_rule=10 * max([problem.weights.unfilled, problem.weights.soft_rule, *unfilled]),
        ),
    )
    lns = LargeNeighbourhoodSearch(
        relaxed, Candidates(relaxed, people=[]), roster, seed=seed, step_seconds=2.0
    )
    rounds = 0
    while unmended and going():
        # Four weeks settle in about a second; every third round looks wider for stuck cases.
        width, limit = (56, 3.0) if rounds % 3 == 2 else (28, 1.0)
        for breach in unmended:
            if time.perf_counter() >= deadline or breach.service_number not in people:
                continue
            hood = lns.around(people[breach.service_number], 2, width)
            lns.step(hood, min(limit, deadline - time.perf_counter()), stop)
        roster, unmended = clean_roster(problem, lns.roster)
        lns.roster = roster
        rounds += 1
    return roster, unmended


def clean_roster(
    problem: RosterProblem, assignments: list[Assignment]
) -> tuple[list[Assignment], list[Breach]]:
    """``assignments`` less any the validator finds in a hard breach, and the breaches that removing
    shifts cannot mend (a minimum of hours not reached): a roster is usable only when those are none."""
    while True:
        breaches = hard_breaches(validate(problem, assignments))
        bad = {(b.service_number, key) for b in breaches for key in b.shift_keys[-1:]}
        kept = [a for a in assignments if (a.service_number, a.shift_key) not in bad]
        if any(b.rule == "overstaffing" for b in breaches):  # a line's breach, no one's shift
            kept = _within_counts(problem, kept)
        if len(kept) == len(assignments):
            return assignments, breaches
        assignments = kept


def _within_counts(problem: RosterProblem, assignments: list[Assignment]) -> list[Assignment]:
    """``assignments`` less those beyond the count of a line without a surplus price (a hint's
    line whose demand was cut), pinned ones kept first."""
    limit = {(s.key, j): line.count for s in problem.operation.shifts for j, line in enumerate(s.demand)}
    unpriced = {
        (s.key, j)
        for s in problem.operation.shifts
        for j, line in enumerate(s.demand)
        if line.over_cost is None
    }
    taken: dict[tuple[str, int], int] = defaultdict(int)
    out = []
    for a in sorted(assignments, key=lambda a: not a.pinned):
        key = (a.shift_key, a.line)
        if key in unpriced and taken[key] >= limit[key]:
            continue
        taken[key] += 1
        out.append(a)
    return out


def _solve_large(
    problem: RosterProblem,
    params: SolveParameters,
    on_progress: ProgressCallback | None,
    stop: threading.Event | None,
    hint: Sequence[Assignment],
    started: float,
) -> RosterResult:
    """A quick constructive roster, then large-neighbourhood search until the time limit or stop."""
    cands = Candidates(problem, people=[])
    gc.freeze()
    responder = _responder(problem, cands, params)
    repair_until = _repair_until(started, params)
    roster, unmended = first_roster(
        problem, cands, hint, repair_until, stop, params.seed, responder=responder
    )
    gc.freeze()
    if unmended and (impossible := _impossible(problem, cands, unmended, started, params)) is not None:
        return impossible
    scoring_started = time.perf_counter()
    best = score(problem, roster).total
    scoring = time.perf_counter() - scoring_started
    finish = _finish_by(started, params, scoring)
    report = _Raised(on_progress, _known_bound(problem, cands, None))
    checkpoints = _Checkpoints(params.checkpoint_every)
    report(Progress(best, 0.0, time.perf_counter() - started, 0, checkpoints.roster(lambda: roster)))
    # The planner has a roster; now the transport programme's plan for a better one, and its bound.
    plan = _transport(problem, cands, params)
    if plan is not None:
        report.bound = max(report.bound, plan.bound)
    if plan is not None and plan.groups > 1 and not hint:
        planned, unmended = first_roster(problem, cands, (), repair_until, stop, params.seed, plan, responder)
        if not unmended and (total := score(problem, planned).total) < best:
            roster, best = planned, total
            report(Progress(best, 0.0, time.perf_counter() - started, 0, checkpoints.roster(lambda: roster)))
    # Checking and scoring what the handover hands back takes about twice as long as scoring.
    handover_by = min(finish - 2 * scoring, time.perf_counter() + HANDOVER_SHARE * params.time_limit)
    handed = hand_over(problem, cands, roster, handover_by)
    if handed is not roster:
        handed, unmended = clean_roster(problem, handed)
        if not unmended and (total := score(problem, handed).total) < best:
            roster, best = handed, total
            report(Progress(best, 0.0, time.perf_counter() - started, 0, checkpoints.roster(lambda: roster)))
    if responder is not None:
        roster = _best_responses(
            responder, roster, best, finish, stop, report, started, checkpoints, EXCHANGE_TURN
        )
    # Where the responses used all the time (Curtois & Qu's years), scoring their roster again for
    # neighbourhoods with no time left only delays the result (half a second on a 150-staff year).
    if time.perf_counter() < finish:
        if responder is not None:
            best = score(problem, roster).total
        lns = LargeNeighbourhoodSearch(problem, cands, roster, seed=params.seed, workers=params.workers)

        def improved(new: list[Assignment]) -> None:
            # A step saves exactly what it says (its model counts the fairness loads of the people
            # it leaves out), so the whole roster is scored again only after a repair, which is
            # kept whatever it costs: the roster it mended broke a rule.
            nonlocal best
            best = score(problem, new).total if lns.repaired else best - lns.gain
            elapsed = time.perf_counter() - started
            report(Progress(best, 0.0, elapsed, lns.improvements, checkpoints.roster(lambda: new)))

        lns.run(finish, stop, improved)
        roster = lns.roster
    roster, unmended = clean_roster(problem, roster)
    stopped = stop is not None and stop.is_set()
    if unmended:
        reasons = [b.message for b in unmended[:20]]
        return RosterResult(
            SolveStatus.NO_SOLUTION,
            (),
            None,
            None,
            time.perf_counter() - started,
            explanation=("No roster keeping every rule was found in time; the best one breaks:", *reasons),
            stopped=stopped,
        )
    seconds = time.perf_counter() - started
    return _roster_result(
        problem,
        cands,
        roster,
        score(problem, roster),
        stopped,
        seconds,
        report.bound,
    )


PERSON_STAFF = 400
"""Best responses (``person_search``) are used up to this many staff: one person's model takes a
tenth of a second to build and a second to solve, so a sweep through more would not end in time."""
PERSON_SHARE = 0.2
"""The share of the time left that best responses may take before the model's neighbourhoods.
Where column generation dived, little is left and the share hardly matters; where it did not
(Curtois Instance 13), the responses save little after their first seconds and the
neighbourhoods save most (session 23, 60 s, seeds 1-4: 2,274-2,408 with 0.2 against 2,496-2,935
in seven runs with 0.6; Instances 15, 19 and 21 within their spread, seeds 1 and 2)."""
EXCHANGE_TURN = 2.0
"""Seconds of best responses (at least; twice the last pass over the days when that took longer)
between passes of the day exchange (``day_exchange``), whose moves of several people at once free
the responses to go on: on problems too large for one model, and on a roster dived from column generation.
Where the model's neighbourhoods follow a roster that did not come from a dive, a pass only when
the responses stop: they leave the neighbourhoods more time, which save faster there (session 19,
Curtois, 60 s, seeds 1 and 2, without turns against with: Instance 13, no dive, 2,861 and 3,258
against 3,370 and 3,716; after a dive, Instance 15 4,228 and 4,119 against 3,913 and 3,959,
Instance 19 3,768 and 4,093 against 3,978 and 3,675, Instance 21 23,849 against 22,905; seed 0
with turns: Instance 15 3,899, Instance 21 24,748 — single runs spread that far)."""
STALL_SHARE = 0.005
"""Best responses that save no more than this share of the roster's cost in their patience have
stalled, and give way too (session 22, Curtois Instance 13: after 22 s they saved 24 points in the
next 15 s, where the neighbourhoods that followed saved 870 in 19 s)."""
PATIENCE_SHARE, PATIENCE_FLOOR = 0.1, 2.0
"""Best responses give way to neighbourhoods after this share of their time (at least this many
seconds) without a saving: on a Games-shaped demo of 400 staff, whose constructive roster is
already each person's best, a sweep only cost time (a person's model takes half a second there)."""


def _responder(
    problem: RosterProblem, cands: Candidates, params: SolveParameters
) -> person_search.PersonSearch | None:
    """Best responses, one person at a time, when they fit the problem (see ``PERSON_STAFF``)."""
    if len(problem.staff) > PERSON_STAFF or not person_search.usable(problem, params.hard_coverage):
        return None
    return person_search.PersonSearch(problem, cands, [], seed=params.seed, workers=params.workers)


def _best_responses(
    search: person_search.PersonSearch,
    roster: list[Assignment],
    total: float,
    until: float,
    stop: threading.Event | None,
    report: ProgressCallback,
    started: float,
    checkpoints: _Checkpoints,
    turn: float = math.inf,
) -> list[Assignment]:
    """``roster`` (costing ``total``) improved by one person's best response after another until
    none saves anything (or their savings stall, ``STALL_SHARE``) and a pass of the day exchange
    after them saves no more than that, ``until`` (perf_counter seconds) or ``stop``; a pass runs
    whenever the responses stop saving, or after ``turn`` seconds of them, and takes in the
    weekends when the responses no longer save, or save more slowly than that would
    (``DayExchange.weekends_pay``), two weekends at a time once a pass over the days and single
    weekends saves no more than the responses' stall share."""
    search.load(roster)
    saved = search.gain

    def improved() -> None:
        elapsed = time.perf_counter() - started
        report(
            Progress(
                total - (search.gain - saved),
                0.0,
                elapsed,
                search.improvements,
                checkpoints.roster(search.roster),
            )
        )

    patience = max(PATIENCE_FLOOR, PATIENCE_SHARE * (until - time.perf_counter()))
    exchange = DayExchange(search)
    while time.perf_counter() < until and not (stop is not None and stop.is_set()):
        began, gain = time.perf_counter(), search.gain
        turn_ends = min(until, began + turn)
        worth = STALL_SHARE * (total - (search.gain - saved))
        search.run(turn_ends, stop, improved, patience, worth)
        responses_done = time.perf_counter() < turn_ends - 0.1  # no one's response saves (much)
        pace = (search.gain - gain) / max(1e-3, time.perf_counter() - began)
        exchanged = exchange.run(until, stop, responses_done or exchange.weekends_pay(pace), worth)
        if exchanged > 0:
            improved()
        if responses_done and exchanged <= worth:
            break
        turn = max(turn, 2 * exchange.day_seconds)
    return search.roster()


DIVE_FACTOR = 2.0
"""A dive takes about this many times as long as the generation before it (Curtois & Qu, 60 s,
session 8: Instance 7 0.8, Instance 9 2, Instance 12 2.5): the generation gets the share of the
time left that leaves its dive that much, and gives up when its rounds say it would not converge
in it. Session 10 (shortest-path pricing, dives in steps): Instance 12 4,267 with 2.5 and 4,682
with 1.5, Instance 15 4,455 with 1.5 and no dive with 2.5 (its programme still falling)."""
EXPECTED_ROUNDS = 30
"""Rounds column generation takes to converge (Curtois & Qu: Instance 9 19, Instance 12 26-29;
Instances 10 and 16 converge in their time although their first rounds' pace would not fit
thirty, so only a single round over its share makes it give up)."""
REDIVE_GAP = 0.01
"""A dive's roster further than this above the bound is dived again, when time allows."""
REDIVES = 8
"""Most dives again: on a small problem each takes a fraction of a second, and diving on until
the time is up left CP-SAT no time to prove Instance 1 optimal (54 s instead of 1.5 s; with
four, 0.9-1.0 s). Two were too few for Curtois Instance 6, whose dives land near 2,045-2,160
(session 14: a full run ended at 2,040 against 1,951), and four too (session 15: one dive in two
landed there, five in a row once in a full run, 2,043; a 60 s run took four dives of 1.3-2.2 s
to reach 1,952)."""
SETTLING = 0.075
"""A generation that did not converge in its time still dives when its programme fell by less than
this share over its last three rounds. Session 15: Curtois Instance 19's programme fell 1-2 % a round at
the end of its share (33-41 rounds, 3.6-5.7 % over three), just above the 3 % that was the rule,
and without a dive six 60 s runs ended at 4,116-4,507, with a dive at 3,735-4,207 (three); Instance
13's falls 8-10 % a round, and diving from there leaves rosters far worse than not diving."""
POLISH_SHARE = 0.25
"""The share of the time left kept after a dive for best responses and neighbourhoods: right after
a dive they save fast (Curtois Instance 19: 500 points in 3 s). Session 14, 60 s runs: Instance 15
3,886-4,111 (five runs) with a quarter against 4,008-4,357 (six) with a tenth, Instance 19
3,406-3,661 (four) against 3,593-3,932 (three); a fifth gave 4,024-4,138 and 3,707-3,857; with
0.3 Instance 19's generation had too little time to settle and did not dive (4,013)."""


def _generated(
    problem: RosterProblem,
    search: person_search.PersonSearch,
    roster: list[Assignment],
    total: float,
    finish: float,
    stop: threading.Event | None,
    report: _Raised,
    started: float,
    checkpoints: _Checkpoints,
    params: SolveParameters,
) -> tuple[list[Assignment], float]:
    """The roster dived from column generation and what it costs, when the generation converges
    in its time or is settling there (its programme's value hardly falls any more) and the
    dive's roster is cheaper than ``roster`` (costing ``total``), else
    ``roster`` and ``total``; the generation's bound raises ``report``'s."""
    now = time.perf_counter()
    dive_by = finish - POLISH_SHARE * (finish - now)
    generation = ColumnGeneration(search, roster, total, params.workers)
    try:
        generation.run(now + (dive_by - now) / (1 + DIVE_FACTOR), stop, expected_rounds=EXPECTED_ROUNDS)
    except ProgrammeError:
        return roster, total  # the rounds' bounds stand; the responses go on from ``roster``
    finally:
        report.bound = max(report.bound, generation.bound)
    if not (generation.converged or generation.settling(share=SETTLING)):
        return roster, total
    dived, dived_total = roster, total
    # A programme still settling mixes rosters far from any one person's: fixing whole people
    # from it forces the others' disputed days, so its first dive pins days (see ``dive``).
    by_days_first = not generation.converged
    for k in range(1 + REDIVES):
        began = time.perf_counter()
        try:
            by_days = (k % 2 == 0) == by_days_first
            again, unmended = clean_roster(problem, generation.dive(dive_by, stop, by_days))
        except ProgrammeError:
            break
        report.bound = max(report.bound, generation.bound)  # the dive's first step generates on
        again_total = score(problem, again).total
        if not unmended and again_total < dived_total:
            dived, dived_total = again, again_total
        # A dive can land far above the bound where the polish cannot leave (Curtois Instance 6:
        # two runs in five near 2,045 against 1,951): dive again while there is time for it.
        now = time.perf_counter()
        if dived_total <= (1 + REDIVE_GAP) * report.bound or now + 2 * (now - began) > dive_by:
            break
        if stop is not None and stop.is_set():
            break
    if dived_total >= total:
        return roster, total
    report(Progress(dived_total, 0.0, time.perf_counter() - started, 1, checkpoints.roster(lambda: dived)))
    return dived, dived_total


REPAIR_SHARE = 0.5
"""The share of the time left after the model is built that the first roster's repair may take.
It ends as soon as the roster keeps every rule (seconds, usually), so the share only matters when
it does not: without a valid first roster a large model finds none at all (Curtois Instance 21 on
a machine three times slower than usual: the model took 8 s, the first roster 10 s and its repair
7.5 s, which the 18 s measured from the start of the solve did not leave)."""


def _repair_until(started: float, params: SolveParameters) -> float:
    """When the first roster's repair must stop (perf_counter seconds)."""
    now = time.perf_counter()
    return now + REPAIR_SHARE * max(0.0, started + params.time_limit - now)


FINAL_CHECKS = 6
"""The check, scoring and explanation of the final roster, and the last responses running on,
take up to this many times as long as scoring the first roster: with four, Curtois Instance 23
and a random instance of 150 staff over a year ended 0.5-0.8 s after a 60 s limit (session 19)."""


FINAL_SECONDS = 0.5
"""Kept at the end of every solve besides ``FINAL_CHECKS``: ending the searches' threads, freeing
their models and one full garbage collection took 0.2-0.3 s on the smallest Curtois instances,
whose scoring takes milliseconds (session 20, once the reported time included them)."""


def _finish_by(started: float, params: SolveParameters, scoring_seconds: float) -> float:
    """When the search must end for the check, scoring and explanation of its roster to fit in
    the time limit (see ``FINAL_CHECKS``, ``FINAL_SECONDS`` and ``_Collection``)."""
    return started + params.time_limit - FINAL_CHECKS * scoring_seconds - FINAL_SECONDS - _Collection.seconds


def _chosen(problem: RosterProblem, model: RosterModel, values: Sequence[int]) -> list[Assignment]:
    """The assignments of a solution (every variable's value, by index; pins marked)."""
    shifts = model.cands.shifts
    pinned = {(a.service_number, a.shift_key) for a in problem.published if a.pinned}
    keys, indices = model.assignment_indices
    taken = np.flatnonzero(np.asarray(values, dtype=np.int64)[indices])
    return [
        Assignment(shifts[i].key, sn, line, pinned=(sn, shifts[i].key) in pinned)
        for sn, i, line in (keys[k] for k in taken)
    ]


def _known_bound(problem: RosterProblem, cands: Candidates, plan: TransportPlan | None) -> float:
    """The better of the slot bound and the transport bound (when there is a plan)."""
    return max(slot_lower_bound(problem, cands), 0.0 if plan is None else plan.bound)


def _searched_bound(solver: cp_model.CpSolver | None) -> float:
    """CP-SAT's bound when it searched the whole model (it can be weak or negative early on)."""
    return 0.0 if solver is None else max(0.0, solver.best_objective_bound / 60)


TRANSPORT_SHARE = 0.4
"""The most of the time limit the transport programme may take (it needs 7-11 s on a 4,000-staff
Games demo: a quarter of a 30 s solve was sometimes too little for even the plan, which saves
more than the neighbourhoods do in the rest of the time)."""


HANDOVER_SHARE = 0.25
"""The most of the time limit for handing shifts to people who work them for less (``handover``):
on a 4,000-staff Games demo its first pass takes 8-10 s and saves about 2 % of the objective, each
later one 4 s for a tenth of that, where the neighbourhoods save 0.1 % in 40 s (120 s runs: 941,213
with 0.15, 940,467 with 0.25)."""


def _transport(problem: RosterProblem, cands: Candidates, params: SolveParameters) -> TransportPlan | None:
    """The transport programme's bound and plan (see ``transport``), when solved in its time."""
    return transport_plan(problem, cands, TRANSPORT_SHARE * params.time_limit)


def _roster_result(
    problem: RosterProblem,
    candidates: Candidates,
    roster: list[Assignment],
    scored: Score,
    stopped: bool,
    seconds: float,
    bound: float | None,
    status: SolveStatus = SolveStatus.FEASIBLE,
) -> RosterResult:
    """The result for a roster, its cost recomputed by the scorer.

    CP-SAT's reported objective can lag its final solution (seen with combined LNS solutions, the
    reported value above the solution's true cost), so the scorer's figure is the one reported.
    """
    counts: dict[tuple[str, int], int] = {}
    for a in roster:
        counts[(a.shift_key, a.line)] = counts.get((a.shift_key, a.line), 0) + 1
    shortfalls = tuple(
        Shortfall(s.key, j, line.count - counts.get((s.key, j), 0), line.describe())
        for s in problem.operation.shifts
        for j, line in enumerate(s.demand)
        if counts.get((s.key, j), 0) < line.count
    )
    published = {(a.shift_key, a.service_number) for a in problem.published}
    kept = {(a.shift_key, a.service_number) for a in roster}
    return RosterResult(
        status,
        tuple(roster),
        scored.total,
        bound,
        seconds,
        breakdown=scored.terms,
        shortfalls=shortfalls,
        explanation=tuple(explain_shortfalls(problem, candidates, shortfalls)),
        changes=len(published - kept),
        stopped=stopped,
    )


def _with_explanation(result: RosterResult, reasons: list[str], note: str) -> RosterResult:
    return replace(result, explanation=(*reasons, note, *result.explanation))
