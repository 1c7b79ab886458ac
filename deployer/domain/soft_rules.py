"""How much a roster breaks the rules a planner marked soft, in the units the solver prices.

A soft rule is kept where possible and otherwise costs ``ObjectiveWeights.soft_rule`` per unit:

- consecutive_days / consecutive_nights: each run of ``limit + 1`` days (nights) in a row,
  counted as windows inside the horizon (a run two days too long is two windows);
- hours_per_7_days / hours_per_14_days: each 7 (14) day window over the limit;
- rest_between_shifts: each pair of shifts one or two days apart with too little rest;
- weekends: each weekend worked beyond the limit;
- shift_length / duty_length: each shift over the limit;
- deployment_length: each run of ``limit + 1`` lodged days in one city;
- travel_days / rest_after_deployment: each shift on a deployment's travel or rest day;
- min_consecutive_days / min_consecutive_days_off: each run (inside the horizon) too short;
- forbidden_succession: each forbidden pair of shifts on consecutive days;
- max_shifts: each shift beyond a limit; total_minutes: each hour beyond the maximum or short of
  the minimum (counted by the minute).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from deployer.domain.locations import TravelMatrix
from deployer.domain.operations import Operation, Shift
from deployer.domain.rules import (
    Reach,
    deployment_blocks,
    duty_minutes,
    minutes_by_day,
    personal,
    rest_minutes,
    travel_days,
    weekend_of,
)
from deployer.domain.staff import StaffMember

PRICED = (
    "consecutive_days",
    "consecutive_nights",
    "hours_per_7_days",
    "hours_per_14_days",
    "rest_between_shifts",
    "weekends",
    "shift_length",
    "duty_length",
)


def limit_7_days(operation: Operation, person: StaffMember) -> int:
    """The 7-day minute limit for ``person``: the policy's, or their own weekly cap when lower."""
    limit = operation.policy.max_minutes_per_7_days
    if person.limits.max_minutes_per_week is not None:
        limit = min(limit, person.limits.max_minutes_per_week)
    return limit


def soft_units(
    operation: Operation, travel: TravelMatrix, person: StaffMember, worked: list[tuple[Shift, Reach]]
) -> int:
    """Sixtieths of a unit of soft-rule breach in one person's shifts (sorted by start).

    Sixtieths, because total minutes are priced per hour but counted by the minute.
    """
    return 60 * _whole_units(operation, travel, person, worked) + _minute_units(operation, person, worked)


def _minute_units(operation: Operation, person: StaffMember, worked: list[tuple[Shift, Reach]]) -> int:
    if not operation.policy.is_soft("total_minutes"):
        return 0
    total = sum(s.minutes for s, _ in worked)
    limits = person.limits
    over = max(0, total - limits.max_total_minutes) if limits.max_total_minutes is not None else 0
    under = max(0, limits.min_total_minutes - total) if limits.min_total_minutes is not None else 0
    return over + under


def _whole_units(
    operation: Operation, travel: TravelMatrix, person: StaffMember, worked: list[tuple[Shift, Reach]]
) -> int:
    policy = operation.policy
    days = operation.days
    units = 0
    on = {s.day for s, _ in worked}
    if policy.is_soft("consecutive_days"):
        duty = on | travel_days({s.day: r.base for s, r in worked if r.lodged})
        units += _full_windows(days, duty, personal(policy, person, "max_consecutive_days") or 0)
    if policy.is_soft("consecutive_nights"):
        nights = {s.day for s, _ in worked if policy.is_night(s.start, s.end)}
        units += _full_windows(days, nights, policy.max_consecutive_nights)
    per_day: dict[date, int] = defaultdict(int)
    for s, _ in worked:
        for day, minutes in minutes_by_day(s).items():
            per_day[day] += minutes
    for rule, window, limit in (
        ("hours_per_7_days", 7, limit_7_days(operation, person)),
        ("hours_per_14_days", 14, policy.max_minutes_per_14_days),
    ):
        if policy.is_soft(rule) and per_day:
            start = days[0] - timedelta(days=window - 1)
            while start <= max(per_day):
                units += sum(per_day.get(start + timedelta(days=k), 0) for k in range(window)) > limit
                start += timedelta(days=1)
    if policy.is_soft("rest_between_shifts"):
        by_day = {s.day: (s, r) for s, r in worked}
        for s, r in worked:
            for back in (1, 2):
                earlier = by_day.get(s.day - timedelta(days=back))
                if earlier is not None:
                    e, er = earlier
                    units += rest_minutes(e, er, s, r, travel) < policy.rest_required_after(e.minutes)
    if policy.is_soft("weekends"):
        most_weekends = personal(policy, person, "max_weekends")
        if most_weekends is not None:
            units += max(0, len({weekend_of(s.day) for s, _ in worked} - {None}) - most_weekends)
    if policy.is_soft("shift_length"):
        units += sum(s.minutes > policy.max_shift_minutes for s, _ in worked)
    if policy.is_soft("duty_length"):
        units += sum(duty_minutes(s.minutes, r) > policy.max_duty_minutes for s, r in worked)
    return units + _deployment_units(operation, worked) + _pattern_units(operation, person, worked)


def _deployment_units(operation: Operation, worked: list[tuple[Shift, Reach]]) -> int:
    policy = operation.policy
    units = 0
    on = {s.day for s, _ in worked}
    away = {s.day: r.base for s, r in worked if r.lodged}
    if policy.is_soft("deployment_length"):
        for city in set(away.values()):
            lodged = {d for d, c in away.items() if c == city}
            units += _full_windows(operation.days, lodged, policy.max_deployment_days)
    for _, first, last in deployment_blocks(away):
        if policy.is_soft("travel_days"):
            units += (first - timedelta(days=1) in on) + (last + timedelta(days=1) in on)
        if policy.is_soft("rest_after_deployment"):
            units += sum(last + timedelta(days=2 + k) in on for k in range(policy.rest_days_after_deployment))
    return units


def _pattern_units(operation: Operation, person: StaffMember, worked: list[tuple[Shift, Reach]]) -> int:
    policy = operation.policy
    units = 0
    on = {s.day for s, _ in worked}
    days = operation.days
    for rule, working in (("min_consecutive_days", True), ("min_consecutive_days_off", False)):
        minimum = personal(policy, person, rule) or 0
        if not policy.is_soft(rule) or minimum <= 1:
            continue
        state = [(d in on) == working for d in days]
        for start in range(1, len(days) - 1):
            if state[start] and not state[start - 1]:
                end = start
                while end < len(days) and state[end]:
                    end += 1
                units += end < len(days) and end - start < minimum
    if policy.is_soft("forbidden_succession"):
        label = {s.day: s.label for s, _ in worked}
        units += sum(
            (label[d], label.get(d + timedelta(days=1))) in set(policy.forbidden_successions) for d in label
        )
    if policy.is_soft("max_shifts"):
        limits = person.limits
        for limited, limit in limits.max_shifts_by_label:
            units += max(0, sum(s.label == limited for s, _ in worked) - limit)
        if limits.max_shifts is not None:
            units += max(0, len(worked) - limits.max_shifts)
    return units


def _full_windows(days: list[date], on: set[date], limit: int) -> int:
    """Windows of ``limit + 1`` consecutive horizon days that are all in ``on``."""
    span = limit + 1
    return sum(all(days[i + k] in on for k in range(span)) for i in range(len(days) - span + 1))
