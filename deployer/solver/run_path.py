"""One person's cheapest roster as a shortest path over the days: the quick best response.

A person's best response (``person_search``) is a CP-SAT model over the whole horizon; over a year
it takes a second or more to solve. Most of a person's rules are about the order of their days:
how many working days in a row, how many days off between runs, which shift may follow which.
Those are a walk through a small graph, one step a day, whose states are "working shift kind s,
k days into the run" or "off, k days into the break", so the cheapest roster keeping them is a
shortest path found in one pass over the days (compiled: ``walk_kernel``).

The rules that count over the whole horizon (shifts of a label, shifts in all, total minutes,
weekends) do not fit a state; they are priced instead (Lagrangian relaxation): each breach costs
a multiplier, raised while the path breaks the rule and lowered while it keeps it with room to
spare, until a path keeps them all. The person's other rules (rest hours, hours in 7 and 14
days, nights in a row, travel) are not modelled: the caller checks the path with the validator
and falls back on the CP-SAT model when it breaks one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from deployer.domain.operations import Shift
from deployer.domain.policy import FatiguePolicy
from deployer.domain.rules import personal
from deployer.domain.staff import EmploymentLimits, StaffMember
from deployer.solver.walk_kernel import priced_walks

INF = float("inf")
ROUNDS = 100
"""Most price adjustments of the counted rules in one response (each is one pass over the days)."""
EXACT_ROUNDS = 10
"""Rounds whose path is the exact optimum at its prices (a path keeping the counted rules there,
each priced one met exactly, is the best response); later rounds break near-ties at random."""
JITTER = 0.4
"""Most the tie-breaking of the exact rounds adds to a walk's price (spread over its days)."""
RESOURCE_CELLS = 20_000_000
"""Most states times transitions (days x 2 x kinds^2 x longest run x minute levels x weekend
levels) for a counting walk: tens of milliseconds a walk, compiled. Curtois Instance 19's
people at 24-32 million made its generation's rounds slower than the model pricings they saved
(60 s: 4,157 and 4,679 with 30 million, 3,874 and 3,944 with 20 million)."""
COUNTING_ROUNDS = 10
"""Most price adjustments of a counting walk (each tens of times a priced walk's time)."""
NOISE = 0.02
"""The random share of a typical price added to each day's prices after ``EXACT_ROUNDS``."""


@dataclass(frozen=True)
class Walk:
    """A path's shifts (the variables chosen) and their price."""

    chosen: list[int]
    cost: float
    proven: bool
    """No cheaper path keeps the counted rules (each priced rule is met exactly): the optimum."""


@dataclass(frozen=True)
class Walks:
    """What one response found (``RunPath.best``)."""

    best: Walk | None
    kept: list[Walk]
    """Every walk met that keeps the counted rules."""
    bound: float
    """No walk keeping the modelled rules costs less at the prices given (inf: there is none)."""


@dataclass
class _Counted:
    """The counted rules as one kind of walk sees them: those priced (rows of what a shift of
    each kind counts, bands, and their Lagrangian prices, kept from one response to the next)
    and those kept in the walk's state (see ``walk_kernel.cheapest_walk``)."""

    per_kind: np.ndarray
    low: np.ndarray
    high: np.ndarray
    weekend_rule: int
    """The priced row of the weekends rule (-1: none), counted from the days worked."""
    prices: np.ndarray
    """Each priced rule's price per unit over its maximum, or (negative) under its minimum."""
    steps: np.ndarray
    """Each rule's current step (see ``_adjust``; 0: none yet)."""
    signs: np.ndarray
    """The direction of each rule's last move: a turn halves its step."""
    units: np.ndarray
    cap: int
    least: int
    saturate: bool
    weekends: int

    @classmethod
    def of(
        cls,
        rows: list[np.ndarray],
        bands: list[tuple[float, float]],
        kinds: int,
        weekend_rule: int,
        units: np.ndarray | None = None,
        cap: int = 0,
        least: int = 0,
        saturate: bool = False,
        weekends: int = -1,
    ) -> _Counted:
        """Rules ``rows`` priced within ``bands``; by default nothing counted in the state."""
        return cls(
            np.array(rows, dtype=float).reshape(len(rows), kinds),
            np.array([low for low, _ in bands], dtype=float),  # one type: one compiled kernel
            np.array([high for _, high in bands], dtype=float),
            weekend_rule,
            np.zeros(len(rows)),
            np.zeros(len(rows)),
            np.zeros(len(rows)),
            np.zeros(kinds, dtype=np.int64) if units is None else units,
            cap,
            least,
            saturate,
            weekends,
        )


class RunPath:
    """The shortest-path response of one person; see the module docstring."""

    def __init__(
        self,
        person: StaffMember,
        policy: FatiguePolicy,
        days: Sequence[date],
        options: Sequence[tuple[int, Shift]],
    ) -> None:
        """``options``: (variable, shift) for each demand line the person could fill."""
        self.days = len(days)
        first = days[0]
        kinds = sorted({(s.label, s.minutes) for _, s in options})
        kind_of = {k: n for n, k in enumerate(kinds)}
        self.option_var = np.array([var for var, _ in options], dtype=np.int64)
        self.option_day = np.array([(s.day - first).days for _, s in options], dtype=np.int64)
        self.option_kind = np.array([kind_of[(s.label, s.minutes)] for _, s in options], dtype=np.int64)
        minutes = np.array([m for _, m in kinds], dtype=float)
        labels = [label for label, _ in kinds]
        limits = person.limits
        self.max_run = min(self.days, personal(policy, person, "max_consecutive_days") or self.days)
        self.min_run = max(1, personal(policy, person, "min_consecutive_days") or 1)
        self.min_off = max(1, personal(policy, person, "min_consecutive_days_off") or 1)
        forbidden = set(policy.forbidden_successions)
        self.follows = np.array([[(a, b) not in forbidden for b in labels] for a in labels], dtype=np.bool_)
        self.follows = self.follows.reshape(len(kinds), len(kinds))
        weekday = np.array([day.weekday() for day in days])
        self.saturday, self.sunday = weekday == 5, weekday == 6
        # The counted rules: what one shift of each kind counts towards each, and the band it
        # must end in. Minutes are counted in average shifts, so that one step fits every rule.
        unit = float(minutes.mean()) if len(kinds) else 1.0
        rows: list[np.ndarray] = []
        bands: list[tuple[float, float]] = []
        for label, limit in limits.max_shifts_by_label:
            if label in labels:
                rows.append(np.array([float(other == label) for other in labels]))
                bands.append((-INF, limit))
        if limits.max_shifts is not None:
            rows.append(np.ones(len(kinds)))
            bands.append((-INF, limits.max_shifts))
        max_weekends = personal(policy, person, "max_weekends")
        self.counting = self._counting(minutes, limits, max_weekends, rows, bands)
        """The rules again with the total minutes and the weekends counted in the walk's state
        (None: too many states): slower walks, but no duality gap on those two."""
        if limits.max_total_minutes is not None or limits.min_total_minutes:
            rows.append(minutes / unit)
            high = INF if limits.max_total_minutes is None else limits.max_total_minutes / unit
            bands.append(((limits.min_total_minutes or 0) / unit, high))
        weekend_rule = len(rows) if max_weekends is not None else -1
        if max_weekends is not None:
            rows.append(np.zeros(len(kinds)))  # counted from the days worked, not by kind
            bands.append((-INF, max_weekends))
        self.priced = _Counted.of(rows, bands, len(kinds), weekend_rule)
        """Every counted rule priced: quick walks."""
        self.rng = np.random.default_rng(len(days) + len(options))

    def _counting(
        self,
        minutes: np.ndarray,
        limits: EmploymentLimits,
        max_weekends: int | None,
        rows: list[np.ndarray],
        bands: list[tuple[float, float]],
    ) -> _Counted | None:
        """The rules ``rows`` and ``bands`` priced, the total minutes (in units of the kinds'
        greatest common divisor) and the weekends counted in the state, when those states fit
        ``RESOURCE_CELLS`` and there is something to count."""
        low, high = limits.min_total_minutes or 0, limits.max_total_minutes
        counted = high is not None or low > 0
        if not counted and max_weekends is None:
            return None
        step = math.gcd(*(int(m) for m in minutes)) if len(minutes) else 0
        if counted and step <= 0:
            return None
        least = -(-low // step) if counted else 0
        cap = (least if high is None else high // step) if counted else 0
        width = 1 if max_weekends is None else max_weekends + 1
        if cap < 0 or self.days * 2 * len(minutes) ** 2 * self.max_run * (cap + 1) * width > RESOURCE_CELLS:
            return None
        units = (minutes // step).astype(np.int64) if counted else np.zeros(len(minutes), dtype=np.int64)
        weekends = -1 if max_weekends is None else max_weekends
        return _Counted.of(
            rows, bands, len(minutes), -1, units, cap, least, counted and high is None, weekends
        )

    def best(
        self,
        prices: Mapping[int, float],
        below: float = INF,
        enough: int = ROUNDS,
        counting: bool = False,
        typical: float | None = None,
    ) -> Walks:
        """The walks keeping every modelled rule at ``prices`` (variable -> cost; variables not
        in it are closed): the cheapest found keeping the counted rules (None when the counted
        rules' prices found none within ``ROUNDS``, or before ``enough`` were found costing less
        than ``below``), every such walk met on the way, and a lower bound on the cost of any
        (Lagrangian). With ``counting`` (when there is ``self.counting``), the total minutes and
        the weekends are kept in the walk's state, in ``COUNTING_ROUNDS`` rounds. ``typical`` is the
        usual size of a price, by which the noise and the counted rules' price steps are scaled
        (the median of the days' open prices when None)."""
        rules = self.counting if counting and self.counting is not None else self.priced
        base, chosen = self._day_prices(prices)
        if typical is None:
            finite = np.abs(base[np.isfinite(base)])
            typical = float(np.median(finite)) if finite.size else 1.0
        typical = max(1.0, typical)
        # Many shifts cost the same (an unfilled shift is an unfilled shift), so at most prices of
        # the counted rules the path jumps by many shifts at once and no price lands in a band of
        # hours. Noise breaks the ties: in the first rounds under half a unit over the horizon,
        # which leaves an optimum among whole-unit prices an optimum; after them a little more,
        # which breaks near-ties too but proves nothing.
        tiny = self.rng.random(base.shape) * (JITTER / self.days)
        noise = self.rng.random(base.shape) * (NOISE * typical)
        walks, costs, bound, proven = priced_walks(
            base,
            tiny,
            noise,
            COUNTING_ROUNDS if rules is self.counting else ROUNDS,
            EXACT_ROUNDS,
            float(below),  # one type: one compiled kernel
            enough,
            rules.per_kind,
            rules.low,
            rules.high,
            rules.weekend_rule,
            rules.prices,
            rules.steps,
            rules.signs,
            typical,
            self.follows,
            self.saturday,
            self.sunday,
            self.max_run,
            self.min_run,
            self.min_off,
            rules.units,
            rules.cap,
            rules.least,
            rules.saturate,
            rules.weekends,
        )
        if proven == -2:
            return Walks(None, [], INF)
        kept: dict[bytes, Walk] = {}
        for kinds, cost in zip(walks, costs, strict=True):
            days = np.flatnonzero(kinds >= 0)
            kept.setdefault(kinds.tobytes(), Walk(chosen[days, kinds[days]].tolist(), float(cost), False))
        if proven >= 0:
            walk = replace(kept[walks[proven].tobytes()], proven=True)
            return Walks(walk, list(kept.values()), walk.cost - JITTER)
        best = min(kept.values(), key=lambda walk: walk.cost, default=None)
        return Walks(best, list(kept.values()), bound - JITTER)

    def _day_prices(self, prices: Mapping[int, float]) -> tuple[np.ndarray, np.ndarray]:
        """The cheapest open option of each kind on each day, and its variable."""
        kinds = len(self.follows)
        price = np.array([prices.get(int(var), INF) for var in self.option_var])
        cell = self.option_day * kinds + self.option_kind
        order = np.lexsort((price, cell))  # by cell, the cheapest first
        first = np.ones(len(order), dtype=np.bool_)
        first[1:] = cell[order][1:] != cell[order][:-1]
        picked = order[first]
        base = np.full(self.days * kinds, INF)
        chosen = np.full(self.days * kinds, -1, dtype=np.int64)
        base[cell[picked]] = price[picked]
        chosen[cell[picked]] = self.option_var[picked]
        return base.reshape(self.days, kinds), chosen.reshape(self.days, kinds)
