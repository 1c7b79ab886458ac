"""Why a roster falls short or cannot exist, in planner words."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ortools.sat.python import cp_model

from deployer.domain.problem import RosterProblem, Shortfall
from deployer.domain.roster import Assignment
from deployer.domain.rules import describe_shift, hours_text, qualification_gaps
from deployer.solver.candidates import Candidates
from deployer.solver.model import RosterModel

PERSON_SECONDS = 2.0
"""Most time one person's rules alone get to be proven impossible (a tenth of a second, usually)."""


def _place(problem: RosterProblem, site: str) -> str:
    location = problem.travel.locations.get(site)
    if location is None:
        return site
    city = problem.travel.locations.get(location.city or "")
    return f"{location.name}, {city.name}" if city else location.name


def _line_sentence(
    problem: RosterProblem, candidates: Candidates, shift_index: int, line: int, missing: int | None = None
) -> str:
    shift = candidates.shifts[shift_index]
    demand = shift.demand[line]
    able = len(candidates.people_for(shift_index, line))
    when = f"{shift.start:%a %d %b} {shift.label or shift.start.strftime('%H:%M')} shift"
    head = f"'{demand.describe()}' at {_place(problem, shift.site)} on {when} needs {demand.count}"
    if missing is not None:
        head += f" and is {missing} short"
    if able < demand.count:
        return f"{head}; only {able} qualified staff can reach it within travel, leave and duty rules."
    return (
        f"{head}; {able} qualified staff could reach it, but rest, hours, consecutive-day and "
        "deployment rules, and other shifts at the same time, leave too few of them free."
    )


def explain_shortfalls(
    problem: RosterProblem, candidates: Candidates, shortfalls: Sequence[Shortfall]
) -> list[str]:
    """One sentence per short demand line, the largest shortfalls first (at most 50)."""
    ordered = sorted(shortfalls, key=lambda s: (-s.missing, s.shift_key, s.line))
    sentences = [
        _line_sentence(problem, candidates, candidates.index[s.shift_key], s.line, s.missing)
        for s in ordered[:50]
    ]
    if len(ordered) > 50:
        rest = sum(s.missing for s in ordered[50:])
        sentences.append(f"… and {len(ordered) - 50} more short lines ({rest} people in all).")
    return sentences


def explain_core(problem: RosterProblem, candidates: Candidates, core: Sequence[str]) -> list[str]:
    """Turn the names of an infeasible set of constraints into sentences."""
    sentences = []
    people = {p.service_number: p for p in problem.staff}
    for item in core:
        kind, _, rest = item.partition(" ")
        if kind == "cover":
            key, _, line = rest.rpartition(" line ")
            sentences.append(_line_sentence(problem, candidates, candidates.index[key], int(line)))
        elif kind == "minimum":
            person = people[rest]
            open_minutes = _most_minutes(candidates, rest)
            sentences.append(
                f"{person.rank} {rest} ({person.name}) must work at least "
                f"{hours_text(person.limits.min_total_minutes or 0)}; the shifts open to them "
                f"(skills, leave, reach) add up to at most {hours_text(open_minutes)} one a day, and "
                "rest and consecutive-day rules allow less."
            )
        elif kind == "pinned":
            number, _, key = rest.partition(" ")
            person = people[number]
            shift = candidates.shifts[candidates.index[key]]
            sentences.append(
                f"{person.rank} {number} ({person.name}) is pinned to "
                f"{describe_shift(shift, problem.travel.locations)}, which clashes with "
                "other pinned shifts or the fatigue rules."
            )
    return sentences or ["The rules contradict each other, but no single cause could be isolated in time."]


def _most_minutes(candidates: Candidates, number: str) -> int:
    best: dict[object, int] = defaultdict(int)
    for c in candidates.by_person.get(number, []):
        shift = candidates.shifts[c.shift]
        best[shift.day] = max(best[shift.day], shift.minutes)
    return sum(best.values())


def explain_unpinnable(problem: RosterProblem, assignment: Assignment) -> str:
    """Why a pinned assignment cannot be kept at all."""
    people = {p.service_number: p for p in problem.staff}
    shifts = {s.key: s for s in problem.operation.shifts}
    person, shift = people.get(assignment.service_number), shifts.get(assignment.shift_key)
    if person is None or shift is None:
        return (
            f"The pinned assignment of {assignment.service_number} to {assignment.shift_key} names "
            "an unknown person or shift."
        )
    reasons = []
    if assignment.line < len(shift.demand):
        reasons = qualification_gaps(person, shift.demand[assignment.line], shift.day, problem.ranks)
    detail = (
        "; ".join(reasons) or "they are on leave, cannot reach the site, or the shift breaks a duty limit"
    )
    return (
        f"{person.rank} {person.service_number} ({person.name}) is pinned to "
        f"{describe_shift(shift, problem.travel.locations)}, but cannot work it: {detail}."
    )


def explain_people(
    problem: RosterProblem, candidates: Candidates, numbers: Sequence[str], deadline: float
) -> list[str]:
    """Sentences for those of ``numbers`` who have no roster keeping their own rules whatever
    anyone else works (their rules alone are infeasible: then no roster exists), checked one
    after another until ``deadline`` (perf_counter seconds). A search that found no roster
    proves nothing; this does, and names who and, where it is their minimum hours, which limit.
    (Their model with the minimum behind an assumption took 25 s and more to prove what the
    plain one proves in a second, on a random instance of 50 staff over 26 weeks.)"""
    sentences: list[str] = []
    for number in numbers:
        person = problem.person(number)
        alone = replace(
            problem,
            staff=(person,),
            published=tuple(a for a in problem.published if a.service_number == number),
            requests=tuple(r for r in problem.requests if r.service_number == number),
        )
        cands = Candidates(alone, base=candidates)
        if _has_roster(alone, cands, deadline) is not False:
            continue
        unbounded = replace(person, limits=replace(person.limits, min_total_minutes=None))
        if person.limits.min_total_minutes and _has_roster(
            replace(alone, staff=(unbounded,)), cands, deadline
        ):
            sentences += explain_core(alone, cands, [f"minimum {number}"])
        else:
            sentences.append(
                f"{person.rank} {number} ({person.name}) has no roster that keeps all of their own "
                "limits together: runs of work and of days off, weekends, shifts of each kind and "
                "hours, with their leave and pinned shifts."
            )
    return sentences


def _has_roster(alone: RosterProblem, cands: Candidates, deadline: float) -> bool | None:
    """Whether the one person of ``alone`` has a roster keeping their rules (None: not known by
    ``deadline``)."""
    left = deadline - time.perf_counter()
    if left <= 0:
        return None
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = min(left, PERSON_SECONDS)
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2  # one person's hours against their runs
    status = solver.solve(RosterModel(alone, cands, scope=()).model)
    return (
        True
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        else False
        if status == cp_model.INFEASIBLE
        else None
    )
