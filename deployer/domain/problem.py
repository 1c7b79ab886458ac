"""A roster problem as the solver and the validator see it, and the result the solver returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from deployer.domain.catalogue import Catalogue, Rank
from deployer.domain.errors import DomainError
from deployer.domain.locations import TravelMatrix
from deployer.domain.operations import DemandLine, Operation, Shift
from deployer.domain.requests import StaffRequest
from deployer.domain.roster import Assignment
from deployer.domain.staff import StaffMember


@dataclass(frozen=True)
class ObjectiveWeights:
    """Costs of each objective term, in points; all editable by the planner.

    Defaults put unfilled demand far above everything, then changes to a published roster
    (re-rostering), breaches of rules marked soft, then staff requests, fatigue, lodging, travel,
    overtime and fairness.
    """

    unfilled: int = 1000
    """Per person missing from a demand line (a line's own ``under_cost`` overrides it)."""
    change: int = 200
    """Per assignment of the published roster that is moved or removed."""
    soft_rule: int = 300
    """Per breach of a rule the policy marks soft."""
    request: int = 20
    """Per unit of weight of a staff request not honoured."""
    fatigue: int = 1
    """Per fatigue point of a rostered shift (see ``rules.fatigue_score``)."""
    lodging_night: int = 15
    """Per night someone is lodged away from home."""
    travel_per_10_km: int = 1
    """Per 10 km driven to and from shifts."""
    overtime_per_hour: int = 2
    """Per hour over a person's contracted hours (pro rata over the horizon)."""
    fairness_per_hour: int = 1
    """Per hour of the heaviest total load in each rank (minimising the peak spreads the work)."""
    fairness_per_night: int = 5
    """Per night shift of whoever in each rank works the most nights."""
    fairness_per_weekend_shift: int = 5
    """Per weekend shift of whoever in each rank works the most weekend shifts."""

    def __post_init__(self) -> None:
        for name, value in self.__dict__.items():
            if value < 0:
                raise DomainError("objective weights", name, f"is negative ({value})")

    @classmethod
    def only(cls, **weights: int) -> ObjectiveWeights:
        """Weights that count only the terms named, e.g. ``only(request=1)`` for a benchmark."""
        return cls(**{**dict.fromkeys(cls.__dataclass_fields__, 0), **weights})

    def shortfall(self, line: DemandLine) -> int:
        """What one missing person on ``line`` costs: the line's own price, else ``unfilled``."""
        return self.unfilled if line.under_cost is None else line.under_cost


@dataclass(frozen=True)
class RosterProblem:
    """Everything needed to build or check a roster for one operation."""

    operation: Operation
    staff: tuple[StaffMember, ...]
    catalogue: Catalogue
    travel: TravelMatrix
    requests: tuple[StaffRequest, ...] = ()
    weights: ObjectiveWeights = field(default_factory=ObjectiveWeights)
    published: tuple[Assignment, ...] = ()
    """The roster in force, for re-rostering: changes to it are counted and minimised."""
    history: tuple[Assignment, ...] = ()
    """Assignments to shifts before the horizon (in ``history_shifts``) that rules reach back to."""
    history_shifts: tuple[Shift, ...] = ()

    @property
    def ranks(self) -> dict[str, Rank]:
        """Ranks by code, for minimum-rank checks."""
        return self.catalogue.ranks

    def person(self, service_number: str) -> StaffMember:
        """The person with ``service_number``; KeyError when absent."""
        return self._people[service_number]

    @cached_property
    def _people(self) -> dict[str, StaffMember]:
        return {p.service_number: p for p in self.staff}


class SolveStatus(StrEnum):
    """How a solve ended, in planner words."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "no roster found in time"
    INVALID = "invalid problem"


@dataclass(frozen=True)
class Shortfall:
    """Demand that the roster leaves unfilled."""

    shift_key: str
    line: int
    missing: int
    description: str


@dataclass(frozen=True)
class RosterResult:
    """What the solver returns: the roster, its figures and, when it fails, why."""

    status: SolveStatus
    assignments: tuple[Assignment, ...]
    objective: float | None
    bound: float | None
    wall_seconds: float
    breakdown: dict[str, float] = field(default_factory=dict)
    shortfalls: tuple[Shortfall, ...] = ()
    explanation: tuple[str, ...] = ()
    changes: int = 0
    stopped: bool = False

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound (0 when proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return abs(self.objective - self.bound) / max(abs(self.objective), 1e-9)

    @property
    def unfilled(self) -> int:
        """People missing across all shifts."""
        return sum(s.missing for s in self.shortfalls)
