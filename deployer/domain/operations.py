"""Operations (an emergency or an event), their shifts and the demand on each shift."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from zoneinfo import ZoneInfo

from deployer.domain.clock import add_minutes, minutes_between
from deployer.domain.errors import require
from deployer.domain.policy import FatiguePolicy

DEFAULT_TIMEZONE = "Australia/Melbourne"


class OperationKind(StrEnum):
    """Whether the operation answers an emergency or supports a planned event."""

    EMERGENCY = "emergency"
    EVENT = "event"


@dataclass(frozen=True, slots=True)
class SkillNeed:
    """A skill a demand line requires, at a minimum level."""

    skill: str
    min_level: int = 1


@dataclass(frozen=True, slots=True)
class DemandLine:
    """How many people a shift needs of one kind: minimum rank, skills, and allowed agencies.

    An empty ``agencies`` set accepts anyone; ``min_rank`` None accepts any rank.
    ``under_cost`` prices each missing person (None: the objective's default); ``over_cost``
    prices each person beyond ``count`` (None: over-staffing is not allowed).
    """

    count: int
    min_rank: str | None = None
    skills: frozenset[SkillNeed] = field(default_factory=frozenset)
    agencies: frozenset[str] = field(default_factory=frozenset)
    under_cost: int | None = None
    over_cost: int | None = None

    def describe(self) -> str:
        """Planner wording, e.g. '3 x SGT with PO, FA'."""
        parts = [f"{self.count} x {self.min_rank or 'any rank'}"]
        if self.skills:
            parts.append("with " + ", ".join(sorted(_need_text(n) for n in self.skills)))
        if self.agencies:
            parts.append("from " + "/".join(sorted(self.agencies)))
        return " ".join(parts)


def _shift_order(shift: Shift) -> tuple[datetime, str]:
    return shift.start.astimezone(UTC), shift.key


def _need_text(need: SkillNeed) -> str:
    return need.skill if need.min_level <= 1 else f"{need.skill} (level {need.min_level})"


@dataclass(frozen=True, slots=True)
class ShiftTemplate:
    """A repeating shift pattern such as 07:00-15:00 'D' or 19:00-07:00 'N12'."""

    label: str
    start: time
    minutes: int

    def __post_init__(self) -> None:
        require(bool(self.label.strip()), "shift template", "label", "is empty")
        require(
            0 < self.minutes <= 24 * 60,
            f"shift template {self.label}",
            "length",
            f"must be between 1 minute and 24 hours, not {self.minutes} minutes",
        )

    def on(self, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Start and end on ``day`` in local time; the end may fall on the next day."""
        start = datetime.combine(day, self.start, tzinfo=tz)
        return start, add_minutes(start, self.minutes)


@dataclass(frozen=True, slots=True)
class Shift:
    """One shift at one site, with real start and end datetimes (nights cross midnight)."""

    key: str
    site: str
    start: datetime
    end: datetime
    label: str = ""
    demand: tuple[DemandLine, ...] = ()
    minutes: int = field(init=False, repr=False, compare=False)
    """Length of the shift in minutes (real elapsed time, so DST changes count)."""
    day: date = field(init=False, repr=False, compare=False)
    """The local date the shift starts on: the day it belongs to."""

    def __post_init__(self) -> None:
        # Both are read millions of times while scoring a year's roster: work them out once.
        object.__setattr__(self, "minutes", minutes_between(self.start, self.end))
        object.__setattr__(self, "day", self.start.date())
        record = f"shift {self.key or '(no key)'}"
        require(bool(self.key.strip()), record, "key", "is empty")
        require(bool(self.site.strip()), record, "site", "is empty")
        require(
            self.start.tzinfo is not None and self.end.tzinfo is not None,
            record,
            "start/end",
            "must carry a time zone",
        )
        require(
            self.minutes > 0,
            record,
            "end",
            f"({self.end:%Y-%m-%d %H:%M}) is not after the start ({self.start:%Y-%m-%d %H:%M})",
        )
        for i, line in enumerate(self.demand, start=1):
            require(line.count >= 0, record, f"demand line {i} count", f"is negative ({line.count})")
            for name in ("under_cost", "over_cost"):
                cost = getattr(line, name)
                require(
                    cost is None or cost >= 0,
                    record,
                    f"demand line {i} {name.replace('_', ' ')}",
                    f"is negative ({cost})",
                )
            for need in line.skills:
                require(
                    need.min_level >= 1,
                    record,
                    f"demand line {i} skill {need.skill}",
                    "level must be 1 or more",
                )

    @property
    def required(self) -> int:
        """Total number of people the shift needs."""
        return sum(line.count for line in self.demand)


@dataclass(frozen=True)
class Operation:
    """An emergency or event: dates, cities, sites, shifts with demand, and its fatigue policy."""

    name: str
    kind: OperationKind
    first_day: date
    last_day: date
    cities: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    shifts: tuple[Shift, ...] = ()
    policy: FatiguePolicy = field(default_factory=FatiguePolicy)
    timezone: str = DEFAULT_TIMEZONE
    description: str = ""

    def __post_init__(self) -> None:
        record = f"operation {self.name!r}"
        require(bool(self.name.strip()), record, "name", "is empty")
        require(
            self.first_day <= self.last_day,
            record,
            "last day",
            f"({self.last_day}) is before the first day ({self.first_day})",
        )
        try:
            ZoneInfo(self.timezone)
        except (KeyError, ValueError, OSError) as exc:  # OSError: a name too long for a file
            raise ValueError(f"{record}: timezone {self.timezone!r} is unknown") from exc
        # One canonical order (by start, then key) so equal operations compare equal.
        object.__setattr__(self, "shifts", tuple(sorted(self.shifts, key=_shift_order)))
        sites = set(self.sites)
        keys: set[str] = set()
        for shift in self.shifts:
            require(shift.key not in keys, record, f"shift {shift.key}", "appears twice")
            keys.add(shift.key)
            require(
                shift.site in sites,
                record,
                f"shift {shift.key} site",
                f"{shift.site!r} is not one of the operation's sites",
            )
            local_day = shift.start.astimezone(self.tz).date()
            require(
                self.first_day <= local_day <= self.last_day,
                record,
                f"shift {shift.key}",
                f"starts on {local_day}, outside {self.first_day} to {self.last_day}",
            )

    @property
    def tz(self) -> ZoneInfo:
        """The operation's local time zone."""
        return ZoneInfo(self.timezone)

    @property
    def days(self) -> list[date]:
        """Every day of the operation, first to last."""
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=i) for i in range(count)]

    def shift(self, key: str) -> Shift:
        """The shift with ``key``; KeyError when absent."""
        return self._by_key[key]

    @cached_property
    def _by_key(self) -> dict[str, Shift]:
        return {s.key: s for s in self.shifts}
