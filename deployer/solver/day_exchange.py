"""Everyone's shift on one day chosen at once: the moves of several people a best response cannot make.

A best response (``person_search``) re-rosters one person against everyone else's cover, so a
roster where every person's response saves nothing can still leave a line short that two people
could fill together: one moves from a line others cover already to the short one, a second takes
over the first's line, or comes in on a day off. On the Curtois & Qu year-long instances the people
must work within a sixtieth of their year's maximum hours, so most such moves need several people
at once, and the best responses left 220 lines short.

With every other day fixed, what each person may do on one day (a day off, or a line of that day)
is decided by their own rules alone: the rules about runs, days off, successions, weekends and
counts over the horizon see only their own roster. Choosing everyone's option for the day at
once is then a transportation problem — each person to one option at their own price, each line
paying its shortfall or surplus (convex in how many fill it) — which min-cost flow solves exactly.
Each person's options are checked here against the rules their walk of ``run_path`` models (runs,
breaks, successions, counts); whoever changed is checked by the validator after the pass.

Weekends need more: everyone works as many as they may, so only someone who works one day of a
weekend can take a line on its other day, and the shift they work that Saturday often may not be
followed by the Sunday's short one. A pass can also choose, weekend by weekend, everyone's pair of
options for the Saturday and the Sunday at once; a pair covers two lines, so that choice is no
flow but a small CP-SAT model. Once the days and single weekends save next to nothing, two
weekends at a time: a person may then give up one weekend for the other, which moves a weekend's
work to where its lines are short (Curtois Instance 23: everyone works every weekend they may,
and 161 weekend lines were short after 60 s, while 371 weekends were worked on one day).
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow
from ortools.sat.python import cp_model

from deployer.solver.person_search import Line, PersonSearch
from deployer.solver.run_path import RunPath

OFF = -1
"""A day off in a person's row of kinds."""
RETRIES = 2
"""Most times a pass is done again after the validator refused someone it changed, and a
weekend step after another changed its people meanwhile."""
EPS = 1e-6
WEEKEND_SECONDS = 0.5
"""Most time CP-SAT may take to choose everyone's shifts over two weekends."""
Step = TypeVar("Step")
"""What one step of an exchange is about: a day, or the weekends chosen together."""
Exchange = Callable[[PersonSearch, dict[str, "_Person"], Step, set[str], threading.Lock], float]
"""One step: its people, what it is about, the set of people changed so far, and the lock that
steps made at once hold while they read or write the roster; the saving (sixtieths)."""


@dataclass
class _Person:
    """One person's roster as the exchange sees it, with their walk's rules."""

    number: str
    known: _Options
    row: list[int]
    """Kind worked on each day (``OFF``: none)."""
    held: dict[int, tuple[int, Line]]
    """Day number -> (variable, line) worked."""
    totals: np.ndarray
    """What the roster counts towards each counted rule of the walk."""
    version: int = 0
    """Times the row changed: a step made beside others applies only when its people's rows
    are as it found them."""

    def take(self, day: int, choice: Choice) -> None:
        """Work ``choice`` on ``day`` (rest when None) instead of what the row holds."""
        counted = self.known.path.priced
        weekend = self.known.weekend[day]
        was = weekend is not None and self.weekend_worked(weekend)
        if self.row[day] != OFF:
            self.totals -= counted.per_kind[:, self.row[day]]
        kind = OFF
        if choice is None:
            self.held.pop(day, None)
        else:
            self.held[day] = choice
            kind = next(k for var, _, k in self.known.options[day] if var == choice[0])
            self.totals += counted.per_kind[:, kind]
        self.row[day] = kind
        self.version += 1
        if counted.weekend_rule >= 0 and weekend is not None:
            self.totals[counted.weekend_rule] += int(self.weekend_worked(weekend)) - int(was)

    def weekend_worked(self, weekend: int) -> bool:
        """Whether the row has a shift on the weekend whose Saturday is day ``weekend``."""
        return any(self.row[d] != OFF for d in (weekend, weekend + 1) if 0 <= d < len(self.row))


class DayExchange:
    """Passes of the day exchange over a best-response search's roster (see the module docstring)."""

    def __init__(self, search: PersonSearch) -> None:
        self.search = search
        self.check_seconds = 0.0
        """How long the validator took per person changed, in the last pass."""
        self.known: dict[str, _Options | None] = {}
        self.longest: dict[str, float] = {"weekend": WEEKEND_SECONDS, "weekends": WEEKEND_SECONDS}
        """The longest step of each exchange (a day, a weekend, two weekends) so far; a weekend's
        CP-SAT search alone may take ``WEEKEND_SECONDS``."""
        self.day_seconds = 0.0
        """How long the last pass over the days took (the weekends' excluded)."""
        self.day_pace = 0.0
        """Points a second the last pass over the days saved."""
        self.weekend_pace: float | None = None
        """Points a second the last pass over the weekends saved (None: none made yet)."""

    def _people(self) -> dict[str, _Person]:
        """Everyone whose walk models their rules, once the responses have built it (building
        everyone's at the first pass took 30 s of a 60 s solve for 150 people over a year); the
        others keep their shifts."""
        people: dict[str, _Person] = {}
        for number in self.search.people:
            if self.search.paths.get(number) is None:
                continue
            known = self.known.get(number)
            if known is None or self.search.paths.get(number) is not known.path:
                known = self.known[number] = _options(self.search, number)
            if known is not None and (person := _person(self.search, number, known)) is not None:
                people[number] = person
        return people

    def run(
        self, deadline: float, stop: threading.Event | None = None, weekends: bool = True, little: float = 0.0
    ) -> float:
        """One pass over the days, each day's options chosen for everyone at once and applied
        where they save, then, with ``weekends``, over the weekends, each weekend's two days
        chosen for everyone at once, and, when the days and the weekends alone saved no more than
        ``little`` points, over pairs of weekends drawn at random; ending in time to check them by
        ``deadline``; the points saved. A pass over the weekends takes three or four times as
        long as one over the days (Curtois Instance 23: 52 weekends in 9 s, its days in 2-3 s),
        one over pairs of them about twice as long again.

        Whoever changed is checked by the validator once the pass is over (checking after each
        day took 39 of 43 s on Curtois Instance 23); should a rule the walks do not model refuse
        someone, the pass is undone and done again without them (their walk no longer answers
        for them)."""
        search = self.search
        for _ in range(1 + RETRIES):
            people = self._people()
            if not people:
                return 0.0
            if not self.check_seconds:  # a first estimate, so that the first pass ends in time too
                began = time.perf_counter()
                number = next(iter(people))
                search.keeps_rules(number, search.mine[number])
                self.check_seconds = time.perf_counter() - began
            before = (
                {number: set(lines) for number, lines in search.mine.items()},
                dict(search.filled),
                dict(search.cost),
                search.gain,
            )
            changed: set[str] = set()
            began = time.perf_counter()
            days = range(max(len(p.row) for p in people.values()))
            saved = self._steps("day", _exchange_day, days, people, changed, deadline, stop)
            self.day_seconds = time.perf_counter() - began
            self.day_pace = saved / 60 / max(1e-3, self.day_seconds)
            if weekends:
                began = time.perf_counter()
                alone = [(saturday,) for saturday in _saturdays(people)]
                over_weekends = self._steps(
                    "weekend", _exchange_weekends, alone, people, changed, deadline, stop, search.workers
                )
                if saved + over_weekends <= 60 * little:  # days and weekends alone save next to nothing
                    pairs = self._pairs(people)
                    over_weekends += self._steps(
                        "weekends", _exchange_weekends, pairs, people, changed, deadline, stop, search.workers
                    )
                self.weekend_pace = over_weekends / 60 / max(1e-3, time.perf_counter() - began)
                saved += over_weekends
            began = time.perf_counter()
            kept = all([search.keeps_rules(number, search.mine[number]) for number in sorted(changed)])
            self.check_seconds = (time.perf_counter() - began) / max(1, len(changed))
            if kept:
                return saved / 60
            with search._lock:
                mine, filled, cost, search.gain = before
                search.mine, search.filled, search.cost = (
                    defaultdict(set, mine),
                    defaultdict(int, filled),
                    cost,
                )
                search.settled.clear()
        return 0.0

    def _pairs(self, people: dict[str, _Person]) -> list[tuple[int, ...]]:
        """The weekends (their Saturdays) in pairs drawn at random, each pair far enough apart
        (``_apart``); a weekend left without a partner goes alone."""
        saturdays = _saturdays(people)
        self.search.rng.shuffle(saturdays)
        apart = _apart(people.values())
        pairs: list[tuple[int, ...]] = []
        while saturdays:
            first = saturdays.pop()
            partner = next((s for s in saturdays if abs(s - first) >= apart), None)
            if partner is None:
                pairs.append((first,))
            else:
                saturdays.remove(partner)
                pairs.append((min(first, partner), max(first, partner)))
        return pairs

    def weekends_pay(self, pace: float) -> bool:
        """Whether a pass over the weekends is worth its time after best responses that saved
        ``pace`` points a second: the last such pass saved faster, or, before the first, the
        last pass over the days did (moves of several people now pay better than one person's)."""
        return pace < (self.day_pace if self.weekend_pace is None else self.weekend_pace)

    def _steps(
        self,
        kind: str,
        exchange: Exchange[Step],
        steps: Iterable[Step],
        people: dict[str, _Person],
        changed: set[str],
        deadline: float,
        stop: threading.Event | None,
        workers: int = 1,
    ) -> float:
        """``exchange`` on each of ``steps`` while there is time for one more (as long as the
        longest so far) and to check whoever changed by ``deadline``, on up to ``workers``
        threads at once (the steps must then touch different days); the saving (sixtieths)."""
        saved = 0.0
        lock = threading.Lock()
        queue = iter(steps)

        def work() -> None:
            nonlocal saved
            while True:
                with lock:
                    longest = self.longest.get(kind, 0.0)
                    if time.perf_counter() + longest >= deadline - self.check_seconds * len(changed):
                        return
                    if (stop is not None and stop.is_set()) or self.search.failed.is_set():
                        return  # stopped, or the other worker's step raised
                    if (step := next(queue, None)) is None:
                        return
                began = time.perf_counter()
                saving = exchange(self.search, people, step, changed, lock)
                with lock:
                    saved += saving
                    self.longest[kind] = max(self.longest.get(kind, 0.0), time.perf_counter() - began)

        self.search.in_parallel(work, workers)
        return saved


@dataclass(frozen=True)
class _Options:
    """What the exchange needs of a person that does not change while their walk answers."""

    path: RunPath
    options: dict[int, list[tuple[int, Line, int]]]
    """Day number -> (variable, line, kind) of each line the person could fill that day."""
    at: dict[Line, tuple[int, int, int]]
    """Line -> its variable, day number and kind."""
    price: dict[int, int]
    """Variable -> the person's own cost of that shift (sixtieths)."""
    weekend: list[int | None]
    """The weekend of each day (``_weekend_ids``)."""


def _options(search: PersonSearch, number: str) -> _Options | None:
    """The person's options, when their walk models their rules."""
    pm = search.priced_of(number)
    path = search.path_of(number, pm)
    if path is None:
        return None
    line_of = dict(pm.x)
    options: dict[int, list[tuple[int, Line, int]]] = defaultdict(list)
    at: dict[Line, tuple[int, int, int]] = {}
    for var, day, kind in zip(
        path.option_var.tolist(), path.option_day.tolist(), path.option_kind.tolist(), strict=True
    ):
        options[day].append((var, line_of[var], kind))
        at[line_of[var]] = (var, day, kind)
    return _Options(path, options, at, dict(pm.personal), _weekend_ids(path))


def _person(search: PersonSearch, number: str, known: _Options) -> _Person | None:
    """The person's roster as the exchange sees it; None when it holds a line outside the walk's
    options (pinned, say): they keep their shifts."""
    path = known.path
    row = [OFF] * path.days
    held: dict[int, tuple[int, Line]] = {}
    for line in search.mine.get(number, ()):
        if line not in known.at:
            return None
        var, day, kind = known.at[line]
        row[day] = kind
        held[day] = (var, line)
    counted = path.priced
    totals = counted.per_kind[:, [k for k in row if k != OFF]].sum(axis=1)
    if counted.weekend_rule >= 0:
        totals[counted.weekend_rule] = _weekends(known.weekend, row)
    return _Person(number, known, row, held, totals)


def _saturdays(people: dict[str, _Person]) -> list[int]:
    """The weekends of the horizon (their Saturdays' day numbers)."""
    return sorted({s for p in people.values() for s in p.known.weekend if s is not None})


def _weekend_ids(path: RunPath) -> list[int | None]:
    """The weekend (its Saturday's day number) of each day; None on weekdays."""
    return [
        day if saturday else day - 1 if sunday else None
        for day, (saturday, sunday) in enumerate(zip(path.saturday, path.sunday, strict=True))
    ]


def _weekends(weekend: list[int | None], row: list[int]) -> int:
    """Weekends with a shift on the Saturday or the Sunday (the validator's count)."""
    return len({weekend[day] for day, kind in enumerate(row) if kind != OFF} - {None})


Choice = tuple[int, Line] | None
"""A person's option on a day: (variable, line) worked, or None for a day off."""


def _exchange_day(
    search: PersonSearch, people: dict[str, _Person], day: int, changed: set[str], lock: threading.Lock
) -> float:
    """Everyone's option on ``day`` chosen at once and applied when it saves; the saving
    (sixtieths). The people it changes are added to ``changed``. The flow is solved in
    milliseconds, so the step holds ``lock`` throughout."""
    with lock:
        chosen = _best_day(search, people, day)
        if chosen is None:
            return 0.0
        saving, changes = chosen
        _apply(search, people, {day: changes}, saving, changed)
        return saving


def _lines_with(mine: set[Line], old: tuple[int, Line] | None, new: Choice) -> set[Line]:
    """A person's lines with the day's ``old`` (variable, line) replaced by ``new``."""
    lines = set(mine)
    if old is not None:
        lines.discard(old[1])
    if new is not None:
        lines.add(new[1])
    return lines


def _best_day(
    search: PersonSearch, people: dict[str, _Person], day: int
) -> tuple[float, dict[str, Choice]] | None:
    """The cheapest options of everyone on ``day`` (min-cost flow) when they save: the saving
    (sixtieths) and each changed person's new option."""
    allowed = {
        number: _feasible(person, day)
        for number, person in people.items()
        if person.known.options.get(day) or day in person.held
    }
    if not any(len(choices) > 1 for choices in allowed.values()):
        return None
    lines = sorted({c[1] for choices in allowed.values() for c in choices if c is not None})
    ours: dict[Line, int] = defaultdict(int)
    for number in allowed:
        if (held := people[number].held.get(day)) is not None:
            ours[held[1]] += 1
    others = {line: search.filled.get(line, 0) - ours[line] for line in lines}
    flow = SimpleMinCostFlow()
    source, sink, off = 0, 1, 2
    node = {line: 3 + n for n, line in enumerate(lines)}
    first_person = 3 + len(lines)
    arcs: list[tuple[int, str, Choice]] = []
    for n, (number, choices) in enumerate(allowed.items()):
        person = first_person + n
        flow.add_arc_with_capacity_and_unit_cost(source, person, 1, 0)
        for choice in choices:
            head = off if choice is None else node[choice[1]]
            price = 0 if choice is None else people[number].known.price.get(choice[0], 0)
            arcs.append((flow.add_arc_with_capacity_and_unit_cost(person, head, 1, price), number, choice))
    size = len(allowed)
    flow.add_arc_with_capacity_and_unit_cost(off, sink, size, 0)
    for line in lines:
        room = max(0, search.count[line] - others[line])
        if room:
            flow.add_arc_with_capacity_and_unit_cost(node[line], sink, room, -search.under_cost[line])
        if (over := search.over_cost[line]) is not None:
            flow.add_arc_with_capacity_and_unit_cost(node[line], sink, size, over)
    flow.set_node_supply(source, size)
    flow.set_node_supply(sink, -size)
    if flow.solve() != flow.OPTIMAL:
        return None
    new = {number: choice for arc, number, choice in arcs if flow.flow(arc)}
    old = {number: people[number].held.get(day) for number in allowed}
    saving = _day_cost(search, people, others, old) - _day_cost(search, people, others, new)
    if saving <= EPS:
        return None
    return saving, {number: choice for number, choice in new.items() if choice != old[number]}


def _day_cost(
    search: PersonSearch, people: dict[str, _Person], others: dict[Line, int], choices: dict[str, Choice]
) -> float:
    """What the day's lines and the people's own prices cost (sixtieths) with ``choices``."""
    filled = dict(others)
    own = 0
    for number, choice in choices.items():
        if choice is not None:
            filled[choice[1]] = filled.get(choice[1], 0) + 1
            own += people[number].known.price.get(choice[0], 0)
    return own + sum(search.line_cost(line, count) for line, count in filled.items())


def _feasible(person: _Person, day: int) -> list[Choice]:
    """The person's options on ``day`` that keep the rules their walk models, everything else
    of theirs fixed: their current one first."""
    path, row = person.known.path, person.row
    current = row[day]
    counted = path.priced
    per_kind = counted.per_kind
    base = person.totals - (per_kind[:, current] if current != OFF else 0.0)
    within = np.all(
        (base[:, None] + per_kind >= counted.low[:, None] - EPS)
        & (base[:, None] + per_kind <= counted.high[:, None] + EPS),
        axis=0,
    )
    held = person.held.get(day)
    choices: list[Choice] = [held]
    known: dict[bool, bool] = {}

    def status_ok(work: bool) -> bool:
        """Whether working (or resting) on the day keeps the runs and weekends."""
        if (current != OFF) == work:
            return True
        if work not in known:
            known[work] = _runs_keep(path, row, day, work) and _weekends_keep(person, day, work)
        return known[work]

    base_within = bool(np.all((base >= counted.low - EPS) & (base <= counted.high + EPS)))
    if held is not None and base_within and status_ok(False):
        choices.append(None)
    before = row[day - 1] if day > 0 else OFF
    after = row[day + 1] if day + 1 < len(row) else OFF
    for var, line, kind in person.known.options.get(day, ()):
        if held is not None and var == held[0]:
            continue
        if not within[kind]:
            continue
        if before != OFF and not path.follows[before, kind]:
            continue
        if after != OFF and not path.follows[kind, after]:
            continue
        if status_ok(True):
            choices.append((var, line))
    return choices


def _runs_keep(path: RunPath, row: list[int], day: int, work: bool) -> bool:
    """Whether working (``work``) or resting on ``day`` instead keeps the runs of work and of days
    off within the person's limits."""
    was = row[day]
    row[day] = 0 if work else OFF  # runs see only whether a day is worked
    keeps = _runs_hold(path, row, day, day)
    row[day] = was
    return keeps


def _weekends_keep(person: _Person, day: int, work: bool) -> bool:
    """Whether working (or resting) on ``day`` instead keeps the most weekends worked."""
    counted = person.known.path.priced
    weekend = person.known.weekend[day]
    if counted.weekend_rule < 0 or weekend is None or not work:
        return True
    # A weekend the row works already counts already, whichever shift the day takes.
    rule = counted.weekend_rule
    return person.weekend_worked(weekend) or person.totals[rule] + 1 <= counted.high[rule] + EPS


def _apply(
    search: PersonSearch,
    people: dict[str, _Person],
    changes: dict[int, dict[str, Choice]],
    saving: float,
    changed: set[str],
) -> None:
    """Write each day's changes (day number -> person -> new option) into ``search`` and into
    the people's rows, and add the people to ``changed``."""
    with search._lock:
        for day, on_day in changes.items():
            for number, choice in on_day.items():
                person = people[number]
                old = person.held.get(day)
                old_lines = search.mine.get(number, set())
                new_lines = _lines_with(old_lines, old, choice)
                for line in old_lines - new_lines:
                    search.filled[line] -= 1
                for line in new_lines - old_lines:
                    search.filled[line] += 1
                search.mine[number] = new_lines
                if number in search.cost:
                    search.cost[number] += (0 if choice is None else person.known.price.get(choice[0], 0)) - (
                        0 if old is None else person.known.price.get(old[0], 0)
                    )
                for models in (search.models, search.priced):
                    if number in models:
                        models[number].values = None
                person.take(day, choice)
            changed.update(on_day)
        search.settled.clear()
        search.gain += saving / 60
        search.improvements += 1


def _exchange_weekends(
    search: PersonSearch,
    people: dict[str, _Person],
    saturdays: Sequence[int],
    changed: set[str],
    lock: threading.Lock,
) -> float:
    """Everyone's shifts over the weekends whose Saturdays are day numbers ``saturdays`` chosen at
    once and applied when they save; the saving (sixtieths). The weekends must lie far enough
    apart that no run of work or of days off can join two of them (``_apart``): each person's
    options on each weekend then keep their runs and successions on their own, and only their
    counts (hours, weekends, shifts of a kind) join the weekends, as constraints of the model.
    Over two weekends at once a person can give up one weekend worked for another, which no
    single weekend's choice can: everyone works as many weekends as they may.

    CP-SAT takes most of a step's time (three quarters on Curtois Instance 23), so steps over
    other weekends may run meanwhile: the model is built and its choice applied under ``lock``,
    and a choice that changes someone another step changed since is dropped (their counts and
    runs have moved under it) and made again from the rows as they are, up to ``RETRIES``
    times."""
    for _ in range(1 + RETRIES):
        with lock:
            built = _WeekendModel.build(search, people, saturdays)
        if built is None:
            return 0.0
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = WEEKEND_SECONDS
        solver.parameters.linearization_level = 2
        if solver.solve(built.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return 0.0
        with lock:
            saving = built.apply(search, people, solver, changed)
        if saving is not None:
            return saving
    return 0.0


@dataclass
class _WeekendModel:
    """The CP-SAT model of everyone's options over a few weekends (``_exchange_weekends``)."""

    model: cp_model.CpModel
    weekends: list[list[int]]
    """The days of each weekend."""
    options: dict[str, list[_Combinations]]
    """Each person's options over each weekend (people with a choice only)."""
    chosen: dict[str, list[list[cp_model.IntVar]]]
    """Each person's flag for each option over each weekend."""
    others: dict[Line, int]
    """How many people without a choice here fill each line the options hold."""
    versions: dict[str, int]
    """Each person's ``version`` when the model was built."""

    @classmethod
    def build(
        cls, search: PersonSearch, people: dict[str, _Person], saturdays: Sequence[int]
    ) -> _WeekendModel | None:
        """The model over the weekends of ``saturdays``; None when no one has a choice."""
        horizon = len(next(iter(people.values())).row)
        weekends = [[day for day in (saturday, saturday + 1) if 0 <= day < horizon] for saturday in saturdays]
        days = [day for weekend in weekends for day in weekend]
        options: dict[str, list[_Combinations]] = {}
        for number, person in people.items():
            if any(person.known.options.get(day) or day in person.held for day in days):
                found = _within_counts(person, [_combinations(person, weekend) for weekend in weekends])
                if any(len(f.choices) > 1 for f in found):
                    options[number] = found
        if not options:
            return None
        ours: dict[Line, int] = defaultdict(int)
        for number in options:
            for day in days:
                if (held := people[number].held.get(day)) is not None:
                    ours[held[1]] += 1
        lines = sorted(
            {c[1] for found in options.values() for f in found for choices in f.choices for c in choices if c}
        )
        others = {line: search.filled.get(line, 0) - ours[line] for line in lines}
        model = cp_model.CpModel()
        chosen: dict[str, list[list[cp_model.IntVar]]] = {}
        on: dict[Line, list[cp_model.IntVar]] = defaultdict(list)
        costs: list[cp_model.LinearExprT] = []
        for number, found in options.items():
            price = people[number].known.price
            chosen[number] = []
            for f in found:
                flags = [model.new_bool_var("") for _ in f.choices]
                model.add_exactly_one(flags)
                model.add_hint(flags[0], 1)  # the current choice comes first
                chosen[number].append(flags)
                for flag, choices in zip(flags, f.choices, strict=True):
                    costs.append(sum(price.get(c[0], 0) for c in choices if c is not None) * flag)
                    for c in choices:
                        if c is not None:
                            on[c[1]].append(flag)
            _keep_counts(model, people[number], found, chosen[number])
        for line in lines:
            count, over = search.count[line], search.over_cost[line]
            filled = others[line] + sum(on[line])
            short = model.new_int_var(0, count, "")
            model.add(short >= count - filled)
            costs.append(search.under_cost[line] * short)
            if over is None:
                model.add(filled <= max(count, others[line] + ours[line]))
            else:
                surplus = model.new_int_var(0, len(on[line]) + others[line], "")
                model.add(surplus >= filled - count)
                costs.append(over * surplus)
        model.minimize(sum(costs))
        versions = {number: people[number].version for number in options}
        return cls(model, weekends, options, chosen, others, versions)

    def apply(
        self, search: PersonSearch, people: dict[str, _Person], solver: cp_model.CpSolver, changed: set[str]
    ) -> float | None:
        """Apply the solver's choice when it saves and changes no one whom another step has
        changed since the model was built; the saving (sixtieths), None when someone it would
        change has changed since."""
        new: dict[int, dict[str, Choice]] = defaultdict(dict)
        for number, found in self.options.items():
            for f, flags, weekend in zip(found, self.chosen[number], self.weekends, strict=True):
                pick = next(c for flag, c in zip(flags, f.choices, strict=True) if solver.boolean_value(flag))
                for day, choice in zip(weekend, pick, strict=True):
                    new[day][number] = choice
        saving = 0.0
        for day, on_day in new.items():  # the other days' lines cost the same on both sides
            old_day = {number: people[number].held.get(day) for number in self.options}
            saving += _day_cost(search, people, self.others, old_day) - _day_cost(
                search, people, self.others, on_day
            )
        changes = {
            day: {number: c for number, c in on_day.items() if c != people[number].held.get(day)}
            for day, on_day in new.items()
        }
        moved = {number for on_day in changes.values() for number in on_day}
        if saving <= EPS:
            return 0.0
        if any(people[number].version != self.versions[number] for number in moved):
            return None
        _apply(search, people, changes, saving, changed)
        return saving


COUNT_SCALE = 1_000_000
"""Counted rules are sums of fractions (minutes in average shifts); the model holds them times
this, rounded: a minute over a limit is then worth far more than the rounding of a few shifts."""


@dataclass(frozen=True)
class _Combinations:
    """A person's options over one weekend: each a choice per day, the current one first, and
    what each changes in every counted rule of their walk (one row per option)."""

    choices: list[tuple[Choice, ...]]
    counts: np.ndarray


def _within_counts(person: _Person, found: list[_Combinations]) -> list[_Combinations]:
    """The person's options over each weekend less those that break a counted rule whatever
    they do on the other weekends (over one weekend: every option that breaks one)."""
    counted = person.known.path.priced
    lowest = sum(f.counts.min(axis=0) for f in found)
    highest = sum(f.counts.max(axis=0) for f in found)
    kept = []
    for f in found:
        low = person.totals + f.counts + (lowest - f.counts.min(axis=0))
        high = person.totals + f.counts + (highest - f.counts.max(axis=0))
        keep = np.all((high >= counted.low - EPS) & (low <= counted.high + EPS), axis=1)
        keep[0] = True  # the current option: the roster keeps every rule
        kept.append(_Combinations([c for c, k in zip(f.choices, keep, strict=True) if k], f.counts[keep]))
    return kept


def _keep_counts(
    model: cp_model.CpModel, person: _Person, found: list[_Combinations], flags: list[list[cp_model.IntVar]]
) -> None:
    """Constrain the person's options over several weekends to keep their counted rules (those
    that some mix of options could break; the current roster always keeps them)."""
    counted = person.known.path.priced
    lowest = person.totals + sum(f.counts.min(axis=0) for f in found)
    highest = person.totals + sum(f.counts.max(axis=0) for f in found)
    for rule in np.nonzero((lowest < counted.low - EPS) | (highest > counted.high + EPS))[0]:
        change = sum(
            round(COUNT_SCALE * float(delta)) * flag
            for f, weekend in zip(found, flags, strict=True)
            for delta, flag in zip(f.counts[:, rule], weekend, strict=True)
            if delta
        )
        if highest[rule] > counted.high[rule] + EPS:
            room = max(0.0, counted.high[rule] - person.totals[rule])
            model.add(change <= math.floor(COUNT_SCALE * (room + EPS)))
        if lowest[rule] < counted.low[rule] - EPS:
            room = min(0.0, counted.low[rule] - person.totals[rule])
            model.add(change >= math.ceil(COUNT_SCALE * (room - EPS)))


def _combinations(person: _Person, days: list[int]) -> _Combinations:
    """The person's options over ``days`` (a weekend: one or two days) that keep their runs and
    successions, everything else of theirs fixed, and what each changes in their counts. The
    successions of every combination are checked at once; the runs depend only on which days are
    worked, so each pattern of work and rest is checked once on the row."""
    path, row, counted = person.known.path, person.row, person.known.path.priced
    current = tuple(person.held.get(day) for day in days)
    each = [[None, *((var, line) for var, line, _ in person.known.options.get(day, ()))] for day in days]
    kinds = [
        np.array([OFF, *(kind for _, _, kind in person.known.options.get(day, ()))], dtype=np.int64)
        for day in days
    ]
    was = [row[day] for day in days]
    # What each combination adds to each rule's count, less what the current one does.
    with_off = np.vstack([counted.per_kind.T, np.zeros(len(counted.per_kind))])  # OFF: the last row
    grid = np.meshgrid(*kinds, indexing="ij")
    added = np.sum([with_off[g] for g in grid], axis=0) - sum(with_off[kind] for kind in was)
    if counted.weekend_rule >= 0:  # the days are one weekend's
        worked = np.any([g != OFF for g in grid], axis=0)
        added[..., counted.weekend_rule] += worked.astype(float) - float(any(kind != OFF for kind in was))
    follows = np.ones((len(path.follows) + 1,) * 2, dtype=bool)  # OFF: the last row and column
    follows[:-1, :-1] = path.follows
    before_day = row[days[0] - 1] if days[0] > 0 else OFF
    after_day = row[days[-1] + 1] if days[-1] + 1 < len(row) else OFF
    keeps = follows[before_day, grid[0]] & follows[grid[-1], after_day]
    if len(days) == 2:
        keeps &= follows[grid[0], grid[1]]
    for pattern in itertools.product((False, True), repeat=len(days)):
        for day, work in zip(days, pattern, strict=True):
            row[day] = 0 if work else OFF
        if not _runs_hold(path, row, days[0], days[-1]):
            keeps &= ~np.all([(g != OFF) == work for g, work in zip(grid, pattern, strict=True)], axis=0)
    for day, kind in zip(days, was, strict=True):
        row[day] = kind
    found, counts = [current], [np.zeros(added.shape[-1])]
    for index in zip(*np.nonzero(keeps), strict=True):
        combination = tuple(options[i] for options, i in zip(each, index, strict=True))
        if combination != current:
            found.append(combination)
            counts.append(added[index])
    return _Combinations(found, np.array(counts))


def _apart(people: Iterable[_Person]) -> int:
    """Fewest days between two weekends' Saturdays for no run of work or of days off (within the
    people's limits) to join them: the days between the first Sunday and the second Saturday
    must be at least the longest run allowed and the longest break that could be short."""
    longest = max((max(p.known.path.max_run, p.known.path.min_off) for p in people), default=0)
    return max(7, longest + 2)


def _runs_hold(path: RunPath, row: list[int], first: int, last: int) -> bool:
    """Whether every run of work or of days off touching days ``first`` to ``last`` of ``row`` is
    within the person's limits (runs touching either end of the horizon need no minimum)."""
    day = max(0, first - 1)
    while day > 0 and (row[day - 1] == OFF) == (row[day] == OFF):
        day -= 1
    while day <= min(len(row) - 1, last + 1):
        start, work = day, row[day] != OFF
        while day + 1 < len(row) and (row[day + 1] != OFF) == work:
            day += 1
        length, inside = day - start + 1, start > 0 and day < len(row) - 1
        if work and (length > path.max_run or (inside and length < path.min_run)):
            return False
        if not work and inside and length < path.min_off:
            return False
        day += 1
    return True
