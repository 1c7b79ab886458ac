"""Swapping places within a slot: a step of the handover (``handover``).

The people working the shifts of one day with the same hours and label can swap places without
changing their hours, rest days or fatigue loads. Each keeps how they get there (commuting, or
lodged in the same city), so lodging and overtime stay as they are too, and only each shift's
fatigue and travel change: a commuter driving 75 minutes to one venue while a colleague drives as
far to the venue beside the first's station. Who works where in a slot is then a transportation
problem (each person to one place, each place — a site and kind of line — as many people as it
has lines), solved exactly by min-cost flow; its solution is applied cycle by cycle where
everyone in the cycle keeps every rule (the rest before and after a shift depends on the commute).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from typing import Protocol

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from deployer.domain.staff import StaffMember
from deployer.solver.candidates import Candidate, Candidates
from deployer.solver.greedy import PersonState

Station = tuple[str, bool]
"""What decides how a person reaches a site: home station and whether they may deploy away."""
Slot = tuple[int, int, int, str]
"""Shifts people can swap without changing their hours or rest: day, start, end and label."""
Held = tuple[str, Candidate]
"""A person's service number and the shift they work."""
Place = tuple[str, int]
"""Where a line of a slot is worked, and its kind: lines of one place are alike to everyone."""


class Board(Protocol):
    """What the exchange needs of the handover: everyone's shifts as rule states, and prices."""

    cands: Candidates
    states: dict[str, PersonState]
    left_alone: set[str]
    station_of: dict[str, Station]
    changes: dict[str, int]

    def cost(self, fatigue: int, travel: int) -> float: ...

    def taking(self, person: StaffMember, i: int, line: int) -> Candidate | None: ...


def exchange_slots(board: Board, deadline: float) -> bool:
    """Let the people working each slot swap places so that each works where it costs least
    (until ``deadline``, perf_counter seconds); whether anyone moved."""
    cands = board.cands
    slots: dict[Slot, list[Held]] = defaultdict(list)
    for number, state in board.states.items():
        if number not in board.left_alone:
            for c in state.taken.values():
                i = c.shift
                slot = (cands.day_of[i], cands.start_min[i], cands.end_min[i], cands.shifts[i].label)
                slots[slot].append((number, c))
    moved = False
    for held in slots.values():
        if time.perf_counter() >= deadline:
            break
        if len(held) > 1:
            moved |= _exchange(board, held)
    return moved


def _exchange(board: Board, held: list[Held]) -> bool:
    """The cheapest assignment of the people in ``held`` to its places, applied cycle by cycle
    where every move keeps the rules and the cycle saves."""
    cands, n = board.cands, len(held)
    place_of = [(cands.shifts[c.shift].site, cands.kind_of[c.shift][c.line]) for _, c in held]
    offers = _offers(board, held, place_of)
    goes = _cheapest_places(offers, place_of)
    # Who takes whose line: a mover takes a line its holder leaves in the place it goes to.
    left: dict[Place, list[int]] = defaultdict(list)
    for a in range(n):
        if goes[a] != place_of[a]:
            left[place_of[a]].append(a)
    target = [a if goes[a] == place_of[a] else left[goes[a]].pop() for a in range(n)]
    moved, seen = False, set()
    for start in range(n):
        if start in seen or target[start] == start:
            continue
        cycle = [start]
        while target[cycle[-1]] != start:
            cycle.append(target[cycle[-1]])
        seen.update(cycle)
        if sum(offers[a][place_of[a]] - offers[a][goes[a]] for a in cycle) > 0:
            moved |= _swap(board, [held[a] for a in cycle], [held[target[a]][1] for a in cycle])
    return moved


def _cheapest_places(offers: list[dict[Place, float]], place_of: list[Place]) -> list[Place]:
    """The place each person goes to in the cheapest assignment (min-cost flow: each person to one
    of the places offered, each place as many people as hold it now); everyone stays put when
    the solver fails."""
    n, holders = len(place_of), Counter(place_of)
    names = list(holders)
    node = {place: n + k for k, place in enumerate(names)}
    tails, heads, costs = [], [], []
    for a, options in enumerate(offers):
        for place, cost in options.items():
            tails.append(a)
            heads.append(node[place])
            # Hundredths of a point, staying put a hair cheaper: no one moves for nothing.
            costs.append(round(cost * 100) - (place == place_of[a]))
    flow = SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails), np.array(heads), np.ones(len(tails), dtype=np.int64), np.array(costs)
    )
    supplies = [1] * n + [-holders[place] for place in names]
    flow.set_nodes_supplies(np.arange(len(supplies)), np.array(supplies))
    goes = list(place_of)
    if flow.solve() == flow.OPTIMAL:
        for k in np.flatnonzero(flow.flows(arcs)):
            goes[tails[k]] = names[heads[k] - n]
    return goes


def _offers(board: Board, held: list[Held], place_of: list[Place]) -> list[dict[Place, float]]:
    """Per person of ``held``: the places they may work reached as they reach their own (the same
    lodging or none), with what working there costs."""
    cands = board.cands
    shift_at = {place: c.shift for (_, c), place in zip(held, place_of, strict=True)}
    shift_of = {site: i for (site, _), i in shift_at.items()}
    sites_of: dict[int, list[str]] = defaultdict(list)
    for site, kind in shift_at:
        sites_of[kind].append(site)
    costs: dict[tuple[Station, str | None], dict[str, float]] = {}
    """What working at each site costs from a station (lodged in a city, or not)."""
    ranked: dict[tuple[Station, str | None, frozenset[int]], dict[Place, float]] = {}
    offers = []
    for (number, c), own in zip(held, place_of, strict=True):
        person = board.states[number].person
        kinds = frozenset(kind for kind in sites_of if cands.standing(person, kind).ok)
        base = c.reach.base if c.reach.lodged else None
        station = (board.station_of[number], base)
        if station not in costs:
            costs[station] = {}
            for site, i in shift_of.items():
                r = cands.reach_of(person, site)
                if r is not None and (r.base if r.lodged else None) == base:
                    costs[station][site] = board.cost(*cands.costs(i, r))
        key = (*station, kinds)
        if key not in ranked:
            at = costs[station]
            ranked[key] = {(site, kind): at[site] for kind in kinds for site in sites_of[kind] if site in at}
        offers.append(ranked[key] | {own: board.cost(c.fatigue, c.travel)})
    return offers


def _swap(board: Board, people: list[Held], lines: list[Candidate]) -> bool:
    """Move each of ``people`` to the line beside them in ``lines`` when every one of them may take
    it (requests and rules); whether they moved."""
    states = [board.states[number] for number, _ in people]
    for state, (_, c) in zip(states, people, strict=True):
        state.untake(c)
    taking = [
        board.taking(state.person, line.shift, line.line) for state, line in zip(states, lines, strict=True)
    ]
    offered = [c for c in taking if c is not None]
    if len(offered) < len(people):
        for state, (_, c) in zip(states, people, strict=True):
            state.take(c)
        return False
    for state, (number, _), c in zip(states, people, offered, strict=True):
        state.take(c)
        board.changes[number] += 1
    return True
