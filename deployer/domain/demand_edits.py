"""Building an operation's shifts from templates and editing its demand, as the operation editor does.

Shift keys are ``site/day/label`` (as imports and the demo write them), so regenerating shifts
from templates keeps the demand of every shift that still exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

from deployer.domain.errors import DomainError
from deployer.domain.operations import DemandLine, Operation, Shift, ShiftTemplate


def shift_key(site: str, day: date, label: str) -> str:
    """The key of a site's shift on a day."""
    return f"{site}/{day.isoformat()}/{label}"


def apply_templates(
    operation: Operation,
    templates: Iterable[ShiftTemplate],
    first_day: date | None = None,
    last_day: date | None = None,
    cities: tuple[str, ...] | None = None,
    sites: tuple[str, ...] | None = None,
) -> Operation:
    """The operation over new dates and places (when given), with every site's shifts on every day
    from ``templates``; the demand of shifts that remain is kept.

    Shifts of sites or days no longer in the operation, or of labels no longer templated, go.
    """
    templates = list(templates)
    labels = [t.label for t in templates]
    if len(set(labels)) != len(labels):
        raise DomainError(f"operation {operation.name!r}", "shift templates", "use a label twice")
    first, last = first_day or operation.first_day, last_day or operation.last_day
    sites = operation.sites if sites is None else sites
    kept = {s.key: s for s in operation.shifts}
    tz = operation.tz
    shifts = []
    for offset in range(max(0, (last - first).days + 1)):
        day = first + timedelta(days=offset)
        for site in sites:
            for template in templates:
                key = shift_key(site, day, template.label)
                start, end = template.on(day, tz)
                demand = kept[key].demand if key in kept else ()
                shifts.append(Shift(key, site, start, end, template.label, demand))
    return replace(
        operation,
        first_day=first,
        last_day=last,
        cities=operation.cities if cities is None else cities,
        sites=sites,
        shifts=tuple(shifts),
    )


def templates_of(operation: Operation) -> list[ShiftTemplate]:
    """The templates an operation's shifts follow: each label's first start time and length."""
    seen: dict[str, ShiftTemplate] = {}
    for shift in operation.shifts:
        local = shift.start.astimezone(operation.tz)
        seen.setdefault(shift.label, ShiftTemplate(shift.label, local.time(), shift.minutes))
    return sorted(seen.values(), key=lambda t: (t.start, t.label))


def shifts_on(operation: Operation, site: str, day: date) -> list[Shift]:
    """A site's shifts of one day, in start order."""
    return [s for s in operation.shifts if s.site == site and s.day == day]


def set_demand(operation: Operation, key: str, lines: Iterable[DemandLine]) -> Operation:
    """The operation with shift ``key``'s demand replaced by ``lines``."""
    operation.shift(key)  # KeyError names an unknown shift
    return replace(
        operation,
        shifts=tuple(replace(s, demand=tuple(lines)) if s.key == key else s for s in operation.shifts),
    )


def copy_demand(
    operation: Operation, sites: Iterable[str], source: date, first: date, last: date
) -> Operation:
    """Copy each site's demand of ``source`` to the same shift labels on ``first`` to ``last``.

    Days without a shift of that label at that site are left alone (apply templates first).
    """
    sites = set(sites)
    pattern = {(s.site, s.label): s.demand for s in operation.shifts if s.site in sites and s.day == source}
    shifts = []
    for s in operation.shifts:
        if first <= s.day <= last and s.day != source and (s.site, s.label) in pattern:
            s = replace(s, demand=pattern[(s.site, s.label)])
        shifts.append(s)
    return replace(operation, shifts=tuple(shifts))
