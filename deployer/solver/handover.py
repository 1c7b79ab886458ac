"""Handing shifts to colleagues who work them for less: a quick pass after the constructive roster.

The constructive pass fills shifts in time order, so it hands out work before it knows the rest
of the month: by its end some commuters work far beyond their contracted hours while colleagues
of the same station stay under theirs, and some shifts are worked from further away than someone
free that day lives. This pass first gives each place left unfilled to someone free who works it
for less than it costs unfilled, or to someone working another place that day whose place goes
to someone free, or to someone a shift of theirs on a nearby day bars, that shift going to
someone free. Then the people working each slot (shifts of one day, hours and label) swap
places where each works for less elsewhere in it, keeping how they get there, so that only
fatigue and travel change (a transportation problem per slot, solved exactly). Then people
lodged in a city work the day next to their deployment there instead of someone who works it
for more than the night costs (a far commuter, or someone lodged for that day alone). Then it offers
each shift to the people who commute to its site, cheapest station first, and hands it over
when the taker keeps every rule and the roster saves: the shift's fatigue and travel, both
people's overtime, and a night of lodging (with the trip home for a one-day deployment) when
the holder was lodged at an end of a deployment. Takers never
work a shift they asked off or in a city they did not ask for; fairness (the heaviest loads) is
left to the engine, which scores the whole roster again. Shifts the pass cannot read as a
person's candidates (none in a validated roster) stay where they are, and so do their people.

Taking a shift away keeps every rule only where no minimum applies (runs of days, days off or
total hours), so the pass runs only then; re-rostering (a published roster) is left as it is.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from math import inf

from deployer.domain.problem import RosterProblem
from deployer.domain.requests import RequestKind, TimeOff, cities_asked
from deployer.domain.roster import Assignment
from deployer.domain.rules import Reach, personal, trip_points
from deployer.domain.scoring import overtime_allowance
from deployer.domain.staff import StaffMember
from deployer.solver.candidates import Candidate, Candidates
from deployer.solver.greedy import PersonState
from deployer.solver.slot_exchange import Held, Station, exchange_slots

NEAR_DAYS = 3
"""How far from an unfilled place a shift may be for moving it to free someone for the place: a
deployment's travel day and two rest days reach that far."""


def hand_over(
    problem: RosterProblem, cands: Candidates, roster: list[Assignment], deadline: float
) -> list[Assignment]:
    """``roster`` with its unfilled places given to whoever works them for less than they cost
    unfilled, then shifts handed to people who work them for less, pass after pass until one
    hands nothing over or ``deadline`` (perf_counter seconds) passes (``roster`` itself when
    nothing changed)."""
    if problem.published or time.perf_counter() >= deadline or not _removal_keeps_rules(problem):
        return roster
    handing = _Handover(problem, cands, roster)
    handed = handing.fill(deadline)
    handed |= exchange_slots(handing, deadline)
    handed |= handing.extend(deadline)
    while time.perf_counter() < deadline and handing.sweep(deadline):
        handed = True
        handing.fill(deadline)  # the sweep may have freed someone for a place still unfilled
        exchange_slots(handing, deadline)
        handing.extend(deadline)
    return handing.roster() if handed else roster


def _removal_keeps_rules(problem: RosterProblem) -> bool:
    """Whether taking any shift away keeps the rules: no minimum run, days off or hours."""
    policy = problem.operation.policy
    return all(
        (personal(policy, p, "min_consecutive_days") or 1) <= 1
        and (personal(policy, p, "min_consecutive_days_off") or 1) <= 1
        and not p.limits.min_total_minutes
        for p in problem.staff
    )


class _Handover:
    """Everyone's shifts as rule states, and the people who commute to each site by station."""

    def __init__(self, problem: RosterProblem, cands: Candidates, roster: list[Assignment]) -> None:
        self.problem, self.cands = problem, cands
        w = problem.weights
        self.overtime_per_minute = w.overtime_per_hour / 60
        days = len(problem.operation.days)
        self.allowance = {
            p.service_number: overtime_allowance(p.limits.contracted_minutes_per_week, days)
            for p in problem.staff
        }
        self.off = TimeOff(problem.requests)
        self.wanted = cities_asked(problem.requests)
        self.kept_on = {
            (r.service_number, r.day, r.shift_label)
            for r in problem.requests
            if r.kind is RequestKind.SHIFT_ON
        }
        people = {p.service_number: p for p in problem.staff}
        self.states: dict[str, PersonState] = {}
        self.fixed: list[Assignment] = []
        for a in sorted(roster, key=lambda a: cands.day_of[cands.index[a.shift_key]]):
            person = people[a.service_number]
            c = cands.candidate(person, cands.index[a.shift_key], a.line)
            state = self.states.setdefault(a.service_number, PersonState(person, cands))
            if a.pinned or c is None or cands.day_of[c.shift] in state.taken:
                self.fixed.append(a)
            else:
                state.take(c)
        self.left_alone = {a.service_number for a in self.fixed}
        """People with a shift the pass leaves where it is: it leaves them alone."""
        self.by_station: dict[Station, list[StaffMember]] = defaultdict(list)
        self.free: dict[tuple[Station, int], dict[str, StaffMember]] = defaultdict(dict)
        """Who of a station works no shift on a day (a dict: the same order on every run)."""
        self.station_of: dict[str, Station] = {}
        for person in problem.staff:
            state = self.states.setdefault(person.service_number, PersonState(person, cands))
            station = self.station_of[person.service_number] = (
                person.home_station,
                person.limits.can_deploy_away,
            )
            self.by_station[station].append(person)
            for d in range(days if person.service_number not in self.left_alone else 0):
                if d not in state.taken:
                    self.free[(station, d)][person.service_number] = person
        self._costs: dict[tuple[int, int], list[tuple[float, Station]]] = {}
        self._reaches: dict[tuple[str, int], list[tuple[Station, Reach]]] = {}
        self._qualified: dict[tuple[Station, int], set[str]] = {}
        self._lodged: dict[str, list[tuple[float, Station]]] = {}
        self.city_of = {code: place.city or code for code, place in problem.travel.locations.items()}
        self.changes: dict[str, int] = defaultdict(int)
        """How often each person's shifts changed: a refusal stands until theirs change."""
        self.refused: dict[tuple[str, int], int] = {}
        """(person, shift) they could not take, with how often their shifts had changed then."""

    def roster(self) -> list[Assignment]:
        shifts = self.cands.shifts
        return self.fixed + [
            Assignment(shifts[c.shift].key, number, c.line)
            for number, state in self.states.items()
            for c in state.taken.values()
        ]

    def fill(self, deadline: float) -> bool:
        """Give each unfilled place to someone free who works it for less than it costs unfilled
        (the constructive pass fills in time order and can run out of people late in the month);
        whether any was."""
        filled = Counter((self.cands.index[a.shift_key], a.line) for a in self.fixed)
        filled.update((c.shift, c.line) for state in self.states.values() for c in state.taken.values())
        added = False
        for i, shift in enumerate(self.cands.shifts):
            if time.perf_counter() >= deadline:
                break
            for j, line in enumerate(shift.demand):
                price = self.problem.weights.shortfall(line)
                for _ in range(line.count - filled[(i, j)]):
                    if not (
                        self._fill(i, j, price)
                        or self._fill_by_switch(i, j, price)
                        or self._fill_by_freeing(i, j, price)
                    ):
                        break
                    added = True
        return added

    def _fill(self, i: int, line: int, price: float) -> bool:
        """Give line ``line`` of shift ``i`` to the first commuter, cheapest station first, then
        the first lodger, shortest trip first, who works it for less than ``price``."""
        d, kind = self.cands.day_of[i], self.cands.kind_of[i][line]
        for station in self._stations(i, kind):
            qualified = self._holders(station, kind)
            for taker, person in self.free[(station, d)].items():
                if taker not in qualified or (offered := self.taking(person, i, line)) is None:
                    continue
                other = self.states[taker]
                if self._added_cost(other, offered) < price:
                    other.take(offered)
                    self.free[(station, d)].pop(taker)
                    self.changes[taker] += 1
                    return True
        return False

    def _fill_by_switch(self, i: int, line: int, price: float) -> bool:
        """Fill line ``line`` of shift ``i`` with someone who works another shift that day, whose
        shift then goes to someone free (or someone a nearby shift bars, that shift going to
        someone free): a scarce skill is often busy on a line many could fill."""
        d, kind = self.cands.day_of[i], self.cands.kind_of[i][line]
        for station in self._stations(i, kind):
            qualified = self._holders(station, kind)
            for person in self.by_station[station]:
                state = self.states[person.service_number]
                held = state.taken.get(d)
                if (
                    person.service_number not in qualified
                    or person.service_number in self.left_alone
                    or held is None
                    or (held.shift, held.line) == (i, line)
                ):
                    continue
                state.untake(held)
                offered = self.taking(person, i, line)
                if offered is not None:
                    dearer = self._added_cost(state, offered) - self._added_cost(state, held)
                    state.take(offered)
                    budget = price - dearer
                    if self._fill(held.shift, held.line, budget) or self._fill_by_freeing(
                        held.shift, held.line, budget
                    ):
                        self.changes[person.service_number] += 1
                        return True
                    state.untake(offered)
                state.take(held)
        return False

    def _fill_by_freeing(self, i: int, line: int, price: float) -> bool:
        """Fill line ``line`` of shift ``i`` with someone free that day whom a shift of theirs a
        few days away bars (rest, a run, a deployment's travel or rest days), that shift going to
        someone free: the people with a scarce skill left free on a storm night are often barred
        so, by the work they were given before it."""
        d, kind = self.cands.day_of[i], self.cands.kind_of[i][line]
        for station in self._stations(i, kind):
            qualified = self._holders(station, kind)
            for number, person in list(self.free[(station, d)].items()):
                state = self.states[number]
                if number not in qualified:
                    continue
                for near in sorted(
                    (e for e in state.taken if abs(e - d) <= NEAR_DAYS), key=lambda e: abs(e - d)
                ):
                    held = state.taken[near]
                    if (given := self._saving(number, state, held)) is None:
                        continue
                    state.untake(held)
                    offered = self.taking(person, i, line)
                    if offered is not None:
                        budget = price - self._added_cost(state, offered) + given
                        state.take(offered)
                        if self._fill(held.shift, held.line, budget):
                            self.free[(station, d)].pop(number)
                            self.free[(station, near)][number] = person
                            self.changes[number] += 1
                            return True
                        state.untake(offered)
                    state.take(held)
        return False

    def _stations(self, i: int, kind: int) -> list[Station]:
        """Stations to look for takers of shift ``i``: commuters' cheapest first, then lodgers'
        by their trip home."""
        stations = [station for _, station in self._commuting(i, kind)]
        return stations + [station for _, station in self._lodging(self.cands.shifts[i].site)]

    def _added_cost(self, state: PersonState, c: Candidate) -> float:
        """What ``c`` adds to the roster's cost when ``state``'s person takes it: the shift, the
        overtime, and a night (with the trip home when it starts a deployment) when lodged."""
        w = self.problem.weights
        number, d = state.person.service_number, self.cands.day_of[c.shift]
        cost = self.cost(c.fatigue, c.travel) + self._overtime(
            number, state.total + self.cands.length[c.shift]
        )
        cost -= self._overtime(number, state.total)
        base = c.reach.base
        if c.reach.lodged:
            cost += w.lodging_night
            if base not in (state.lodged_at(d - 1), state.lodged_at(d + 1)):
                cost += w.lodging_night + self._trip(state.person.home_station, base)
        return cost

    def sweep(self, deadline: float) -> bool:
        """Offer every shift once; whether any was handed over."""
        handed = False
        order = sorted(
            ((number, state) for number, state in self.states.items() if number not in self.left_alone),
            key=lambda item: self.allowance[item[0]] - item[1].total,
        )
        for number, state in order:
            if time.perf_counter() >= deadline:
                break
            for c in list(state.taken.values()):
                handed |= self._offer(number, state, c)
        return handed

    def extend(self, deadline: float) -> bool:
        """Let people lodged in a city work the day before or after their deployment there,
        taking a shift from whoever works it for more than the night and the shift cost them (a
        commuter from far, or someone lodged for it alone); whether anyone did."""
        cands, city_of = self.cands, self.city_of
        held: dict[tuple[str, int], list[tuple[float, Held]]] = defaultdict(list)
        for number, state in self.states.items():
            if number not in self.left_alone:
                for c in state.taken.values():
                    if (saving := self._saving(number, state, c)) is not None:
                        key = (city_of[cands.shifts[c.shift].site], cands.day_of[c.shift])
                        held[key].append((saving, (number, c)))
        for options in held.values():
            options.sort(key=lambda option: -option[0])
        extended = False
        for number, state in self.states.items():
            if time.perf_counter() >= deadline:
                break
            if number in self.left_alone:
                continue
            for d in sorted(state.taken):
                if (base := state.lodged_at(d)) is None:
                    continue
                for day in (d - 1, d + 1):
                    if day not in state.taken and state.lodged_at(day) is None and state.run_fits(day, base):
                        extended |= self._extend(state, day, held.get((base, day), []))
        return extended

    def _extend(self, state: PersonState, d: int, options: list[tuple[float, Held]]) -> bool:
        """Give ``state``'s person, lodged next to day ``d``, the shift of ``options`` (holders
        that day, most saving first) that saves most beyond what it costs them; whether one did."""
        best: tuple[float, str, Candidate, Candidate] | None = None
        night = self.problem.weights.lodging_night
        for first_saving, (holder, c) in options:
            enough = night + (0.0 if best is None else best[0])
            if first_saving <= enough:
                break  # the night alone costs what any later holder saves
            site_reach = self.cands.reach_of(state.person, self.cands.shifts[c.shift].site)
            if (
                site_reach is None
                or not site_reach.lodged
                or first_saving - self.cost(*self.cands.costs(c.shift, site_reach)) <= enough
                or holder == state.person.service_number
                or self.states[holder].taken.get(d) is not c
                or not self.cands.standing(state.person, self.cands.kind_of[c.shift][c.line]).ok
            ):
                continue
            saving = self._saving(holder, self.states[holder], c)
            offered = self.taking(state.person, c.shift, c.line)
            if saving is None or offered is None or not offered.reach.lodged:
                continue
            if (gain := saving - self._added_cost(state, offered)) > 1e-6 and (
                best is None or gain > best[0]
            ):
                best = (gain, holder, c, offered)
        if best is None:
            return False
        _, holder, c, offered = best
        self._hand(self.states[holder], c, state, offered)
        return True

    def cost(self, fatigue: int, travel: int) -> float:
        """Points of a shift's fatigue and travel."""
        w = self.problem.weights
        return fatigue * w.fatigue + travel * w.travel_per_10_km

    def _overtime(self, number: str, minutes: int) -> float:
        return max(0, minutes - self.allowance[number]) * self.overtime_per_minute

    def _saving(self, number: str, state: PersonState, c: Candidate) -> float | None:
        """What the roster saves when the holder gives ``c`` away; None when they may not."""
        cands = self.cands
        d = cands.day_of[c.shift]
        shift = cands.shifts[c.shift]
        if (number, shift.day, shift.label) in self.kept_on:
            return None
        saving = self.cost(c.fatigue, c.travel) + self._overtime(number, state.total)
        saving -= self._overtime(number, state.total - cands.length[c.shift])
        if c.reach.lodged:
            w = self.problem.weights
            base = c.reach.base
            before, after = (state.lodged_at(d + step) == base for step in (-1, 1))
            if before and after:
                return None  # the middle of a deployment: it would split in two
            saving += w.lodging_night
            if not (before or after):
                saving += w.lodging_night + self._trip(state.person.home_station, base)
        return saving

    def _offer(self, number: str, state: PersonState, c: Candidate) -> bool:
        """Hand ``c`` to the cheapest commuter who can take it for less than it saves."""
        saving = self._saving(number, state, c)
        if saving is None or saving <= 0:
            return False
        cands, i = self.cands, c.shift
        d, length = cands.day_of[i], cands.length[i]
        refused, changes, allowance, states = self.refused, self.changes, self.allowance, self.states
        for cost, station in self._commuting(i, kind := cands.kind_of[i][c.line]):
            if cost >= saving:
                return False
            # A taker short of their contracted hours by the shift's length adds no overtime.
            most_overtime = (saving - cost) / self.overtime_per_minute if self.overtime_per_minute else inf
            qualified = self._holders(station, kind)
            free = self.free[(station, d)]
            for taker, person in free.items():
                if taker not in qualified or refused.get((taker, i)) == changes[taker]:
                    continue
                other = states[taker]
                if length - max(0, allowance[taker] - other.total) >= most_overtime:
                    continue
                offered = self.taking(person, c.shift, c.line)
                if offered is None:
                    refused[(taker, i)] = changes[taker]
                    continue
                self._hand(state, c, other, offered)
                return True
        return False

    def _hand(self, holder: PersonState, c: Candidate, taker: PersonState, offered: Candidate) -> None:
        """Move shift ``c`` from ``holder`` to ``taker`` (as ``offered``): the holder is free that
        day, the taker no longer, and both people's shifts have changed."""
        d = self.cands.day_of[c.shift]
        holder.untake(c)
        taker.take(offered)
        for state, free in ((holder, True), (taker, False)):
            number = state.person.service_number
            self.changes[number] += 1
            free_that_day = self.free[(self.station_of[number], d)]
            if free:
                free_that_day[number] = state.person
            else:
                free_that_day.pop(number, None)

    def taking(self, person: StaffMember, i: int, line: int) -> Candidate | None:
        """``person``'s candidate for line ``line`` of shift ``i`` when they may take it as things
        stand."""
        shift = self.cands.shifts[i]
        if self.off.asked(person.service_number, shift.day, shift.label):
            return None
        wanted = self.wanted.get(person.service_number, ())
        city = self.problem.travel.locations[shift.site].city
        if wanted and all(city != asked for asked, _ in wanted):
            return None
        offered = self.cands.candidate(person, i, line)
        return (
            offered if offered is not None and self.states[person.service_number].can_take(offered) else None
        )

    def _trip(self, home: str, base: str) -> float:
        """Points of the trip from home to a deployment's city and back."""
        return trip_points(self.problem.travel, home, base) * self.problem.weights.travel_per_10_km

    def _lodging(self, site: str) -> list[tuple[float, Station]]:
        """Stations whose people are lodged to work at ``site``, by the cost of their trip home."""
        if site not in self._lodged:
            self._lodged[site] = sorted(
                (self._trip(station[0], site_reach.base), station)
                for station, members in self.by_station.items()
                if (site_reach := self.cands.reach_of(members[0], site)) is not None and site_reach.lodged
            )
        return self._lodged[site]

    def _commuting(self, i: int, kind: int) -> list[tuple[float, Station]]:
        """Stations whose people commute to shift ``i`` and may hold lines of ``kind``, with what
        the shift costs from there, cheapest first."""
        key = (i, kind)
        if key not in self._costs:
            site = self.cands.shifts[i].site
            self._costs[key] = sorted(
                (self.cost(*self.cands.costs(i, site_reach)), station)
                for station, site_reach in self._reaching(site, kind)
            )
        return self._costs[key]

    def _holders(self, station: Station, kind: int) -> set[str]:
        """The people of ``station`` who may hold lines of ``kind`` on some day."""
        key = (station, kind)
        if key not in self._qualified:
            self._qualified[key] = {
                p.service_number for p in self.by_station[station] if self.cands.standing(p, kind).ok
            }
        return self._qualified[key]

    def _reaching(self, site: str, kind: int) -> list[tuple[Station, Reach]]:
        """Stations with a holder of ``kind`` who commutes to ``site``, and how they get there."""
        key = (site, kind)
        if key not in self._reaches:
            self._reaches[key] = [
                (station, site_reach)
                for station, members in self.by_station.items()
                if (site_reach := self.cands.reach_of(members[0], site)) is not None
                and not site_reach.lodged
                and self._holders(station, kind)
            ]
        return self._reaches[key]
