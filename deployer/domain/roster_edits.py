"""Hand edits of a roster: assign, remove and swap, each undoable by its inverse.

Edits are built here from the roster as it stands, so that the grid, the undo stack and the
store all speak of the same two lists: assignments taken out and assignments put in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from deployer.domain.errors import DomainError
from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Assignment
from deployer.domain.rules import qualification_gaps

#: A roster keyed by (shift key, service number), the way edits look assignments up.
Roster = Mapping[tuple[str, str], Assignment]


@dataclass(frozen=True)
class RosterEdit:
    """One hand edit: assignments taken out, assignments put in, and the planner's words for it."""

    text: str
    removed: tuple[Assignment, ...] = ()
    added: tuple[Assignment, ...] = ()

    def inverse(self) -> RosterEdit:
        """The edit that undoes this one."""
        return RosterEdit(f"undo {self.text}", self.added, self.removed)

    @property
    def people(self) -> set[str]:
        return {a.service_number for a in (*self.removed, *self.added)}

    @property
    def shifts(self) -> set[str]:
        return {a.shift_key for a in (*self.removed, *self.added)}


def on_day(problem: RosterProblem, roster: Roster, service_number: str, day: date) -> list[Assignment]:
    """The person's assignments to shifts starting on ``day``."""
    return [
        a
        for shift in problem.operation.shifts
        if shift.day == day and (a := roster.get((shift.key, service_number))) is not None
    ]


def best_line(problem: RosterProblem, roster: Roster, service_number: str, shift_key: str) -> int:
    """The demand line a person should fill on a shift.

    The first line they qualify for that is still short, else the first they qualify for, else
    the first line (the validator will then say why they do not fit).
    """
    shift = problem.operation.shift(shift_key)
    person = problem.person(service_number)
    filled = [0] * len(shift.demand)
    for (key, _), a in roster.items():
        if key == shift_key and a.line < len(filled):
            filled[a.line] += 1
    fitting = [
        i
        for i, line in enumerate(shift.demand)
        if not qualification_gaps(person, line, shift.day, problem.ranks)
    ]
    short = [i for i in fitting if filled[i] < shift.demand[i].count]
    return (short or fitting or [0])[0]


def assign(problem: RosterProblem, roster: Roster, service_number: str, shift_key: str) -> RosterEdit:
    """Put a person on a shift, taking them off whatever else they had that day."""
    shift = problem.operation.shift(shift_key)
    person = problem.person(service_number)
    if (shift_key, service_number) in roster:
        raise DomainError(f"{person.name}", shift_key, "is already rostered on this shift")
    removed = tuple(on_day(problem, roster, service_number, shift.day))
    others = {k: a for k, a in roster.items() if a not in removed}
    added = Assignment(shift_key, service_number, best_line(problem, others, service_number, shift_key))
    return RosterEdit(f"assign {person.name} to {shift_key}", removed, (added,))


def remove(problem: RosterProblem, roster: Roster, service_number: str, day: date) -> RosterEdit:
    """Take a person off every shift of ``day``."""
    removed = tuple(on_day(problem, roster, service_number, day))
    if not removed:
        raise DomainError(problem.person(service_number).name, str(day), "has no shift to remove")
    return RosterEdit(f"remove {problem.person(service_number).name} on {day}", removed)


def swap(problem: RosterProblem, roster: Roster, first: str, second: str, day: date) -> RosterEdit:
    """Exchange two people's shifts of ``day`` (either may be off that day, not both)."""
    mine = on_day(problem, roster, first, day)
    theirs = on_day(problem, roster, second, day)
    if first == second or not (mine or theirs):
        raise DomainError("swap", str(day), "needs two people, at least one of them rostered that day")
    removed = (*mine, *theirs)
    rest = {k: a for k, a in roster.items() if a not in removed}
    added = []
    for who, shifts in ((second, mine), (first, theirs)):
        for a in shifts:
            added.append(Assignment(a.shift_key, who, best_line(problem, rest, who, a.shift_key)))
            rest[(a.shift_key, who)] = added[-1]
    names = f"{problem.person(first).name} and {problem.person(second).name}"
    return RosterEdit(f"swap {names} on {day}", removed, tuple(added))


def apply(roster: dict[tuple[str, str], Assignment], edit: RosterEdit) -> None:
    """Carry ``edit`` out on ``roster`` in place."""
    for a in edit.removed:
        roster.pop((a.shift_key, a.service_number), None)
    for a in edit.added:
        roster[(a.shift_key, a.service_number)] = a
