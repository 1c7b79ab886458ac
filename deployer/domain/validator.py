"""The independent roster checker: every breach of every rule, in words a planner can act on.

It reads the same policy and rule functions as the solver but no solver code, so it can check
any roster: solved, imported or edited by hand. History (shifts worked before the horizon)
counts towards rules that look back, but only breaches touching the horizon are reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from deployer.domain.clock import EPOCH, minutes_between
from deployer.domain.operations import Shift
from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Assignment
from deployer.domain.rules import (
    Reach,
    blocking_absence,
    deployment_blocks,
    describe_shift,
    duty_minutes,
    hours_text,
    minutes_by_day,
    personal,
    qualification_gaps,
    reach,
    rest_between,
    shift_days,
    travel_days,
    weekend_of,
)
from deployer.domain.soft_rules import limit_7_days
from deployer.domain.staff import StaffMember

#: Rules that are always hard: a roster breaking them is not a roster.
STRUCTURAL_RULES = (
    "unknown",
    "qualification",
    "availability",
    "reach",
    "double_booking",
    "one_shift_per_day",
    "overstaffing",
)
COVERAGE = "coverage"


@dataclass(frozen=True, slots=True)
class Breach:
    """One breach: the rule, who and which shifts, what happened, and by how much."""

    rule: str
    message: str
    service_number: str | None = None
    shift_keys: tuple[str, ...] = ()
    day: date | None = None
    amount: int = 0
    soft: bool = False

    @property
    def is_shortfall(self) -> bool:
        """Unfilled demand: allowed, but always reported."""
        return self.rule == COVERAGE


@dataclass(frozen=True, slots=True)
class _Worked:
    shift: Shift
    line: int
    reach: Reach | None
    in_horizon: bool


@dataclass(frozen=True, slots=True)
class ShiftFacts:
    """What the checks ask of a shift again and again."""

    night: bool
    by_day: dict[date, int]
    """Minutes on each local day it touches (nights count on both sides of midnight)."""
    days: frozenset[date]
    start: int
    """Start and end as real minutes since the epoch (comparable across time zones and DST)."""
    end: int


class ProblemIndex:
    """What every check of one problem looks up: shifts and people by key, each shift's facts,
    reaches and each person's absent days, each computed once. Build one and pass it to
    :func:`validate_change` where one problem is checked many times (a solver checks thousands
    of personal rosters: a year of shifts indexed anew each time cost more than the checks)."""

    def __init__(self, problem: RosterProblem) -> None:
        self.problem = problem
        self.shifts = {s.key: s for s in problem.operation.shifts}
        self.history_shifts = {s.key: s for s in problem.history_shifts}
        self.people = {p.service_number: p for p in problem.staff}
        self._facts: dict[tuple[str, datetime], ShiftFacts] = {}
        self._absent: dict[str, frozenset[date]] = {}
        self._reaches: dict[tuple[str, bool, str], Reach | None] = {}
        self._windows: dict[int, list[date]] = {}

    def facts(self, shift: Shift) -> ShiftFacts:
        """The shift's facts, by key and start (history may reuse a key of the horizon)."""
        key = (shift.key, shift.start)
        if key not in self._facts:
            policy = self.problem.operation.policy
            self._facts[key] = ShiftFacts(
                policy.is_night(shift.start, shift.end),
                minutes_by_day(shift),
                frozenset(shift_days(shift)),
                minutes_between(EPOCH, shift.start),
                minutes_between(EPOCH, shift.end),
            )
        return self._facts[key]

    def reach(self, person: StaffMember, shift: Shift) -> Reach | None:
        """:func:`reach` of the shift's site (None for an unknown site), by what it depends on."""
        key = (person.home_station, person.limits.can_deploy_away, shift.site)
        if key not in self._reaches:
            problem = self.problem
            site = problem.travel.locations.get(shift.site)
            self._reaches[key] = (
                reach(person, site, problem.travel, problem.operation.policy) if site else None
            )
        return self._reaches[key]

    def rest(self, earlier: Shift, earlier_reach: Reach, later: Shift, later_reach: Reach) -> int:
        """:func:`rest_minutes` between the two shifts so reached, on the facts' minutes."""
        moving = 0
        if earlier_reach.base != later_reach.base:
            moving = self.problem.travel.leg(earlier_reach.base, later_reach.base).minutes
        return rest_between(
            self.facts(earlier).end, earlier_reach, self.facts(later).start, later_reach, moving
        )

    def may_be_absent(self, person: StaffMember, shift: Shift) -> bool:
        """Whether the shift touches a day of one of the person's absences (then
        :func:`blocking_absence` says which)."""
        if not person.absences:
            return False
        if person.service_number not in self._absent:
            op = self.problem.operation
            first, last = op.first_day - timedelta(days=1), op.last_day + timedelta(days=2)
            spans = [(max(a.first_day, first), min(a.last_day, last)) for a in person.absences]
            self._absent[person.service_number] = frozenset(
                start + timedelta(days=k) for start, end in spans for k in range((end - start).days + 1)
            )
        return not self._absent[person.service_number].isdisjoint(self.facts(shift).days)

    def window_days(self, window: int) -> list[date]:
        """Every day of every ``window``-day window touching the horizon, in order."""
        if window not in self._windows:
            op = self.problem.operation
            first = op.first_day - timedelta(days=window - 1)
            self._windows[window] = [
                first + timedelta(days=k) for k in range((op.last_day - first).days + window)
            ]
        return self._windows[window]


def validate(problem: RosterProblem, assignments: Iterable[Assignment]) -> list[Breach]:
    """Every breach of ``assignments`` against ``problem``'s rules, people in service-number order."""
    return _Validator(ProblemIndex(problem)).run(list(assignments))


def validate_change(
    problem: RosterProblem,
    assignments: Iterable[Assignment],
    before: Iterable[Breach],
    people: set[str],
    shifts: set[str],
    index: ProblemIndex | None = None,
) -> list[Breach]:
    """The breaches after an edit that touched ``people`` and ``shifts``, checking only those again.

    A person's rules depend on that person's assignments alone and a shift's cover on the people
    on it, so the other breaches of ``before`` (the breaches before the edit) still stand. The
    result holds the same breaches as :func:`validate` on the edited roster, in milliseconds
    instead of seconds on a Games-sized roster: what a hand edit needs. ``index`` (of
    ``problem``) saves indexing the problem again on every call.
    """

    def in_scope(b: Breach) -> bool:
        if b.service_number is not None:
            return b.service_number in people
        return not shifts.isdisjoint(b.shift_keys)

    touched = [a for a in assignments if a.service_number in people or a.shift_key in shifts]
    if index is None or index.problem is not problem:
        index = ProblemIndex(problem)
    fresh = _Validator(index, people, shifts).run(touched)
    return [b for b in before if not in_scope(b)] + [b for b in fresh if in_scope(b)]


def hard_breaches(breaches: Iterable[Breach]) -> list[Breach]:
    """The breaches that make a roster unusable (not soft, not shortfalls)."""
    return [b for b in breaches if not b.soft and not b.is_shortfall]


class _Validator:
    def __init__(
        self, index: ProblemIndex, people: set[str] | None = None, shifts: set[str] | None = None
    ) -> None:
        problem = index.problem
        self.p = problem
        self.index = index
        self.people = people
        """Only these people's limits are checked when set (see :func:`validate_change`)."""
        self.cover_only = shifts
        """Only these shifts' cover is checked when set."""
        self.op = problem.operation
        self.policy = problem.operation.policy
        self.locations = problem.travel.locations
        self.shifts = index.shifts
        self.history_shifts = index.history_shifts
        self.breaches: list[Breach] = []
        self.known_from = min([self.op.first_day, *(s.day for s in problem.history_shifts)])
        """The first day whose work is known: travel days before it belong to an earlier roster."""

    def _night(self, shift: Shift) -> bool:
        return self.index.facts(shift).night

    def _by_day(self, shift: Shift) -> dict[date, int]:
        return self.index.facts(shift).by_day

    # -- helpers ---------------------------------------------------------------------------

    def _add(
        self,
        rule: str,
        message: str,
        person: StaffMember | None = None,
        shifts: Iterable[Shift] = (),
        day: date | None = None,
        amount: int = 0,
    ) -> None:
        soft = rule not in STRUCTURAL_RULES and rule != COVERAGE and self.policy.is_soft(rule)
        self.breaches.append(
            Breach(
                rule,
                message,
                person.service_number if person else None,
                tuple(s.key for s in shifts),
                day,
                amount,
                soft,
            )
        )

    def _who(self, person: StaffMember) -> str:
        return f"{person.rank} {person.service_number} ({person.name})"

    def _at(self, shift: Shift) -> str:
        return describe_shift(shift, self.locations)

    # -- run -------------------------------------------------------------------------------

    def run(self, assignments: list[Assignment]) -> list[Breach]:
        timelines: dict[str, list[_Worked]] = defaultdict(list)
        counts: dict[tuple[str, int], int] = defaultdict(int)
        people = self.index.people
        for a in self.p.history:
            shift = self.history_shifts.get(a.shift_key)
            person = people.get(a.service_number)
            if shift and person:
                timelines[a.service_number].append(_Worked(shift, a.line, self._reach(person, shift), False))
        for a in assignments:
            worked = self._check_assignment(a, people)
            if worked is not None:
                timelines[a.service_number].append(worked)
                counts[(a.shift_key, a.line)] += 1
        self._check_coverage(counts)
        for number in sorted(timelines):
            items = sorted(timelines[number], key=lambda w: w.shift.start)
            if any(w.in_horizon for w in items):
                self._check_person(people[number], items)
        everyone = self.p.staff if self.people is None else [people[n] for n in self.people if n in people]
        for person in everyone:
            if person.limits.min_total_minutes and not any(
                w.in_horizon for w in timelines.get(person.service_number, [])
            ):
                self._check_person_limits(person, [])  # a minimum of hours with no shift at all
        return self.breaches

    def _reach(self, person: StaffMember, shift: Shift) -> Reach | None:
        return self.index.reach(person, shift)

    def _check_assignment(self, a: Assignment, people: dict[str, StaffMember]) -> _Worked | None:
        shift = self.shifts.get(a.shift_key)
        person = people.get(a.service_number)
        if shift is None or person is None:
            what = "shift" if shift is None else "person"
            self._add("unknown", f"Assignment of {a.service_number} to {a.shift_key}: unknown {what}")
            return None
        if not 0 <= a.line < len(shift.demand):
            self._add(
                "unknown",
                f"{self._who(person)} on {self._at(shift)}: the shift has no demand line {a.line + 1}",
                person,
                [shift],
                shift.day,
            )
            return None
        line = shift.demand[a.line]
        gaps = qualification_gaps(person, line, shift.day, self.p.ranks)
        if gaps:
            self._add(
                "qualification",
                f"{self._who(person)} cannot fill '{line.describe()}' on "
                f"{self._at(shift)}: {'; '.join(gaps)}",
                person,
                [shift],
                shift.day,
                len(gaps),
            )
        absence = blocking_absence(person, shift) if self.index.may_be_absent(person, shift) else None
        if absence is not None:
            self._add(
                "availability",
                f"{self._who(person)} is rostered on {self._at(shift)} during "
                f"{absence.kind} from {absence.first_day} to {absence.last_day}",
                person,
                [shift],
                shift.day,
            )
        shift_reach = self._reach(person, shift)
        if shift_reach is None:
            self._add(
                "reach",
                f"{self._who(person)} cannot reach {self._at(shift)} from "
                f"{person.home_station} within {self.policy.max_commute_minutes} min and may "
                "not be deployed away from home",
                person,
                [shift],
                shift.day,
            )
        return _Worked(shift, a.line, shift_reach, True)

    def _check_coverage(self, counts: dict[tuple[str, int], int]) -> None:
        shifts: Sequence[Shift] = self.op.shifts
        if self.cover_only is not None:  # (a personal roster's check touches no shift's cover)
            shifts = [s for s in shifts if s.key in self.cover_only] if self.cover_only else []
        for shift in shifts:
            for i, line in enumerate(shift.demand):
                have = counts.get((shift.key, i), 0)
                if have < line.count:
                    self._add(
                        COVERAGE,
                        f"{self._at(shift)}: '{line.describe()}' has {have} of {line.count}",
                        shifts=[shift],
                        day=shift.day,
                        amount=line.count - have,
                    )
                elif have > line.count and line.over_cost is None:
                    self._add(
                        "overstaffing",
                        f"{self._at(shift)}: '{line.describe()}' has {have}, "
                        f"more than the {line.count} required",
                        shifts=[shift],
                        day=shift.day,
                        amount=have - line.count,
                    )

    # -- per person --------------------------------------------------------------------------

    def _check_person(self, person: StaffMember, items: list[_Worked]) -> None:
        self._check_overlaps_and_rest(person, items)
        self._check_lengths(person, items)
        work_days = {w.shift.day: w for w in items}
        horizon = [w for w in items if w.in_horizon]
        away = {w.shift.day: w.reach.base for w in items if w.reach is not None and w.reach.lodged}
        self._check_runs(person, work_days, {d for d in travel_days(away) if d >= self.known_from})
        self._check_nights(person, items)
        self._check_hours(person, items)
        self._check_deployments(person, items)
        self._check_successions(person, work_days)
        self._check_person_limits(person, horizon)

    def _check_overlaps_and_rest(self, person: StaffMember, items: list[_Worked]) -> None:
        for earlier, later in zip(items, items[1:], strict=False):
            if not (earlier.in_horizon or later.in_horizon):
                continue
            a, b = earlier.shift, later.shift
            if a.day == b.day:
                self._add(
                    "one_shift_per_day",
                    f"{self._who(person)} has two shifts on {a.day}: {self._at(a)} and {self._at(b)}",
                    person,
                    [a, b],
                    a.day,
                )
            if self.index.facts(b).start < self.index.facts(a).end:
                self._add(
                    "double_booking",
                    f"{self._who(person)} is on {self._at(a)} and {self._at(b)} at the same time",
                    person,
                    [a, b],
                    b.day,
                )
                continue
            if earlier.reach is None or later.reach is None:
                continue
            rest = self.index.rest(a, earlier.reach, b, later.reach)
            needed = self.policy.rest_required_after(a.minutes)
            if rest < needed:
                self._add(
                    "rest_between_shifts",
                    f"{self._who(person)} rests {hours_text(rest)} between "
                    f"{self._at(a)} and {self._at(b)}; policy minimum {hours_text(needed)}",
                    person,
                    [a, b],
                    b.day,
                    needed - rest,
                )

    def _check_lengths(self, person: StaffMember, items: list[_Worked]) -> None:
        for w in items:
            if not w.in_horizon:
                continue
            if w.shift.minutes > self.policy.max_shift_minutes:
                self._add(
                    "shift_length",
                    f"{self._at(w.shift)} lasts {hours_text(w.shift.minutes)}; "
                    f"policy maximum {hours_text(self.policy.max_shift_minutes)}",
                    person,
                    [w.shift],
                    w.shift.day,
                    w.shift.minutes - self.policy.max_shift_minutes,
                )
            if w.reach is not None:
                duty = duty_minutes(w.shift.minutes, w.reach)
                if duty > self.policy.max_duty_minutes:
                    self._add(
                        "duty_length",
                        f"{self._who(person)} is on duty {hours_text(duty)} door to "
                        f"door for {self._at(w.shift)} ({w.reach.minutes} min each way); policy "
                        f"maximum {hours_text(self.policy.max_duty_minutes)}",
                        person,
                        [w.shift],
                        w.shift.day,
                        duty - self.policy.max_duty_minutes,
                    )

    def _check_runs(self, person: StaffMember, work_days: dict[date, _Worked], travel: set[date]) -> None:
        first, last = self.op.first_day, self.op.last_day
        limit = personal(self.policy, person, "max_consecutive_days") or 0
        for run in _runs(sorted(set(work_days) | travel)):
            if run[-1] >= first and len(run) > limit:
                with_travel = " (travel days included)" if travel & set(run) else ""
                self._add(
                    "consecutive_days",
                    f"{self._who(person)} works {len(run)} days in a row{with_travel} from "
                    f"{run[0]} to {run[-1]}; policy maximum {limit}",
                    person,
                    [work_days[d].shift for d in run if d in work_days],
                    run[0],
                    len(run) - limit,
                )
        for run in _runs(sorted(work_days)):
            if run[-1] < first:
                continue
            minimum = personal(self.policy, person, "min_consecutive_days") or 0
            if len(run) < minimum and run[0] > first and run[-1] < last:
                self._add(
                    "min_consecutive_days",
                    f"{self._who(person)} works only {len(run)} day(s) in a "
                    f"row from {run[0]}; policy minimum {minimum}",
                    person,
                    [work_days[d].shift for d in run],
                    run[0],
                    minimum - len(run),
                )
        minimum_off = personal(self.policy, person, "min_consecutive_days_off") or 0
        days = sorted(work_days)
        for before, after in zip(days, days[1:], strict=False):
            off = (after - before).days - 1
            if 0 < off < minimum_off and before >= first and after <= last:
                self._add(
                    "min_consecutive_days_off",
                    f"{self._who(person)} has only {off} day(s) off "
                    f"between {before} and {after}; policy minimum {minimum_off}",
                    person,
                    [work_days[before].shift, work_days[after].shift],
                    before,
                    minimum_off - off,
                )

    def _check_nights(self, person: StaffMember, items: list[_Worked]) -> None:
        nights = {w.shift.day: w.shift for w in items if self._night(w.shift)}
        limit = self.policy.max_consecutive_nights
        for run in _runs(sorted(nights)):
            if len(run) > limit and run[-1] >= self.op.first_day:
                self._add(
                    "consecutive_nights",
                    f"{self._who(person)} works {len(run)} nights in a row "
                    f"from {run[0]} to {run[-1]}; policy maximum {limit}",
                    person,
                    [nights[d] for d in run],
                    run[0],
                    len(run) - limit,
                )

    def _check_hours(self, person: StaffMember, items: list[_Worked]) -> None:
        per_day: dict[date, int] = defaultdict(int)
        for w in items:
            for day, minutes in self._by_day(w.shift).items():
                per_day[day] += minutes
        limit_7 = limit_7_days(self.op, person)
        for rule, window, limit in (
            ("hours_per_7_days", 7, limit_7),
            ("hours_per_14_days", 14, self.policy.max_minutes_per_14_days),
        ):
            if sum(per_day.values()) <= limit:
                continue  # no window can hold more than everything
            worst: tuple[int, date] | None = None
            days = self.index.window_days(window)
            values = [per_day.get(day, 0) for day in days]
            total = sum(values[:window])
            for k in range(len(days) - window + 1):  # sliding sums over every window touching the horizon
                if k:
                    total += values[k + window - 1] - values[k - 1]
                if total > limit and (worst is None or total > worst[0]):
                    worst = (total, days[k])
                elif total <= limit and worst is not None:
                    self._report_hours(person, rule, window, limit, *worst)
                    worst = None
            if worst is not None:
                self._report_hours(person, rule, window, limit, *worst)

    def _report_hours(
        self, person: StaffMember, rule: str, window: int, limit: int, total: int, start: date
    ) -> None:
        end = start + timedelta(days=window - 1)
        self._add(
            rule,
            f"{self._who(person)} works {hours_text(total)} in the {window} days from {start} "
            f"to {end}; policy maximum {hours_text(limit)}",
            person,
            day=start,
            amount=total - limit,
        )

    def _check_deployments(self, person: StaffMember, items: list[_Worked]) -> None:
        away: dict[date, str] = {}
        for w in items:
            if w.reach is not None and w.reach.lodged:
                away[w.shift.day] = w.reach.base
        worked = {w.shift.day: w.shift for w in items}
        for block in deployment_blocks(away):
            city, first, last = block
            length = (last - first).days + 1
            if length > self.policy.max_deployment_days:
                self._add(
                    "deployment_length",
                    f"{self._who(person)} is deployed to {city} for {length} "
                    f"days from {first} to {last}; policy maximum {self.policy.max_deployment_days}",
                    person,
                    day=first,
                    amount=length - self.policy.max_deployment_days,
                )
            for travel_day in (first - timedelta(days=1), last + timedelta(days=1)):
                if travel_day in worked:
                    self._add(
                        "travel_days",
                        f"{self._who(person)} works {self._at(worked[travel_day])}, "
                        f"the travel day of the {city} deployment from {first} to {last}",
                        person,
                        [worked[travel_day]],
                        travel_day,
                    )
            for i in range(self.policy.rest_days_after_deployment):
                rest_day = last + timedelta(days=2 + i)
                if rest_day in worked:
                    self._add(
                        "rest_after_deployment",
                        f"{self._who(person)} works "
                        f"{self._at(worked[rest_day])}, within the "
                        f"{self.policy.rest_days_after_deployment} rest days after the {city} "
                        f"deployment ending {last}",
                        person,
                        [worked[rest_day]],
                        rest_day,
                    )

    def _check_successions(self, person: StaffMember, work_days: dict[date, _Worked]) -> None:
        forbidden = set(self.policy.forbidden_successions)
        if not forbidden:
            return
        for day, w in sorted(work_days.items()):
            after = work_days.get(day + timedelta(days=1))
            if after and (w.shift.label, after.shift.label) in forbidden and after.in_horizon:
                self._add(
                    "forbidden_succession",
                    f"{self._who(person)} works {w.shift.label} on {day} then "
                    f"{after.shift.label} the next day, which the policy forbids",
                    person,
                    [w.shift, after.shift],
                    day,
                )

    def _check_person_limits(self, person: StaffMember, horizon: list[_Worked]) -> None:
        limits = person.limits
        by_label: dict[str, int] = defaultdict(int)
        for w in horizon:
            by_label[w.shift.label] += 1
        for label, limit in limits.max_shifts_by_label:
            if by_label[label] > limit:
                self._add(
                    "max_shifts",
                    f"{self._who(person)} works {by_label[label]} '{label}' shifts; their limit is {limit}",
                    person,
                    day=self.op.first_day,
                    amount=by_label[label] - limit,
                )
        if limits.max_shifts is not None and len(horizon) > limits.max_shifts:
            self._add(
                "max_shifts",
                f"{self._who(person)} works {len(horizon)} shifts; their limit is {limits.max_shifts}",
                person,
                day=self.op.first_day,
                amount=len(horizon) - limits.max_shifts,
            )
        total = sum(w.shift.minutes for w in horizon)
        if limits.max_total_minutes is not None and total > limits.max_total_minutes:
            self._add(
                "total_minutes",
                f"{self._who(person)} works {hours_text(total)}; their maximum is "
                f"{hours_text(limits.max_total_minutes)}",
                person,
                day=self.op.first_day,
                amount=total - limits.max_total_minutes,
            )
        if limits.min_total_minutes is not None and total < limits.min_total_minutes:
            self._add(
                "total_minutes",
                f"{self._who(person)} works {hours_text(total)}; their minimum is "
                f"{hours_text(limits.min_total_minutes)}",
                person,
                day=self.op.first_day,
                amount=limits.min_total_minutes - total,
            )
        max_weekends = personal(self.policy, person, "max_weekends")
        if max_weekends is not None:
            weekends = {weekend_of(w.shift.day) for w in horizon} - {None}
            if len(weekends) > max_weekends:
                self._add(
                    "weekends",
                    f"{self._who(person)} works {len(weekends)} weekends; the limit is {max_weekends}",
                    person,
                    day=self.op.first_day,
                    amount=len(weekends) - max_weekends,
                )


def _runs(days: list[date]) -> list[list[date]]:
    """Split sorted days into runs of consecutive days."""
    runs: list[list[date]] = []
    for day in days:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs
