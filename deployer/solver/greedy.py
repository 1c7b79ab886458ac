"""A quick first roster: fill shifts in time order with the cheapest person who breaks no rule.

It gives the planner an answer within seconds on any size and seeds CP-SAT with a hint. The
checks here are incremental versions of the validator's rules; the engine still validates the
result and drops any assignment the validator objects to, so a gap here can cost quality but
never correctness.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from deployer.domain.problem import RosterProblem
from deployer.domain.requests import TimeOff, cities_asked
from deployer.domain.roster import Assignment
from deployer.domain.rules import Reach, personal
from deployer.domain.soft_rules import limit_7_days
from deployer.domain.staff import StaffMember
from deployer.solver.candidates import Candidate, Candidates
from deployer.solver.transport import TransportPlan, longest_deployment


class PersonState:
    """What one person has been given so far, with the checks that a new shift must pass.

    Days are indices from the operation's first day, so that the checks are integer arithmetic.
    """

    def __init__(self, person: StaffMember, cands: Candidates) -> None:
        self.person = person
        self.cands = cands
        self.policy = cands.problem.operation.policy
        self.forbidden = frozenset(self.policy.forbidden_successions)
        """Shift labels that may not follow each other (a set: 32 shift types have hundreds)."""
        self.taken: dict[int, Candidate] = {}
        self.minutes: dict[int, int] = defaultdict(int)
        self.total = 0
        self.labels: dict[str, int] = defaultdict(int)
        self.weekends: set[int] = set()
        self.travel: set[int] = set()
        # A window whose limit is a whole day's minutes for each of its days cannot be exceeded.
        self.windows = tuple(
            (window, limit)
            for window, limit in (
                (7, limit_7_days(cands.problem.operation, person)),
                (14, self.policy.max_minutes_per_14_days),
            )
            if limit < window * 24 * 60
        )
        self.max_days = personal(self.policy, person, "max_consecutive_days") or 0
        self.full_days: set[int] = set()
        """Days whose run of work and travel would be too long: more shifts only lengthen runs, so
        the day stays closed until a shift is taken away (the greedy pass tried one person's day
        again for every line they could fill: 131,000 of its 329,000 checks at 4,000 staff)."""

    def closed(self, d: int) -> bool:
        """Whether day ``d`` is taken, or known to make a run too long."""
        return d in self.taken or d in self.full_days

    def lodged_at(self, day: int) -> str | None:
        """Where the person is lodged on ``day`` (None: at home or off)."""
        c = self.taken.get(day)
        return c.reach.base if c is not None and c.reach.lodged else None

    def can_take(self, c: Candidate) -> bool:
        d = self.cands.day_of[c.shift]
        return (
            not self.closed(d)
            and self._rests(c, d)
            and self._runs(c, d)
            and self._hours(c)
            and self._deployment(c, d)
            and self._successions(c, d)
            and self._limits(c)
        )

    def take(self, c: Candidate) -> None:
        cands = self.cands
        self.taken[cands.day_of[c.shift]] = c
        for day, minutes in cands.day_minutes[c.shift]:
            self.minutes[day] += minutes
        self.total += cands.length[c.shift]
        self.labels[cands.shifts[c.shift].label] += 1
        weekend = cands.weekend[c.shift]
        if weekend is not None:
            self.weekends.add(weekend)
        if c.reach.lodged:
            self.travel = self._travel_days({})

    def untake(self, c: Candidate) -> None:
        """Undo :meth:`take` of ``c`` (to try a block of shifts and back out of it)."""
        cands = self.cands
        del self.taken[cands.day_of[c.shift]]
        for day, minutes in cands.day_minutes[c.shift]:
            self.minutes[day] -= minutes
        self.total -= cands.length[c.shift]
        self.labels[cands.shifts[c.shift].label] -= 1
        self.full_days.clear()
        self.weekends = {w for t in self.taken.values() if (w := cands.weekend[t.shift]) is not None}
        if c.reach.lodged:
            self.travel = self._travel_days({})

    def _travel_days(self, extra: dict[int, str]) -> set[int]:
        """Travel days of the person's deployments (with ``extra`` lodged days added)."""
        away = {d: t.reach.base for d, t in self.taken.items() if t.reach.lodged} | extra
        out = set()
        for d, city in away.items():
            if away.get(d - 1) != city:
                out.add(d - 1)
            if away.get(d + 1) != city:
                out.add(d + 1)
        return out

    def _rests(self, c: Candidate, d: int) -> bool:
        clash = self.cands.clash
        for k in (1, 2):
            before, after = self.taken.get(d - k), self.taken.get(d + k)
            if before and clash((before.shift, before.reach), (c.shift, c.reach)):
                return False
            if after and clash((c.shift, c.reach), (after.shift, after.reach)):
                return False
        return True

    def _run_length(self, d: int, keep) -> int:  # type: ignore[no-untyped-def]
        length = 1
        for step in (-1, 1):
            day = d + step
            while day in self.taken and keep(self.taken[day]):
                length += 1
                day += step
        return length

    def run_fits(self, d: int, lodged_at: str | None) -> bool:
        """Whether a shift on day ``d`` (lodged in that city, or commuting) keeps the run of days
        worked or travelled within the limit."""
        travel = self._travel_days({d: lodged_at}) if lodged_at is not None else self.travel
        length = 1
        for step in (-1, 1):
            day = d + step
            while day in self.taken or day in travel:
                length += 1
                day += step
        return length <= self.max_days

    def _runs(self, c: Candidate, d: int) -> bool:
        if not self.run_fits(d, c.reach.base if c.reach.lodged else None):
            if not c.reach.lodged:  # a deployment's travel days only lengthen the run
                self.full_days.add(d)
            return False
        night = self.cands.night
        return (
            not night[c.shift]
            or self._run_length(d, lambda t: night[t.shift]) <= self.policy.max_consecutive_nights
        )

    def _hours(self, c: Candidate) -> bool:
        """Every 7- and 14-day window touching the new shift stays within its limit (sliding sums)."""
        added = self.cands.day_minutes[c.shift]
        length = self.cands.length[c.shift]
        minutes = self.minutes.get
        for window, limit in self.windows:
            if self.total + length <= limit:
                continue  # not even all the person's work falls in one window
            start = added[0][0] - window + 1
            span = added[-1][0] - start + window
            values = [minutes(day, 0) for day in range(start, start + span)]
            for day, worked in added:
                values[day - start] += worked
            running = sum(values[:window])
            if running > limit:
                return False
            for k in range(window, span):
                running += values[k] - values[k - window]
                if running > limit:
                    return False
        return True

    def _deployment(self, c: Candidate, d: int) -> bool:
        rest = self.policy.rest_days_after_deployment
        city = c.reach.base if c.reach.lodged else None
        # The new shift may not fall on a travel or rest day of a deployment already rostered.
        if self.lodged_at(d - 1) not in (None, city) or self.lodged_at(d + 1) not in (None, city):
            return False
        for k in range(2, rest + 2):
            ended = self.lodged_at(d - k)
            if ended is not None and self.lodged_at(d - k + 1) != ended:
                return False
        if city is None:
            return True
        if (
            self._run_length(d, lambda t: t.reach.lodged and t.reach.base == city)
            > self.policy.max_deployment_days
        ):
            return False
        if self.lodged_at(d - 1) != city and (d - 1) in self.taken:
            return False  # travel day before a new deployment
        if self.lodged_at(d + 1) != city:
            return all(d + k not in self.taken for k in range(1, rest + 2))
        return True

    def _successions(self, c: Candidate, d: int) -> bool:
        forbidden = self.forbidden
        if not forbidden:
            return True
        shifts = self.cands.shifts
        label = shifts[c.shift].label
        before, after = self.taken.get(d - 1), self.taken.get(d + 1)
        if before and (shifts[before.shift].label, label) in forbidden:
            return False
        return not (after and (label, shifts[after.shift].label) in forbidden)

    def _limits(self, c: Candidate) -> bool:
        limits = self.person.limits
        label = self.cands.shifts[c.shift].label
        if limits.max_shifts is not None and len(self.taken) >= limits.max_shifts:
            return False
        if (
            limits.max_total_minutes is not None
            and self.total + self.cands.length[c.shift] > limits.max_total_minutes
        ):
            return False
        for limited, limit in limits.max_shifts_by_label:
            if limited == label and self.labels[label] >= limit:
                return False
        max_weekends = personal(self.policy, self.person, "max_weekends")
        weekend = self.cands.weekend[c.shift]
        return not (
            max_weekends is not None
            and weekend is not None
            and weekend not in self.weekends
            and len(self.weekends) >= max_weekends
        )


Tier = tuple[Iterable[tuple[int, StaffMember]], Callable[[int, StaffMember], None] | None]
"""People to try, with their positions, and what to do when one takes the shift (move a cursor)."""


class _Pools:
    """People who could ever fill a kind of line at a site, split into commuters (nearest first)
    and lodgers.

    Each list is scanned from a rotating cursor so that work spreads over the pool instead of
    piling onto its first members. Following a transport plan (``by_cost``), commuters are scanned
    from the nearest each time and lodgers sorted by their travel (the trip home shared by a
    deployment's shifts, and the commute from lodging): rotating spread the work over commuters up
    to 90 minutes away while the nearest stood idle, and the shifts the locals did not take went
    to people from further away (Games demo, 4,000 staff, seeds 0 and 1: planned roster 1,018,127
    → 995,737 and 974,205 → 957,269, session 17). Without a plan both keep the order they had:
    that first roster is the one the planner sees soonest, and a better one follows the plan.
    """

    def __init__(self, problem: RosterProblem, cands: Candidates, by_cost: bool = False) -> None:
        self.problem = problem
        self.cands = cands
        self.by_cost = by_cost
        self.longest = longest_deployment(problem, len(problem.operation.days))
        self._pools: dict[tuple[str, int], tuple[list[StaffMember], list[StaffMember]]] = {}
        self._cursor: dict[tuple[str, int, bool], int] = defaultdict(int)
        self._holders: dict[int, dict[tuple[str, bool], list[StaffMember]]] = {}
        self._wanted = cities_asked(problem.requests)
        self._asked_elsewhere: dict[str | None, set[str]] = {}

    def _by_home(self, kind: int) -> dict[tuple[str, bool], list[StaffMember]]:
        """Holders of a line kind grouped by what decides their reach: station and deployability."""
        if kind not in self._holders:
            groups: dict[tuple[str, bool], list[StaffMember]] = defaultdict(list)
            for person in self.problem.staff:
                if self.cands.standing(person, kind).ok:
                    groups[(person.home_station, person.limits.can_deploy_away)].append(person)
            self._holders[kind] = groups
        return self._holders[kind]

    def _elsewhere(self, city: str | None) -> set[str]:
        """Who asked only for cities other than ``city`` (asked once per pool: thousands a pool)."""
        if city not in self._asked_elsewhere:
            self._asked_elsewhere[city] = {
                number for number, wanted in self._wanted.items() if all(city != asked for asked, _ in wanted)
            }
        return self._asked_elsewhere[city]

    def pool(self, site: str, kind: int) -> tuple[list[StaffMember], list[StaffMember]]:
        key = (site, kind)
        if key not in self._pools:
            commuting: list[tuple[float, list[StaffMember]]] = []
            lodging: list[tuple[float, list[StaffMember]]] = []
            for members in self._by_home(kind).values():
                site_reach = self.cands.reach_of(members[0], site)
                if site_reach is None:
                    continue
                if site_reach.lodged:
                    lodging.append((self._lodged_travel(members[0], site_reach), members))
                else:
                    commuting.append((site_reach.minutes, members))
            # People who asked for another city come last: each shift here costs their request.
            elsewhere = self._elsewhere(self.problem.travel.locations[site].city)
            self._pools[key] = (_in_order(commuting, elsewhere), _in_order(lodging, elsewhere))
        return self._pools[key]

    def _lodged_travel(self, person: StaffMember, site_reach: Reach) -> float:
        """Kilometres a lodged shift costs following a plan: its share of the trip home (one per
        deployment of the longest length) and the commute from lodging; 0 without a plan."""
        if not self.by_cost:
            return 0.0
        trip = 2 * self.problem.travel.leg(person.home_station, site_reach.base).km
        return trip / self.longest + 2 * site_reach.km

    def rotation(self, site: str, kind: int, lodged: bool) -> Iterator[tuple[int, StaffMember]]:
        """The commuters or lodgers of a pool with their positions, from where the last scan stopped."""
        people = self.pool(site, kind)[int(lodged)]
        start = self._cursor[(site, kind, lodged)] % max(1, len(people))
        for k in range(start, start + len(people)):
            yield k % len(people), people[k % len(people)]

    def advance(self, site: str, kind: int, lodged: bool, position: int) -> None:
        if lodged or not self.by_cost:
            self._cursor[(site, kind, lodged)] = position + 1

    def tier(self, site: str, kind: int, lodged: bool) -> Tier:
        """The rotation of a pool, moving its cursor past whoever takes a shift."""
        return self.rotation(site, kind, lodged), lambda k, _: self.advance(site, kind, lodged, k)


def _in_order(groups: list[tuple[float, list[StaffMember]]], last: set[str]) -> list[StaffMember]:
    """The groups' members by their group's key (stable), those in ``last`` after everyone else."""
    people = [p for _, members in sorted(groups, key=lambda pair: pair[0]) for p in members]
    first = [p for p in people if p.service_number not in last]
    return first + [p for p in people if p.service_number in last]


class _Planned:
    """The transport plan's people for each shift: as many of each home group as it plans (a
    half and more counts as one), most planned group first, rotating through its members."""

    def __init__(self, problem: RosterProblem, plan: TransportPlan) -> None:
        self.left = {i: dict(groups) for i, groups in plan.flow.items()}
        self.members: dict[int, list[StaffMember]] = defaultdict(list)
        for person in problem.staff:
            if (g := plan.group_of.get(person.service_number)) is not None:
                self.members[g].append(person)
        self.group_of = plan.group_of
        self._cursor: dict[int, int] = defaultdict(int)

    def people(self, i: int) -> Iterator[tuple[int, StaffMember]]:
        left = self.left.get(i, {})
        for g in sorted(left, key=left.__getitem__, reverse=True):
            people = self.members[g]
            start = self._cursor[g]
            for k in range(start, start + len(people)):
                if left[g] < 0.5:
                    break
                yield k, people[k % len(people)]

    def took(self, i: int, person: StaffMember) -> None:
        """``person`` took shift ``i``: one fewer of their group to send there."""
        left = self.left.get(i, {})
        if (g := self.group_of.get(person.service_number)) in left:
            left[g] -= 1

    def advance(self, position: int, person: StaffMember) -> None:
        """The plan chose ``person``, at ``position`` in their group's rotation: go on from there."""
        self._cursor[self.group_of[person.service_number]] = position + 1


def greedy_roster(
    problem: RosterProblem, cands: Candidates, plan: TransportPlan | None = None
) -> list[Assignment]:
    """Fill every demand line in time order: commuters first, then people already deployed to the
    city (so deployments run on), then other lodgers; work is spread by rotating through each pool.

    With a transport ``plan``, deployed people run on first (a deployment cut short pays its
    extra night and trip home again), then the plan's people, then the rest as without one but
    the nearest commuters first each time (see ``_Pools``); and whoever asked the day or the shift
    off is tried last. (Without a plan the order is kept: on
    Curtois & Qu Instance 5, trying people who asked a shift off last led CP-SAT's search from
    the first roster to 1,332 in 60 s instead of 1,238.)
    """
    states: dict[str, PersonState] = {}
    out: list[Assignment] = []
    filled: dict[tuple[int, int], int] = defaultdict(int)

    def state_of(person: StaffMember) -> PersonState:
        if person.service_number not in states:
            states[person.service_number] = PersonState(person, cands)
        return states[person.service_number]

    people = {p.service_number: p for p in problem.staff}
    for a in problem.published:
        i = cands.index.get(a.shift_key)
        person = people.get(a.service_number)
        if a.pinned and i is not None and person is not None:
            c = cands.candidate(person, i, a.line)
            if c is not None and state_of(person).can_take(c):
                state_of(person).take(c)
                out.append(Assignment(a.shift_key, a.service_number, a.line, pinned=True))
                filled[(i, a.line)] += 1
    pools = _Pools(problem, cands, by_cost=plan is not None)
    off = TimeOff(problem.requests if plan is not None else ())
    planned = _Planned(problem, plan) if plan is not None else None
    deployed: dict[tuple[str, int], list[StaffMember]] = defaultdict(list)
    city_of = {code: loc.city or code for code, loc in problem.travel.locations.items()}
    for i, shift in enumerate(cands.shifts):
        kinds = cands.kind_of[i]
        order = sorted(range(len(kinds)), key=lambda j: sum(map(len, pools.pool(shift.site, kinds[j]))))
        day = cands.day_of[i]
        yesterday = deployed.get((city_of[shift.site], day - 1), [])
        for j in order:
            need = shift.demand[j].count - filled[(i, j)]
            if need <= 0:
                continue
            site, kind = shift.site, kinds[j]
            continuing: Tier = ([(-1, p) for p in yesterday], None)
            commuters, lodgers = pools.tier(site, kind, False), pools.tier(site, kind, True)
            if planned is None:
                tiers = [commuters, continuing, lodgers]
            else:
                tiers = [continuing, (planned.people(i), planned.advance), commuters, lodgers]
            asked_off: list[tuple[int, StaffMember]] = []
            for members, advance in (*tiers, (asked_off, None)):
                for position, person in members:
                    if need <= 0:
                        break
                    state = states.get(person.service_number) or state_of(person)
                    if state.closed(day):
                        continue
                    if members is not asked_off and off.asked(person.service_number, shift.day, shift.label):
                        asked_off.append((-1, person))  # tried last, once everyone else was
                        continue
                    c = cands.candidate(person, i, j)
                    if c is None or not state.can_take(c):
                        continue
                    state.take(c)
                    out.append(Assignment(shift.key, person.service_number, j))
                    need -= 1
                    if c.reach.lodged:
                        deployed[(c.reach.base, day)].append(person)
                    if planned is not None:
                        planned.took(i, person)
                    if advance is not None:
                        advance(position, person)
    return out
