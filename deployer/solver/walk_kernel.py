"""The cheapest walk through a person's days, compiled (numba): the inner loop of ``run_path``.

States of a day: working shift kind ``s`` on the (k+1)th day of a run, or off on the (k+1)th day
of a break (the last index: ``min_off`` days or more). Flag ``e`` = 1 marks a run or break that
began on the first day, which frees it from its minimum length (the validator does not count a
run or a break at an edge of the horizon as short), and so does the last day's.
"""

from __future__ import annotations

import numpy as np
from numba import njit

INF = np.inf
EPS = 1e-9
"""Counts are sums of fractions (minutes in average shifts): closer than this to a limit is at it."""


@njit(cache=True, nogil=True)
def cheapest_walk(
    price: np.ndarray,
    follows: np.ndarray,
    saturday: np.ndarray,
    sunday: np.ndarray,
    weekend: float,
    max_run: int,
    min_run: int,
    min_off: int,
    units: np.ndarray,
    cap: int,
    least: int,
    saturate: bool,
    weekends: int,
) -> np.ndarray:  # pragma: no cover - compiled; tests/solver/test_run_path.py checks it
    """The kind worked each day (-1: off) on the cheapest walk at ``price`` (day x kind, inf:
    closed), where kind b may follow kind a on the next day when ``follows[a, b]`` and each
    weekend worked costs ``weekend``; all -2 when no walk keeps the rules.

    Two counts can be kept exactly in the state instead: a resource of which each shift of kind
    s uses ``units[s]``, ending at least ``least`` and at most ``cap`` (with ``saturate``, no
    most: counts stop at ``cap``, which is ``least``); and, unless ``weekends`` is -1, the
    weekends worked, at most ``weekends``. State ``r`` holds resource ``r // width`` and
    weekends ``r % width``."""
    days, kinds = price.shape
    width = weekends + 1 if weekends >= 0 else 1
    size = (cap + 1) * width
    work = np.full((days, 2, kinds, max_run, size), INF)
    off = np.full((days, 2, min_off, size), INF)
    rested = np.full(size, INF)
    ended = np.full(size, INF)
    most = 0  # the most of the resource one shift uses
    for s in range(kinds):
        most = max(most, units[s])
    for t in range(days):
        saturday_cost = weekend if saturday[t] else 0.0
        new_weekend = weekend if (saturday[t] or sunday[t]) else 0.0
        more = 1 if weekends >= 0 and saturday[t] else 0  # weekends counted going on into day t
        start = 1 if weekends >= 0 and (saturday[t] or sunday[t]) else 0  # starting a run on it
        if t == 0:
            for s in range(kinds):
                r2 = _counted(0, units[s], start, cap, saturate, width)
                if r2 >= 0:
                    work[0, 1, s, 0, r2] = price[0, s] + new_weekend
            off[0, 1, 0, 0] = 0.0
            continue
        # The states of day t - 1 worth going on from: no more than t days' worth of the
        # resource, and enough that the days left can still reach ``least``.
        first_r = max(0, least - (days - t) * most) * width
        end_r = min(size, (t * most + 1) * width)
        runs = 2 if t <= max_run else 1  # runs begun on the first day have ended by now
        for r in range(first_r, end_r):
            best = off[t - 1, 0, min_off - 1, r]
            for k in range(min_off):
                best = min(best, off[t - 1, 1, k, r])
            rested[r] = best
            best = INF
            for s in range(kinds):
                for k in range(min_run - 1, max_run):
                    best = min(best, work[t - 1, 0, s, k, r])
                for k in range(max_run):
                    best = min(best, work[t - 1, 1, s, k, r])
            ended[r] = best
        for b in range(kinds):
            p = price[t, b]
            if p == INF:
                continue
            for r in range(first_r, end_r):
                if rested[r] < INF:
                    r2 = _counted(r, units[b], start, cap, saturate, width)
                    if r2 >= 0:
                        work[t, 0, b, 0, r2] = min(work[t, 0, b, 0, r2], rested[r] + p + new_weekend)
            for e in range(runs):
                for k in range(1, max_run):
                    for a in range(kinds):
                        if not follows[a, b]:
                            continue
                        for r in range(first_r, end_r):
                            value = work[t - 1, e, a, k - 1, r] + p + saturday_cost
                            if value < INF:
                                r2 = _counted(r, units[b], more, cap, saturate, width)
                                if r2 >= 0 and value < work[t, e, b, k, r2]:
                                    work[t, e, b, k, r2] = value
        for e in range(2):
            for k in range(1, min_off):
                off[t, e, k, :] = off[t - 1, e, k - 1, :]
            for r in range(size):
                off[t, e, min_off - 1, r] = min(off[t, e, min_off - 1, r], off[t - 1, e, min_off - 1, r])
        for r in range(first_r, end_r):
            off[t, 0, 0, r] = min(off[t, 0, 0, r], ended[r])
    return _back(work, off, follows, min_run, min_off, units, least, saturate, width, saturday, sunday)


@njit(cache=True, nogil=True)
def _counted(
    r: int, used: int, weekend: int, cap: int, saturate: bool, width: int
) -> int:  # pragma: no cover
    """The state after using ``used`` of the resource and ``weekend`` weekends from state ``r``
    (-1: over a limit)."""
    resource, weekends = r // width + used, r % width + weekend
    if weekends >= width:
        return -1
    if resource > cap:
        if not saturate:
            return -1
        resource = cap
    return resource * width + weekends


@njit(cache=True, nogil=True)
def _back(
    work: np.ndarray,
    off: np.ndarray,
    follows: np.ndarray,
    min_run: int,
    min_off: int,
    units: np.ndarray,
    least: int,
    saturate: bool,
    width: int,
    saturday: np.ndarray,
    sunday: np.ndarray,
) -> np.ndarray:  # pragma: no cover - compiled
    """The kinds worked, read back from each day's cheapest costs."""
    days, _, kinds, max_run, size = work.shape
    cap = size // width - 1
    counting = width > 1
    out = np.full(days, -1)
    last = days - 1
    # state: working (1) or off (0), flag e, kind s, index k, counts r
    working, e, s, k, r, best = 0, 0, 0, 0, 0, INF
    for r0 in range(least * width, size):
        for e0 in range(2):
            for s0 in range(kinds):
                for k0 in range(max_run):
                    if work[last, e0, s0, k0, r0] < best:
                        working, e, s, k, r, best = 1, e0, s0, k0, r0, work[last, e0, s0, k0, r0]
            for k0 in range(min_off):
                if off[last, e0, k0, r0] < best:
                    working, e, s, k, r, best = 0, e0, 0, k0, r0, off[last, e0, k0, r0]
    if best == INF:
        out[:] = -2
        return out
    for t in range(last, 0, -1):
        if working:
            out[t] = s
            # the states the day before that lead here
            weekend = 0
            if counting and (saturday[t] or (sunday[t] and k == 0)):
                weekend = 1
            resource, weekends = r // width, r % width - weekend
            low_r, high_r = resource - units[s], resource - units[s]
            if saturate and resource == cap:
                low_r, high_r = max(0, cap - units[s]), cap
            best, choice, chosen_r = INF, 0, 0
            if k > 0:
                for a in range(kinds):
                    if follows[a, s]:
                        for m in range(max(0, low_r), high_r + 1):
                            r0 = m * width + weekends
                            if work[t - 1, e, a, k - 1, r0] < best:
                                best, choice, chosen_r = work[t - 1, e, a, k - 1, r0], a, r0
                s, k, r = choice, k - 1, chosen_r
            else:
                stay_e, stay_k = 0, min_off - 1
                for m in range(max(0, low_r), high_r + 1):
                    r0 = m * width + weekends
                    if off[t - 1, 0, min_off - 1, r0] < best:
                        best, stay_e, stay_k, chosen_r = off[t - 1, 0, min_off - 1, r0], 0, min_off - 1, r0
                    for j in range(min_off):
                        if off[t - 1, 1, j, r0] < best:
                            best, stay_e, stay_k, chosen_r = off[t - 1, 1, j, r0], 1, j, r0
                working, e, k, r = 0, stay_e, stay_k, chosen_r
        else:
            best = off[t - 1, e, k, r] if k == min_off - 1 else INF
            stay_e, stay_k = e, k
            if k > 0 and off[t - 1, e, k - 1, r] < best:
                best, stay_k = off[t - 1, e, k - 1, r], k - 1
            if k == 0 and e == 0:
                for a in range(kinds):
                    for j in range(max_run):
                        for f in range(2):
                            if (f == 1 or j >= min_run - 1) and work[t - 1, f, a, j, r] < best:
                                best, working, stay_e, s, stay_k = work[t - 1, f, a, j, r], 1, f, a, j
            e, k = stay_e, stay_k
    if working:
        out[0] = s
    return out


@njit(cache=True, nogil=True)
def priced_walks(
    base: np.ndarray,
    tiny: np.ndarray,
    noise: np.ndarray,
    rounds: int,
    exact_rounds: int,
    below: float,
    enough: int,
    per_kind: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    weekend_rule: int,
    prices: np.ndarray,
    steps: np.ndarray,
    signs: np.ndarray,
    typical: float,
    follows: np.ndarray,
    saturday: np.ndarray,
    sunday: np.ndarray,
    max_run: int,
    min_run: int,
    min_off: int,
    units: np.ndarray,
    cap: int,
    least: int,
    saturate: bool,
    weekends: int,
) -> tuple[np.ndarray, np.ndarray, float, int]:  # pragma: no cover - compiled
    """The Lagrangian rounds of ``run_path.RunPath.best``: one cheapest walk a round at ``base``
    plus a jitter (``tiny`` in the exact rounds, ``noise`` in the others) plus the counted rules'
    ``prices`` (per_kind rows; the weekend rule's row counted from the days worked), which then
    move toward keeping the rules (updated in place with their ``steps`` and ``signs``), for
    ``rounds`` rounds or until ``enough`` walks keeping the rules cost less than ``below``. The
    walks keeping the counted rules (kind a day, -1 off) and their cost at ``base``, a lower
    bound from the exact rounds (the first ``exact_rounds`` and an extra last one; their jitter is
    not taken off), and the index of the walk proven the cheapest (-1: none; -2: no walk keeps the
    rules at all). The resource (``units``, ``cap``, ``least``, ``saturate``) and the
    ``weekends`` (see ``cheapest_walk``) are kept exactly by every walk instead of priced."""
    days, kinds = base.shape
    rules = len(prices)
    # No price need exceed what a whole walk can gain: one more unit of a rule is worth at most
    # every open day's dearest or cheapest shift, counted in the rule's smallest unit.
    price_cap = typical
    for t in range(days):
        for k in range(kinds):
            if base[t, k] != INF:
                price_cap += abs(base[t, k])
    smallest = 1.0
    for i in range(rules):
        for k in range(kinds):
            if 0.0 < per_kind[i, k] < smallest:
                smallest = per_kind[i, k]
    price_cap /= smallest
    walks = np.full((rounds, days), -1)
    costs = np.zeros(rounds)
    found, cheap, bound = 0, 0, -INF
    counts = np.zeros(rules)
    move = np.zeros(rules)
    final = rounds == 0
    r = 0
    while True:
        exact = r < exact_rounds or final
        price = base + (tiny if exact else noise)
        for k in range(kinds):
            extra = 0.0
            for i in range(rules):
                extra += prices[i] * per_kind[i, k]
            price[:, k] += extra
        weekend = prices[weekend_rule] if weekend_rule >= 0 else 0.0
        walk = cheapest_walk(
            price,
            follows,
            saturday,
            sunday,
            weekend,
            max_run,
            min_run,
            min_off,
            units,
            cap,
            least,
            saturate,
            weekends,
        )
        if days and walk[0] == -2:
            return walks[:0], costs[:0], INF, -2
        cost = 0.0
        counts[:] = 0.0
        for t in range(days):
            s = walk[t]
            if s < 0:
                continue
            cost += base[t, s]
            for i in range(rules):
                counts[i] += per_kind[i, s]
            if weekend_rule >= 0 and (saturday[t] or (sunday[t] and not (t > 0 and walk[t - 1] >= 0))):
                counts[weekend_rule] += 1.0
        if exact:
            value = cost
            for i in range(rules):
                if prices[i] > 0:
                    value += prices[i] * (counts[i] - high[i])
                elif prices[i] < 0:
                    value += prices[i] * (counts[i] - low[i])
            bound = max(bound, value)
        if final:
            break
        kept = True
        for i in range(rules):
            if abs(counts[i] - high[i]) < EPS:
                counts[i] = high[i]
            elif abs(counts[i] - low[i]) < EPS:
                counts[i] = low[i]
            if counts[i] > high[i] or counts[i] < low[i]:
                kept = False
        for i in range(rules):
            if kept:  # room each priced rule leaves: a reason to lower its price
                if prices[i] > 0:
                    move[i] = counts[i] - high[i]
                elif prices[i] < 0:
                    move[i] = counts[i] - low[i]
                else:
                    move[i] = 0.0
            elif counts[i] > high[i]:
                move[i] = counts[i] - high[i]
            elif counts[i] < low[i]:
                move[i] = counts[i] - low[i]
            else:  # within: room under a maximum alone lowers its price
                move[i] = counts[i] - high[i] if low[i] == -INF else 0.0
        if kept:
            walks[found] = walk
            costs[found] = cost
            found += 1
            cheap += cost < below
            if r < exact_rounds and not np.any(move != 0.0):
                return walks[:found], costs[:found], cost, found - 1
        _adjust(move, prices, steps, signs, low, typical, price_cap)
        r += 1
        final = r == rounds or cheap >= enough
    return walks[:found], costs[:found], bound, -1


@njit(cache=True, nogil=True)
def _adjust(
    move: np.ndarray,
    prices: np.ndarray,
    steps: np.ndarray,
    signs: np.ndarray,
    low: np.ndarray,
    typical: float,
    cap: float,
) -> None:  # pragma: no cover - compiled
    """Move each rule's price toward keeping it: up while broken, down while there is room, by a
    step of its own that halves when the direction turns and grows while it holds, never beyond
    ``cap``. A price stops at zero rather than change sign; only a rule with a minimum goes
    negative, so a maximum at price zero with room has nowhere to move and its step is left as it
    is (it grew by a fifth a round there until the price it next needed was infinite)."""
    for i in range(len(prices)):
        sign = 1 if move[i] > 0 else (-1 if move[i] < 0 else 0)
        if sign == 0 or (sign < 0 and prices[i] == 0.0 and low[i] == -INF):
            continue
        step = steps[i] if steps[i] > 0 else typical
        step = min(cap, step * (0.5 if sign == -signs[i] else 1.2))
        steps[i], signs[i] = step, sign
        moved = prices[i] + sign * step * min(1.0, abs(move[i]))
        if prices[i] * moved < 0 or (low[i] == -INF and moved < 0):
            moved = 0.0
        prices[i] = max(-cap, min(cap, moved))


def compile_now() -> None:
    """Compile (or load from the cache) the walks on a two-day problem: ``make install`` does it
    once, so that a fresh install's first solve does not spend ten seconds compiling."""
    base = np.zeros((2, 1))
    empty = np.zeros(0)
    days = np.zeros(2, dtype=np.bool_)
    priced_walks(
        base, base, base, 1, 1, INF, 1, np.zeros((0, 1)), empty, empty, -1, empty, empty.copy(), empty.copy(),
        1.0, np.ones((1, 1), dtype=np.bool_), days, days, 1, 1, 1,
        np.zeros(1, dtype=np.int64), 0, 0, False, -1,
    )  # fmt: skip


if __name__ == "__main__":
    compile_now()
