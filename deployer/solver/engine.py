"""Solving a roster problem: build, search with progress and stop, read back a domain result."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from deployer.domain.problem import RosterProblem, RosterResult, Shortfall, SolveStatus
from deployer.domain.problem_checks import check_problem
from deployer.domain.roster import Assignment
from deployer.domain.scoring import Score, score
from deployer.domain.validator import Breach, hard_breaches, validate
from deployer.solver.bounds import slot_lower_bound
from deployer.solver.candidates import Candidates
from deployer.solver.explain import explain_core, explain_shortfalls, explain_unpinnable
from deployer.solver.greedy import greedy_roster
from deployer.solver.lns import LargeNeighbourhoodSearch
from deployer.solver.model import RosterModel, UnpinnableError


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


CP_SAT_SHARE = 0.4
"""Share of the time limit CP-SAT searches the whole model before neighbourhood search takes over."""
REPAIR_SHARE = 0.5
"""Share of the time limit to spend at most repairing a first roster that breaks a minimum."""


@dataclass(frozen=True)
class Progress:
    """One improving roster found during the search."""

    objective: float
    bound: float
    elapsed: float
    solutions: int


ProgressCallback = Callable[[Progress], None]


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_progress: ProgressCallback | None, started: float) -> None:
        super().__init__()
        self.on_progress = on_progress
        self.started = started
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self.on_progress is not None:
            self.on_progress(
                Progress(
                    self.objective_value / 60,
                    max(0.0, self.best_objective_bound / 60),
                    time.perf_counter() - self.started,
                    self.solutions,
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
    if len(problem.staff) * len(problem.operation.shifts) > params.full_model_limit:
        return _solve_large(problem, params, on_progress, stop, hint, started)
    return _solve_full(problem, params, on_progress, stop, hint, started)


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
    except UnpinnableError as error:
        return RosterResult(
            SolveStatus.INFEASIBLE,
            (),
            None,
            None,
            time.perf_counter() - started,
            explanation=(explain_unpinnable(problem, error.assignment),),
        )
    deadline = started + params.time_limit
    first = _first_roster(problem, candidates, hint, started + params.time_limit * REPAIR_SHARE, stop, params)
    first_score = score(problem, first) if first else None
    if on_progress is not None and first_score is not None:
        on_progress(Progress(first_score.total, 0.0, time.perf_counter() - started, 0))
    if first:
        model.hint(first)
    # CP-SAT on the whole model first (it may prove the roster optimal), then neighbourhoods.
    whole = params.time_limit * CP_SAT_SHARE if first else params.time_limit
    solver, status, stopped = _run(model, replace(params, time_limit=whole), on_progress, stop, started)
    bound = _bound(solver, problem, candidates)
    best, best_score = first, first_score
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = _chosen(problem, model, solver)
        chosen_score = score(problem, chosen)
        if best_score is None or chosen_score.total <= best_score.total + 1e-6:
            best, best_score = chosen, chosen_score
        if status == cp_model.OPTIMAL:
            seconds = time.perf_counter() - started
            return _roster_result(
                problem, candidates, best, best_score, stopped, seconds, bound, SolveStatus.OPTIMAL
            )
    if best_score is not None and status != cp_model.INFEASIBLE:
        if not stopped:
            best = _improve(problem, candidates, best, deadline, stop, on_progress, started, params)
            best_score = score(problem, best)
        stopped = stop is not None and stop.is_set()
        return _roster_result(
            problem, candidates, best, best_score, stopped, time.perf_counter() - started, bound
        )
    if status == cp_model.INFEASIBLE:
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
    on_progress: ProgressCallback | None,
    stop: threading.Event | None,
    started: float,
) -> tuple[cp_model.CpSolver, Any, bool]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, params.time_limit - (time.perf_counter() - started))
    solver.parameters.num_workers = max(1, params.workers)
    solver.parameters.random_seed = params.seed
    solver.parameters.log_search_progress = params.log
    # Probing in presolve costs seconds on rostering models and buys little; the hint matters more.
    solver.parameters.cp_model_probing_level = params.probing_level
    reporter = _Reporter(on_progress, started)
    finished = threading.Event()
    stopped = False

    def watch() -> None:
        nonlocal stopped
        while stop is not None and not finished.wait(0.05):
            if stop.is_set():
                stopped = True
                solver.stop_search()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        status = solver.solve(model.model, reporter)
    finally:
        finished.set()
        watcher.join()
    return solver, status, stopped


def _explain_run(problem: RosterProblem, candidates: Candidates, params: SolveParameters) -> list[str]:
    """Solve again with every constraint that can fail behind an assumption, to find a core."""
    model = RosterModel(problem, candidates, hard_coverage=params.hard_coverage, explain=True)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(1.0, params.time_limit / 2)
    solver.parameters.num_workers = 1
    if solver.solve(model.model) != cp_model.INFEASIBLE:
        return []
    return [model.assumptions.get(abs(i), "") for i in solver.sufficient_assumptions_for_infeasibility()]


def clean_roster(
    problem: RosterProblem, assignments: list[Assignment]
) -> tuple[list[Assignment], list[Breach]]:
    """``assignments`` less any the validator finds in a hard breach, and the breaches that removing
    shifts cannot mend (a minimum of hours not reached): a roster is usable only when those are none."""
    while True:
        breaches = hard_breaches(validate(problem, assignments))
        bad = {(b.service_number, key) for b in breaches for key in b.shift_keys[-1:]}
        if not bad:
            return assignments, breaches
        assignments = [a for a in assignments if (a.service_number, a.shift_key) not in bad]


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
    deadline = started + params.time_limit
    roster = _first_roster(problem, cands, hint, deadline, stop, params)
    if not roster:
        roster, _ = clean_roster(problem, list(hint) or greedy_roster(problem, cands))
    else:
        report = on_progress or (lambda progress: None)
        report(Progress(score(problem, roster).total, 0.0, time.perf_counter() - started, 0))
        roster = _improve(problem, cands, roster, deadline, stop, on_progress, started, params)
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
        slot_lower_bound(problem, cands),
    )


def _first_roster(
    problem: RosterProblem,
    cands: Candidates,
    hint: Sequence[Assignment],
    deadline: float,
    stop: threading.Event | None,
    params: SolveParameters,
) -> list[Assignment]:
    """A valid first roster: the hint or the constructive roster, cleaned of breaches; when that
    leaves minimums unmet (hours, runs of work or rest), repaired by search. Empty if none in time."""
    roster, unmended = clean_roster(problem, list(hint) or greedy_roster(problem, cands))
    if not unmended:
        return roster
    relaxed = _relaxed(problem)
    lns = LargeNeighbourhoodSearch(
        relaxed, Candidates(relaxed, people=[]), roster, seed=params.seed, workers=params.workers
    )
    lns.focus = {b.service_number for b in unmended if b.service_number}

    def repaired(new: list[Assignment]) -> bool:
        breaches = hard_breaches(validate(problem, new))
        lns.focus = {b.service_number for b in breaches if b.service_number}
        return not breaches

    lns.run(deadline, stop, repaired)
    roster, unmended = clean_roster(problem, lns.roster)
    return [] if unmended else roster


MINIMUM_RULES = frozenset({"total_minutes", "min_consecutive_days", "min_consecutive_days_off"})
"""Rules a roster can break by having too little work; removing shifts cannot mend them."""


def _relaxed(problem: RosterProblem) -> RosterProblem:
    """``problem`` with its minimum rules priced instead of forbidden, dearer than any unfilled
    shift: any roster keeping the other rules is then a starting point, and search prices the
    broken minimums down to nothing."""
    policy = problem.operation.policy
    unfilled = [line.under_cost or 0 for s in problem.operation.shifts for line in s.demand]
    price = 10 * max([problem.weights.unfilled, problem.weights.soft_rule, *unfilled])
    return replace(
        problem,
        operation=replace(
            problem.operation, policy=replace(policy, soft_rules=policy.soft_rules | MINIMUM_RULES)
        ),
        weights=replace(problem.weights, soft_rule=price),
    )


def _improve(
    problem: RosterProblem,
    cands: Candidates,
    roster: list[Assignment],
    deadline: float,
    stop: threading.Event | None,
    on_progress: ProgressCallback | None,
    started: float,
    params: SolveParameters,
) -> list[Assignment]:
    """The best roster large-neighbourhood search finds from ``roster`` by ``deadline``."""
    best = score(problem, roster).total
    report = on_progress or (lambda progress: None)
    lns = LargeNeighbourhoodSearch(
        problem, cands, roster, seed=params.seed, workers=params.workers, step_seconds=_step_seconds(params)
    )
    kept = list(roster)

    def improved(new: list[Assignment]) -> bool:
        # A step judges its neighbourhood only; the heaviest load of a rank is global, so the
        # whole roster can come out dearer. Keep the best whole roster, search on from it.
        nonlocal best, kept
        total = score(problem, new).total
        if total < best:
            best, kept = total, list(new)
            report(Progress(best, 0.0, time.perf_counter() - started, lns.improvements))
        else:
            lns.roster = list(kept)
        return False

    lns.run(deadline, stop, improved)
    return kept


def _step_seconds(params: SolveParameters) -> float:
    """Long enough for CP-SAT to settle a neighbourhood, short enough for many steps."""
    return min(4.0, max(0.5, params.time_limit / 60))


def _chosen(problem: RosterProblem, model: RosterModel, solver: cp_model.CpSolver) -> list[Assignment]:
    """The assignments of the solver's solution (pins marked)."""
    shifts = model.cands.shifts
    pinned = {(a.service_number, a.shift_key) for a in problem.published if a.pinned}
    return [
        Assignment(shifts[i].key, sn, line, pinned=(sn, shifts[i].key) in pinned)
        for (sn, i, line), var in model.x.items()
        if solver.boolean_value(var)
    ]


def _bound(solver: cp_model.CpSolver, problem: RosterProblem, cands: Candidates) -> float:
    """The better of CP-SAT's bound and the slot bound (CP-SAT's can be weak or negative early on)."""
    return max(0.0, solver.best_objective_bound / 60, slot_lower_bound(problem, cands))


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
