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
) -> np.ndarray:  # pragma: no cover - compiled; tests/solver/test_run_path.py checks it
    """The kind worked each day (-1: off) on the cheapest walk at ``price`` (day x kind, inf:
    closed), where kind b may follow kind a on the next day when ``follows[a, b]`` and each
    weekend worked costs ``weekend``; all -2 when no walk keeps the rules."""
    days, kinds = price.shape
    work = np.full((days, 2, kinds, max_run), INF)
    off = np.full((days, 2, min_off), INF)
    for t in range(days):
        saturday_cost = weekend if saturday[t] else 0.0
        new_weekend = weekend if (saturday[t] or sunday[t]) else 0.0
        if t == 0:
            for s in range(kinds):
                work[0, 1, s, 0] = price[0, s] + new_weekend
            off[0, 1, 0] = 0.0
            continue
        rested = off[t - 1, 0, min_off - 1]
        for k in range(min_off):
            rested = min(rested, off[t - 1, 1, k])
        ended = INF
        for s in range(kinds):
            for k in range(min_run - 1, max_run):
                ended = min(ended, work[t - 1, 0, s, k])
            for k in range(max_run):
                ended = min(ended, work[t - 1, 1, s, k])
        for b in range(kinds):
            p = price[t, b]
            if p == INF:
                continue
            work[t, 0, b, 0] = rested + p + new_weekend
            for e in range(2):
                for k in range(1, max_run):
                    best = INF
                    for a in range(kinds):
                        if follows[a, b] and work[t - 1, e, a, k - 1] < best:
                            best = work[t - 1, e, a, k - 1]
                    work[t, e, b, k] = best + p + saturday_cost
        for e in range(2):
            for k in range(1, min_off):
                off[t, e, k] = off[t - 1, e, k - 1]
            off[t, e, min_off - 1] = min(off[t, e, min_off - 1], off[t - 1, e, min_off - 1])
        off[t, 0, 0] = min(off[t, 0, 0], ended)
    return _back(work, off, follows, min_run, min_off)


@njit(cache=True, nogil=True)
def _back(
    work: np.ndarray, off: np.ndarray, follows: np.ndarray, min_run: int, min_off: int
) -> np.ndarray:  # pragma: no cover - compiled
    """The kinds worked, read back from each day's cheapest costs."""
    days, _, kinds, max_run = work.shape
    out = np.full(days, -1)
    last = days - 1
    # state: working (1) or off (0), flag e, kind s, index k
    working, e, s, k, best = 0, 0, 0, 0, INF
    for e0 in range(2):
        for s0 in range(kinds):
            for k0 in range(max_run):
                if work[last, e0, s0, k0] < best:
                    working, e, s, k, best = 1, e0, s0, k0, work[last, e0, s0, k0]
        for k0 in range(min_off):
            if off[last, e0, k0] < best:
                working, e, s, k, best = 0, e0, 0, k0, off[last, e0, k0]
    if best == INF:
        out[:] = -2
        return out
    for t in range(last, 0, -1):
        if working:
            out[t] = s
            if k > 0:
                best, choice = INF, 0
                for a in range(kinds):
                    if follows[a, s] and work[t - 1, e, a, k - 1] < best:
                        best, choice = work[t - 1, e, a, k - 1], a
                s, k = choice, k - 1
            else:
                working, e, k, best = 0, 0, min_off - 1, off[t - 1, 0, min_off - 1]
                for j in range(min_off):
                    if off[t - 1, 1, j] < best:
                        e, k, best = 1, j, off[t - 1, 1, j]
        else:
            best = off[t - 1, e, k] if k == min_off - 1 else INF
            stay_e, stay_k = e, k
            if k > 0 and off[t - 1, e, k - 1] < best:
                best, stay_k = off[t - 1, e, k - 1], k - 1
            if k == 0 and e == 0:
                for a in range(kinds):
                    for j in range(max_run):
                        for f in range(2):
                            if (f == 1 or j >= min_run - 1) and work[t - 1, f, a, j] < best:
                                best, working, stay_e, s, stay_k = work[t - 1, f, a, j], 1, f, a, j
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
) -> tuple[np.ndarray, np.ndarray, float, int]:  # pragma: no cover - compiled
    """The Lagrangian rounds of ``run_path.RunPath.best``: one cheapest walk a round at ``base``
    plus a jitter (``tiny`` in the exact rounds, ``noise`` in the others) plus the counted rules'
    ``prices`` (per_kind rows; the weekend rule's row counted from the days worked), which then
    move toward keeping the rules (updated in place with their ``steps`` and ``signs``), for
    ``rounds`` rounds or until ``enough`` walks keeping the rules cost less than ``below``. The
    walks keeping the counted rules (kind a day, -1 off) and their cost at ``base``, a lower
    bound from the exact rounds (the first ``exact_rounds`` and an extra last one; their jitter is
    not taken off), and the index of the walk proven the cheapest (-1: none; -2: no walk keeps the
    rules at all)."""
    days, kinds = base.shape
    rules = len(prices)
    # No price need exceed what a whole walk can gain: one more unit of a rule is worth at most
    # every open day's dearest or cheapest shift, counted in the rule's smallest unit.
    cap = typical
    for t in range(days):
        for k in range(kinds):
            if base[t, k] != INF:
                cap += abs(base[t, k])
    smallest = 1.0
    for i in range(rules):
        for k in range(kinds):
            if 0.0 < per_kind[i, k] < smallest:
                smallest = per_kind[i, k]
    cap /= smallest
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
        walk = cheapest_walk(price, follows, saturday, sunday, weekend, max_run, min_run, min_off)
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
        _adjust(move, prices, steps, signs, low, typical, cap)
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
    )  # fmt: skip


if __name__ == "__main__":
    compile_now()
