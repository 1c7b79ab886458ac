"""A quick first roster: fill shifts in time order with the cheapest person who breaks no rule.

It gives the planner an answer within seconds on any size and seeds CP-SAT with a hint. The
checks here are incremental versions of the validator's rules; the engine still validates the
result and drops any assignment the validator objects to, so a gap here can cost quality but
never correctness.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Assignment
from deployer.domain.rules import minutes_by_day, weekend_of
from deployer.domain.staff import StaffMember
from deployer.solver.candidates import Candidate, Candidates


class _PersonState:
    """What one person has been given so far, with the checks that a new shift must pass."""

    def __init__(self, person: StaffMember, cands: Candidates) -> None:
        self.person = person
        self.cands = cands
        self.policy = cands.problem.operation.policy
        self.taken: dict[date, Candidate] = {}
        self.minutes: dict[date, int] = defaultdict(int)
        self.total = 0
        self.labels: dict[str, int] = defaultdict(int)
        self.weekends: set[date] = set()
        limit_7 = self.policy.max_minutes_per_7_days
        if person.limits.max_minutes_per_week is not None:
            limit_7 = min(limit_7, person.limits.max_minutes_per_week)
        self.windows = ((7, limit_7), (14, self.policy.max_minutes_per_14_days))

    def _shift(self, c: Candidate):  # type: ignore[no-untyped-def]
        return self.cands.shifts[c.shift]

    def _away(self, day: date) -> str | None:
        c = self.taken.get(day)
        return c.reach.base if c is not None and c.reach.lodged else None

    def can_take(self, c: Candidate) -> bool:
        shift = self._shift(c)
        d = shift.day
        return (
            d not in self.taken
            and self._rests(c, d)
            and self._runs(shift, d)
            and self._hours(shift)
            and self._deployment(c, d)
            and self._successions(shift, d)
            and self._limits(shift)
        )

    def take(self, c: Candidate) -> None:
        shift = self._shift(c)
        self.taken[shift.day] = c
        for day, minutes in minutes_by_day(shift).items():
            self.minutes[day] += minutes
        self.total += shift.minutes
        self.labels[shift.label] += 1
        if (weekend := weekend_of(shift.day)) is not None:
            self.weekends.add(weekend)

    def _rests(self, c: Candidate, d: date) -> bool:
        for k in (1, 2):
            before, after = self.taken.get(d - timedelta(days=k)), self.taken.get(d + timedelta(days=k))
            if before and self.cands.clash((before.shift, before.reach), (c.shift, c.reach)):
                return False
            if after and self.cands.clash((c.shift, c.reach), (after.shift, after.reach)):
                return False
        return True

    def _run_length(self, d: date, keep) -> int:  # type: ignore[no-untyped-def]
        length = 1
        for step in (-1, 1):
            day = d + timedelta(days=step)
            while day in self.taken and keep(self.taken[day]):
                length += 1
                day += timedelta(days=step)
        return length

    def _runs(self, shift, d: date) -> bool:  # type: ignore[no-untyped-def]
        if self._run_length(d, lambda c: True) > self.policy.max_consecutive_days:
            return False
        if self.policy.is_night(shift.start, shift.end):
            nights = self._run_length(
                d, lambda c: self.policy.is_night(self._shift(c).start, self._shift(c).end)
            )
            if nights > self.policy.max_consecutive_nights:
                return False
        return True

    def _hours(self, shift) -> bool:  # type: ignore[no-untyped-def]
        added = minutes_by_day(shift)
        for window, limit in self.windows:
            for day in added:
                for start_offset in range(window):
                    start = day - timedelta(days=start_offset)
                    total = sum(
                        self.minutes.get(start + timedelta(days=i), 0)
                        + added.get(start + timedelta(days=i), 0)
                        for i in range(window)
                    )
                    if total > limit:
                        return False
        return True

    def _deployment(self, c: Candidate, d: date) -> bool:
        one = timedelta(days=1)
        rest = self.policy.rest_days_after_deployment
        city = c.reach.base if c.reach.lodged else None
        # The new shift may not fall on a travel or rest day of a deployment already rostered.
        if self._away(d - one) not in (None, city):
            return False
        if self._away(d + one) not in (None, city):
            return False
        for k in range(2, rest + 2):
            ended = self._away(d - timedelta(days=k))
            if ended is not None and self._away(d - timedelta(days=k - 1)) != ended:
                return False
        if city is None:
            return True
        left = self._run_length(d, lambda t: t.reach.lodged and t.reach.base == city)
        if left > self.policy.max_deployment_days:
            return False
        if self._away(d - one) != city and (d - one) in self.taken:
            return False  # travel day before a new deployment
        if self._away(d + one) != city:
            return all(d + timedelta(days=k) not in self.taken for k in range(1, rest + 2))
        return True

    def _successions(self, shift, d: date) -> bool:  # type: ignore[no-untyped-def]
        forbidden = self.policy.forbidden_successions
        if not forbidden:
            return True
        before, after = self.taken.get(d - timedelta(days=1)), self.taken.get(d + timedelta(days=1))
        if before and (self._shift(before).label, shift.label) in forbidden:
            return False
        return not (after and (shift.label, self._shift(after).label) in forbidden)

    def _limits(self, shift) -> bool:  # type: ignore[no-untyped-def]
        limits = self.person.limits
        if limits.max_shifts is not None and len(self.taken) >= limits.max_shifts:
            return False
        if limits.max_total_minutes is not None and self.total + shift.minutes > limits.max_total_minutes:
            return False
        for label, limit in limits.max_shifts_by_label:
            if label == shift.label and self.labels[label] >= limit:
                return False
        max_weekends = limits.max_weekends if limits.max_weekends is not None else self.policy.max_weekends
        weekend = weekend_of(shift.day)
        return not (
            max_weekends is not None
            and weekend is not None
            and weekend not in self.weekends
            and len(self.weekends) >= max_weekends
        )


def greedy_roster(problem: RosterProblem, cands: Candidates) -> list[Assignment]:
    """Fill every demand line in time order, scarce lines first, cheapest willing person first."""
    people = {p.service_number: p for p in problem.staff}
    states: dict[str, _PersonState] = {}
    pinned = [a for a in problem.published if a.pinned]
    out: list[Assignment] = []
    for a in pinned:
        c = next(
            (
                c
                for c in cands.by_person.get(a.service_number, [])
                if cands.shifts[c.shift].key == a.shift_key and c.line == a.line
            ),
            None,
        )
        if c is not None:
            states.setdefault(a.service_number, _PersonState(people[a.service_number], cands)).take(c)
            out.append(Assignment(a.shift_key, a.service_number, a.line, pinned=True))
    filled: dict[tuple[int, int], int] = defaultdict(int)
    for a in out:
        filled[(cands.index[a.shift_key], a.line)] += 1
    for i, shift in enumerate(cands.shifts):
        lines = sorted(
            range(len(shift.demand)), key=lambda j: len(cands.for_line(i, j)) - shift.demand[j].count
        )
        for j in lines:
            need = shift.demand[j].count - filled[(i, j)]
            if need <= 0:
                continue
            options = sorted(cands.for_line(i, j), key=lambda sc: _cost(sc, states))
            for sn, c in options:
                state = states.get(sn)
                if state is None:
                    state = states[sn] = _PersonState(people[sn], cands)
                if state.can_take(c):
                    state.take(c)
                    out.append(Assignment(shift.key, sn, j))
                    need -= 1
                    if need == 0:
                        break
    return out


def _cost(option: tuple[str, Candidate], states: dict[str, _PersonState]) -> tuple[int, int, int]:
    """Commuters before lodgers, the least worked first, then the least tiring and shortest trip."""
    sn, c = option
    state = states.get(sn)
    return (int(c.reach.lodged), state.total if state else 0, c.fatigue + c.travel)
