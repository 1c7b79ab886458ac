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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from deployer.domain.operations import Shift
from deployer.domain.policy import FatiguePolicy
from deployer.domain.rules import personal
from deployer.domain.staff import StaffMember
from deployer.solver.walk_kernel import cheapest_walk

INF = float("inf")
ROUNDS = 100
"""Most price adjustments of the counted rules in one response (each is one pass over the days)."""
EXACT_ROUNDS = 10
"""Rounds whose path is the exact optimum at its prices (a path keeping the counted rules there,
each priced one met exactly, is the best response); later rounds break near-ties at random."""
NOISE = 0.02
"""The random share of a typical price added to each day's prices after ``EXACT_ROUNDS``."""


@dataclass(frozen=True)
class Walk:
    """A path's shifts (the variables chosen) and their price."""

    chosen: list[int]
    cost: float
    proven: bool
    """No cheaper path keeps the counted rules (each priced rule is met exactly): the optimum."""


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
        self.kinds = kinds
        kind_of = {k: n for n, k in enumerate(kinds)}
        self.option_var = np.array([var for var, _ in options], dtype=np.int64)
        self.option_day = np.array([(s.day - first).days for _, s in options], dtype=np.int64)
        self.option_kind = np.array([kind_of[(s.label, s.minutes)] for _, s in options], dtype=np.int64)
        self.minutes = np.array([m for _, m in kinds], dtype=float)
        self.label_of = [label for label, _ in kinds]
        limits = person.limits
        self.max_run = min(self.days, personal(policy, person, "max_consecutive_days") or self.days)
        self.min_run = max(1, personal(policy, person, "min_consecutive_days") or 1)
        self.min_off = max(1, personal(policy, person, "min_consecutive_days_off") or 1)
        self.max_weekends = personal(policy, person, "max_weekends")
        self.max_by_label = {label: limit for label, limit in limits.max_shifts_by_label}
        self.max_shifts = limits.max_shifts
        self.min_minutes = limits.min_total_minutes
        self.max_minutes = limits.max_total_minutes
        forbidden = set(policy.forbidden_successions)
        labels = self.label_of
        self.follows = np.array([[(a, b) not in forbidden for b in labels] for a in labels], dtype=np.bool_)
        self.follows = self.follows.reshape(len(kinds), len(kinds))
        weekday = np.array([day.weekday() for day in days])
        self.saturday, self.sunday = weekday == 5, weekday == 6
        self.unit = float(self.minutes.mean()) if len(kinds) else 1.0
        """Minutes of an average shift: the minutes rule is counted in shifts like the others."""
        self.rng = np.random.default_rng(len(days) + len(options))
        self.prices: dict[str, float] = {}
        """Each counted rule's price per shift over its limit (the minutes rule's may be negative:
        a reward per shift under the minimum); kept from one response to the next."""
        self.steps: dict[str, float] = {}
        """Each rule's current step (see ``_adjust``)."""
        self.signs: dict[str, int] = {}
        """The direction of each rule's last move: a turn halves its step."""

    def best(self, prices: Mapping[int, float]) -> Walk | None:
        """The cheapest path found keeping every modelled rule at ``prices`` (variable -> cost;
        variables not in it are closed); None when the counted rules' prices found no path
        keeping them within ``ROUNDS``."""
        base, chosen = self._day_prices(prices)
        finite = np.abs(base[np.isfinite(base)])
        typical = max(1.0, float(np.median(finite)) if finite.size else 1.0)
        # Many shifts cost the same (an unfilled shift is an unfilled shift), so at most prices of
        # the counted rules the path jumps by many shifts at once and no price lands in a band of
        # hours. Noise breaks the ties: in the first rounds under half a unit over the horizon,
        # which leaves an optimum among whole-unit prices an optimum; after them a little more,
        # which breaks near-ties too but proves nothing.
        tiny = self.rng.random(base.shape) * (0.4 / self.days)
        noise = self.rng.random(base.shape) * (NOISE * typical)
        best: Walk | None = None
        for round_ in range(ROUNDS):
            jitter = tiny if round_ < EXACT_ROUNDS else noise
            path = self._path(base + jitter + self._kind_penalty()[None, :], self.prices.get("weekends", 0.0))
            if path is None:
                return best
            excess = self._excess(path)
            if not any(v > 0 for v in excess.values()) and excess.get("minutes", 0) == 0:
                cost = float(sum(base[t, k] for t, k in path))
                pushes = self._slack(path, excess)
                proven = round_ < EXACT_ROUNDS and not any(pushes.values())
                if best is None or cost < best.cost or proven:
                    best = Walk([int(chosen[t, k]) for t, k in path], cost, proven)
                if proven:
                    return best
                excess = pushes
            self._adjust(excess, typical)
        return best

    def _day_prices(self, prices: Mapping[int, float]) -> tuple[np.ndarray, np.ndarray]:
        """The cheapest open option of each kind on each day, and its variable."""
        kinds = len(self.kinds)
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

    def _kind_penalty(self) -> np.ndarray:
        """What the counted rules' prices add to one shift of each kind."""
        by_label = np.array([self.prices.get("label:" + label, 0.0) for label in self.label_of])
        per_minute = self.prices.get("minutes", 0.0) / self.unit
        return by_label + self.prices.get("shifts", 0.0) + per_minute * self.minutes

    def _excess(self, path: list[tuple[int, int]]) -> dict[str, float]:
        """Each counted rule's excess on ``path`` in shifts: above its maximum (positive), below
        the minimum of minutes (negative), else room to spare (negative, 0 for minutes)."""
        out: dict[str, float] = {}
        by_label: dict[str, int] = {}
        for _, k in path:
            by_label[self.label_of[k]] = by_label.get(self.label_of[k], 0) + 1
        for label, limit in self.max_by_label.items():
            out["label:" + label] = by_label.get(label, 0) - limit
        if self.max_shifts is not None:
            out["shifts"] = len(path) - self.max_shifts
        minutes = float(sum(self.minutes[k] for _, k in path))
        high = self.max_minutes if self.max_minutes is not None else INF
        low = self.min_minutes or 0
        if high < INF or low > 0:
            out["minutes"] = max(0.0, minutes - high) / self.unit + min(0.0, minutes - low) / self.unit
        if self.max_weekends is not None:
            days = {t for t, _ in path}
            worked = sum(1 for t in days if self.saturday[t] or (self.sunday[t] and t - 1 not in days))
            out["weekends"] = worked - self.max_weekends
        return out

    def _slack(self, path: list[tuple[int, int]], excess: dict[str, float]) -> dict[str, float]:
        """On a path keeping the counted rules: the room each priced rule leaves (a reason to
        lower its price; all zero when the path is the optimum), signed as an excess."""
        out = {rule: v if self.prices.get(rule, 0.0) > 0 else 0.0 for rule, v in excess.items()}
        price = self.prices.get("minutes", 0.0)
        if price:
            minutes = sum(self.minutes[k] for _, k in path)
            limit = self.max_minutes if price > 0 else self.min_minutes
            out["minutes"] = (minutes - (limit or 0)) / self.unit
        return out

    def _adjust(self, excess: dict[str, float], typical: float) -> None:
        """Move each rule's price toward keeping it: up while broken, down while there is room,
        by a step of its own that halves when the direction turns and grows while it holds."""
        for rule, value in excess.items():
            sign = int(value > 0) - int(value < 0)
            if not sign:
                continue
            step = self.steps.get(rule, typical)
            step *= 0.5 if sign == -self.signs.get(rule, sign) else 1.2
            self.steps[rule], self.signs[rule] = step, sign
            price = self.prices.get(rule, 0.0)
            moved = price + sign * step * min(1.0, abs(value))
            if rule != "minutes" or price * moved < 0:
                moved = max(0.0, moved) if rule != "minutes" else 0.0  # a push to room stops at 0
            self.prices[rule] = moved

    def _path(self, price: np.ndarray, weekend: float) -> list[tuple[int, int]] | None:
        """The (day, kind) worked on the cheapest walk at ``price`` (day x kind; inf: closed), a
        weekend worked costing ``weekend``; None when no walk keeps the rules."""
        kinds = cheapest_walk(
            price, self.follows, self.saturday, self.sunday, weekend, self.max_run, self.min_run, self.min_off
        )
        if len(kinds) and kinds[0] == -2:
            return None
        return [(t, int(k)) for t, k in enumerate(kinds) if k >= 0]
