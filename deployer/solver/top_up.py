"""Topping up a roster for people short of their minimum hours.

Filling demand alone leaves people below a contracted minimum when demand is lower than the
hours people must work (the Curtois & Qu instances are built that way). Topping up adds shifts
to each such person, keeping every rule the constructive roster keeps and also the run rules it
does not check: new work extends an existing run or starts a block of at least the minimum run,
and no day-off gap shorter than the minimum is left. Shifts still short of demand come first,
then those where a surplus is allowed and cheapest; requested shifts off are avoided.
"""

from __future__ import annotations

from collections import defaultdict

from deployer.domain.problem import RosterProblem
from deployer.domain.requests import TimeOff
from deployer.domain.roster import Assignment
from deployer.domain.rules import personal
from deployer.domain.staff import StaffMember
from deployer.solver.candidates import Candidate, Candidates
from deployer.solver.greedy import PersonState


def top_up(problem: RosterProblem, cands: Candidates, roster: list[Assignment]) -> list[Assignment]:
    """``roster`` plus shifts for everyone below their minimum total minutes (as far as rules allow)."""
    short = [p for p in problem.staff if p.limits.min_total_minutes]
    if not short:
        return roster
    filled: dict[tuple[int, int], int] = defaultdict(int)
    mine: dict[str, list[Assignment]] = defaultdict(list)
    for a in roster:
        filled[(cands.index[a.shift_key], a.line)] += 1
        mine[a.service_number].append(a)
    unwanted = TimeOff(problem.requests)
    added: list[Assignment] = []
    dropped: set[tuple[str, str]] = set()
    for person in short:
        state = PersonState(person, cands)
        for a in mine[person.service_number]:
            c = cands.candidate(person, cands.index[a.shift_key], a.line)
            if c is not None:
                state.take(c)
        filler = _Filler(problem, cands, person, state, filled, unwanted)
        added += filler.fill()
        dropped |= {(a.shift_key, a.service_number) for a in filler.dropped}
    return [a for a in roster if (a.shift_key, a.service_number) not in dropped] + added


class _Filler:
    """Adds shifts to one person until their minimum is reached or nothing more fits."""

    def __init__(
        self,
        problem: RosterProblem,
        cands: Candidates,
        person: StaffMember,
        state: PersonState,
        filled: dict[tuple[int, int], int],
        unwanted: TimeOff,
    ) -> None:
        self.problem, self.cands, self.person, self.state = problem, cands, person, state
        self.filled, self.unwanted = filled, unwanted
        policy = problem.operation.policy
        self.min_run = max(1, personal(policy, person, "min_consecutive_days") or 1)
        self.min_rest = max(1, personal(policy, person, "min_consecutive_days_off") or 1)
        self.days = len(problem.operation.days)
        self.by_day: dict[int, list[Candidate]] = defaultdict(list)
        """The person's candidates by day, looked up at once (days are priced again and again:
        asking line by line took 10 s of a 150-person year of 32 shift types)."""
        for c in cands.of_person(person):
            self.by_day[cands.day_of[c.shift]].append(c)
        self.dropped: list[Assignment] = []
        """Assignments of the roster given that a longer shift the same day replaced."""

    def fill(self) -> list[Assignment]:
        """Add blocks day by day, cheapest days first, until the minimum is reached."""
        out: list[Assignment] = []
        goal = self.person.limits.min_total_minutes or 0
        progress = True
        while self.state.total < goal and progress:
            progress = False
            for d in sorted(range(self.days), key=self._day_price):
                if self.state.total >= goal:
                    break
                block = self._block(d)
                for c in block:
                    self.filled[(c.shift, c.line)] += 1
                    out.append(Assignment(self.cands.shifts[c.shift].key, self.person.service_number, c.line))
                progress = progress or bool(block)
            if not progress and self.state.total < goal:
                progress = self._lengthen(out)
        return out

    def _lengthen(self, out: list[Assignment]) -> bool:
        """Swap one worked shift for a longer one the same day (when no day can be added)."""
        for day, current in sorted(self.state.taken.items()):
            self.state.untake(current)
            longer = [
                c
                for c in self._options(day)
                if self.cands.length[c.shift] > self.cands.length[current.shift] and self.state.can_take(c)
            ]
            if longer:
                choice = min(longer, key=self._price)
                self.state.take(choice)
                self.filled[(current.shift, current.line)] -= 1
                self.filled[(choice.shift, choice.line)] += 1
                old_key = self.cands.shifts[current.shift].key
                out[:] = [a for a in out if a.shift_key != old_key]
                self.dropped.append(Assignment(old_key, self.person.service_number, current.line))
                out.append(
                    Assignment(self.cands.shifts[choice.shift].key, self.person.service_number, choice.line)
                )
                return True
            self.state.take(current)
        return False

    def _day_price(self, day: int) -> float:
        return min((self._price(c)[0] for c in self._options(day)), default=float("inf"))

    def _block(self, first: int) -> list[Candidate]:
        """New work from ``first``: one day extending a run, or a new run of the minimum length;
        taken into the person's state when every day fits and the gaps around stay legal."""
        taken = self.state.taken
        extends = (first - 1) in taken or (first + 1) in taken
        days = range(first, first + (1 if extends else self.min_run))
        if days[-1] >= self.days or any(d in taken for d in days):
            return []
        if not (self._gap_ok(first - 1, -1) and self._gap_ok(days[-1] + 1, +1)):
            return []
        block: list[Candidate] = []
        for d in days:
            options = sorted((c for c in self._options(d) if self.state.can_take(c)), key=self._price)
            if not options:
                break
            self.state.take(options[0])
            block.append(options[0])
        if len(block) == len(days) and self._run_ok(first, len(days)):
            return block
        for c in reversed(block):
            self.state.untake(c)
        return []

    def _gap_ok(self, day: int, step: int) -> bool:
        """The days off between the new work and the next worked day that way are none or enough."""
        gap = 0
        while 0 <= day < self.days and day not in self.state.taken:
            gap += 1
            day += step
        touches_edge = not (0 <= day < self.days)
        return gap == 0 or touches_edge or gap >= self.min_rest

    def _run_ok(self, first: int, length: int) -> bool:
        """The run holding the new days is long enough (or touches an edge of the horizon)."""
        start, end = first, first + length - 1
        while start - 1 in self.state.taken:
            start -= 1
        while end + 1 in self.state.taken:
            end += 1
        return end - start + 1 >= self.min_run or start == 0 or end == self.days - 1

    def _options(self, day: int) -> list[Candidate]:
        """The person's candidates on ``day`` whose line still takes someone."""
        shifts, filled = self.cands.shifts, self.filled
        return [
            c
            for c in self.by_day.get(day, ())
            if filled[(c.shift, c.line)] < (line := shifts[c.shift].demand[c.line]).count
            or line.over_cost is not None
        ]

    def _price(self, c: Candidate) -> tuple[float, int]:
        """Cheapest first: still-needed lines, then the least costly surplus; shifts asked off last."""
        shift = self.cands.shifts[c.shift]
        line = shift.demand[c.line]
        surplus = self.filled[(c.shift, c.line)] >= line.count
        cost = (line.over_cost or 0) if surplus else -self.problem.weights.shortfall(line)
        asked_off = self.unwanted.asked(self.person.service_number, shift.day, shift.label)
        return cost + (1000 if asked_off else 0), c.shift
