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
