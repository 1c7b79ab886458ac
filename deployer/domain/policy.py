"""Fatigue and deployment policy: the hard rules every roster is built and checked against.

Defaults follow the practice summarised in ``shared/DOMAIN.md``: 12-hour deployment shifts,
14 hours door to door, 10 hours rest (12 after a 12-hour shift), 7 days in a row, 60 hours in
7 days, a week away from home followed by rest. Every value is editable per operation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from deployer.domain.clock import minutes_between
from deployer.domain.errors import DomainError, require

#: Rules that a planner may mark soft (penalised instead of forbidden).
RULE_NAMES = (
    "shift_length",
    "duty_length",
    "rest_between_shifts",
    "consecutive_days",
    "consecutive_nights",
    "hours_per_7_days",
    "hours_per_14_days",
    "deployment_length",
    "travel_days",
    "rest_after_deployment",
    "commute",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "weekends",
    "forbidden_succession",
    "max_shifts",
    "total_minutes",
)


@dataclass(frozen=True)
class FatiguePolicy:
    """Named set of fatigue and deployment limits; minutes throughout."""

    name: str = "Standard deployment"
    max_shift_minutes: int = 12 * 60
    max_duty_minutes: int = 14 * 60
    min_rest_minutes: int = 10 * 60
    long_shift_minutes: int = 12 * 60
    min_rest_after_long_shift_minutes: int = 12 * 60
    max_consecutive_days: int = 7
    max_consecutive_nights: int = 4
    night_window_start_minute: int = 0
    night_window_end_minute: int = 6 * 60
    night_min_minutes: int = 3 * 60
    max_minutes_per_7_days: int = 60 * 60
    max_minutes_per_14_days: int = 110 * 60
    max_commute_minutes: int = 90
    max_deployment_days: int = 7
    rest_days_after_deployment: int = 2
    min_consecutive_days: int = 1
    min_consecutive_days_off: int = 1
    max_weekends: int | None = None
    forbidden_successions: tuple[tuple[str, str], ...] = ()
    soft_rules: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        record = f"fatigue policy {self.name!r}"
        require(bool(self.name.strip()), record, "name", "is empty")
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int) and not isinstance(value, bool):
                require(value >= 0, record, f.name.replace("_", " "), f"is negative ({value})")
        require(self.max_shift_minutes > 0, record, "max shift minutes", "must be positive")
        require(self.max_consecutive_days >= 1, record, "max consecutive days", "must be 1 or more")
        require(
            self.night_window_start_minute < self.night_window_end_minute <= 24 * 60,
            record,
            "night window",
            "must start before it ends within one day",
        )
        require(
            self.min_consecutive_days <= self.max_consecutive_days,
            record,
            "min consecutive days",
            "is above the maximum",
        )
        unknown = set(self.soft_rules) - set(RULE_NAMES)
        require(not unknown, record, "soft rules", f"names unknown rules: {sorted(unknown)}")

    def is_soft(self, rule: str) -> bool:
        """True when the planner allowed ``rule`` to be broken at a cost."""
        return rule in self.soft_rules

    def rest_required_after(self, shift_minutes: int) -> int:
        """Minimum rest in minutes after a shift of ``shift_minutes``."""
        if shift_minutes >= self.long_shift_minutes:
            return max(self.min_rest_minutes, self.min_rest_after_long_shift_minutes)
        return self.min_rest_minutes

    def night_minutes(self, start: datetime, end: datetime) -> int:
        """Minutes of the shift that fall inside the night window (local time, any day)."""
        total = 0
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        while day < end:
            w0 = day + timedelta(minutes=self.night_window_start_minute)
            w1 = day + timedelta(minutes=self.night_window_end_minute)
            total += max(0, minutes_between(max(start, w0), min(end, w1)))
            day += timedelta(days=1)
        return total

    def is_night(self, start: datetime, end: datetime) -> bool:
        """A night shift works at least ``night_min_minutes`` inside the night window."""
        return self.night_minutes(start, end) >= self.night_min_minutes

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form, for storage and approval bundles."""
        data = asdict(self)
        data["forbidden_successions"] = [list(p) for p in self.forbidden_successions]
        data["soft_rules"] = sorted(self.soft_rules)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FatiguePolicy:
        """Inverse of :meth:`to_dict`; unknown keys are refused, missing keys take defaults."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise DomainError(
                f"fatigue policy {data.get('name', '?')!r}", "fields", f"not understood: {sorted(unknown)}"
            )
        values = dict(data)
        if "forbidden_successions" in values:
            values["forbidden_successions"] = tuple(tuple(p) for p in values["forbidden_successions"])
        if "soft_rules" in values:
            values["soft_rules"] = frozenset(values["soft_rules"])
        return cls(**values)
