"""Staff members with their qualifications, leave and employment limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from deployer.domain.errors import require

WEEK_MINUTES = 7 * 24 * 60


@dataclass(frozen=True, slots=True)
class Qualification:
    """A skill a person holds, at a level, valid up to and including ``expires`` (if any)."""

    skill: str
    level: int = 1
    expires: date | None = None

    def valid_on(self, day: date) -> bool:
        """True when the qualification can be used on ``day``."""
        return self.expires is None or day <= self.expires


class AbsenceKind(StrEnum):
    """Why a person cannot be rostered."""

    LEAVE = "leave"
    UNAVAILABLE = "unavailable"
    TRAINING = "training"
    SICK = "sick"


@dataclass(frozen=True, slots=True)
class Absence:
    """Whole days (first to last, inclusive) on which a person must not be rostered."""

    first_day: date
    last_day: date
    kind: AbsenceKind = AbsenceKind.LEAVE
    note: str = ""

    def covers(self, day: date) -> bool:
        """True when ``day`` falls inside the absence."""
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True, slots=True)
class EmploymentLimits:
    """What a person's employment allows, over and above the operation's fatigue policy.

    ``contracted_minutes_per_week`` is the ordinary time; minutes beyond it are overtime.
    The optional limits tighten the policy for one person (part-timers, light duties).
    """

    contracted_minutes_per_week: int = 38 * 60
    max_minutes_per_week: int | None = None
    max_shifts: int | None = None
    min_total_minutes: int | None = None
    max_total_minutes: int | None = None
    max_weekends: int | None = None
    max_consecutive_days: int | None = None
    min_consecutive_days: int | None = None
    min_consecutive_days_off: int | None = None
    max_shifts_by_label: tuple[tuple[str, int], ...] = ()
    can_deploy_away: bool = True

    def check(self, record: str) -> None:
        """Refuse negative or contradictory limits."""
        require(self.contracted_minutes_per_week >= 0, record, "contracted hours", "is negative")
        for name in ("contracted_minutes_per_week", "max_minutes_per_week"):
            value = getattr(self, name)
            require(
                value is None or value <= WEEK_MINUTES, record, name.replace("_", " "), "is more than a week"
            )
        for name in (
            "max_minutes_per_week",
            "max_shifts",
            "min_total_minutes",
            "max_total_minutes",
            "max_weekends",
            "max_consecutive_days",
            "min_consecutive_days",
            "min_consecutive_days_off",
        ):
            value = getattr(self, name)
            require(value is None or value >= 0, record, name.replace("_", " "), "is negative")
        if self.min_total_minutes is not None and self.max_total_minutes is not None:
            require(
                self.min_total_minutes <= self.max_total_minutes,
                record,
                "min total minutes",
                "is above the maximum",
            )
        for label, limit in self.max_shifts_by_label:
            require(limit >= 0, record, f"max shifts of {label}", "is negative")


@dataclass(frozen=True, slots=True)
class StaffMember:
    """One deployable person, identified by their service number."""

    service_number: str
    given_name: str
    family_name: str
    rank: str
    agency: str
    home_station: str
    qualifications: tuple[Qualification, ...] = ()
    absences: tuple[Absence, ...] = ()
    limits: EmploymentLimits = field(default_factory=EmploymentLimits)

    def __post_init__(self) -> None:
        record = f"staff {self.service_number or '(no service number)'}"
        require(bool(self.service_number.strip()), record, "service number", "is empty")
        require(bool(self.family_name.strip()), record, "family name", "is empty")
        require(bool(self.rank.strip()), record, "rank", "is empty")
        require(bool(self.agency.strip()), record, "agency", "is empty")
        require(bool(self.home_station.strip()), record, "home station", "is empty")
        seen: set[str] = set()
        for q in self.qualifications:
            require(q.skill not in seen, record, f"skill {q.skill}", "is listed twice")
            require(q.level >= 1, record, f"skill {q.skill} level", "must be 1 or more")
            seen.add(q.skill)
        for a in self.absences:
            require(
                a.first_day <= a.last_day,
                record,
                f"{a.kind} from {a.first_day}",
                f"ends ({a.last_day}) before it starts",
            )
        self.limits.check(record)

    @property
    def name(self) -> str:
        """Display name, family name first as rosters print it."""
        return f"{self.family_name}, {self.given_name}".strip(", ")

    def available_on(self, day: date) -> bool:
        """True when no absence covers ``day``."""
        return not any(a.covers(day) for a in self.absences)

    def skill_level(self, skill: str, day: date) -> int:
        """The level held in ``skill`` on ``day``; 0 when not held or expired."""
        for q in self.qualifications:
            if q.skill == skill and q.valid_on(day):
                return q.level
        return 0
