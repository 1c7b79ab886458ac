"""The day exchange: everyone's option on a day chosen at once, checked by brute force."""

from __future__ import annotations

import itertools
import random
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from deployer.domain.roster import Assignment
from deployer.domain.scoring import score
from deployer.domain.validator import hard_breaches, validate
from deployer.interchange.curtois import Instance, read_instance
from deployer.solver.candidates import Candidates
from deployer.solver.day_exchange import DayExchange, _apply, _exchange_weekends, _WeekendModel
from deployer.solver.person_search import PersonSearch

SHIFTS = (("E", 480), ("L", 600), ("N", 720))
DAYS = 7


def instance(tmp: Path, rng: random.Random, people: int, kinds: int) -> Instance:
    """``people`` people over a week with ``kinds`` shift types, random limits and cover."""
    types = SHIFTS[:kinds]
    lines = ["SECTION_HORIZON", str(DAYS), "", "SECTION_SHIFTS"]
    for n, (name, length) in enumerate(types):
        follow = [other for other, _ in types[:n]] if rng.random() < 0.5 else []
        lines.append(f"{name},{length},{'|'.join(follow)}")
    lines += ["", "SECTION_STAFF"]
    for p in range(people):
        per_kind = "|".join(f"{name}={rng.randint(0, 4)}" for name, _ in types)
        max_run = rng.randint(2, 5)
        lines.append(
            f"P{p},{per_kind},{rng.randint(3, 5) * 600},{rng.randint(0, 2) * 480},{max_run},"
            f"{rng.randint(1, max_run)},{rng.randint(1, 2)},{rng.randint(0, 1)}"
        )
    lines += [
        "",
        "SECTION_COVER",
        *(f"{d},{n},{rng.randint(0, 2)},100,{rng.randint(1, 5)}" for d in range(DAYS) for n, _ in types),
    ]
    path = tmp / "week.txt"
    path.write_text("\n".join(lines) + "\n")
    return read_instance(path)


def valid_start(inst: Instance, search: PersonSearch, rng: random.Random) -> list[Assignment] | None:
    """A valid roster: each person's walk at random prices (their rules only, the cover ignored)."""
    roster: list[Assignment] = []
    shifts = search.cands.shifts
    for number in search.people:
        pm = search.priced_of(number)
        path = search.path_of(number, pm)
        if path is None:
            return None
        walk = path.best({var: rng.randint(-300, 100) for var, _ in pm.x}).best
        if walk is None:
            return None
        line_of = dict(pm.x)
        roster += [Assignment(shifts[line_of[v][0]].key, number, line_of[v][1]) for v in walk.chosen]
    return roster if not hard_breaches(validate(inst.problem, roster)) else None


def cheapest_last_day(inst: Instance, roster: list[Assignment]) -> float:
    """The cheapest valid roster that differs from ``roster`` on the last day only (brute force)."""
    problem = inst.problem
    last = problem.operation.days[-1]
    shifts = problem.operation.shifts
    cands = Candidates(problem)
    kept = [a for a in roster if shifts[cands.index[a.shift_key]].day != last]
    options = [
        [None, *(Assignment(shifts[c.shift].key, sn, c.line) for c in mine if shifts[c.shift].day == last)]
        for sn, mine in cands.by_person.items()
    ]
    best = float("inf")
    for pick in itertools.product(*options):
        candidate = kept + [a for a in pick if a is not None]
        if not hard_breaches(validate(problem, candidate)):
            best = min(best, score(problem, candidate).total)
    return best


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.integers(2, 3), kinds=st.integers(1, 3), seed=st.integers(0, 10_000))
def test_a_pass_keeps_every_rule_and_leaves_the_last_day_at_its_optimum(
    tmp_path: Path, people: int, kinds: int, seed: int
) -> None:
    rng = random.Random(seed)
    inst = instance(tmp_path, rng, people, kinds)
    search = PersonSearch(inst.problem, Candidates(inst.problem), [])
    start = valid_start(inst, search, rng)
    if start is None:
        return
    search.load(start)
    before = score(inst.problem, start).total
    saved = DayExchange(search).run(float("inf"))
    after = search.roster()
    assert not hard_breaches(validate(inst.problem, after))
    assert score(inst.problem, after).total == pytest.approx(before - saved)
    assert search.gain == pytest.approx(saved)
    assert score(inst.problem, after).total <= cheapest_last_day(inst, after) + 1e-9


def two_people(
    tmp: Path,
    after_late: str,
    staff: tuple[str, str],
    needed: set[tuple[int, str]],
    held: dict[str, str],
    days: int = DAYS,
) -> tuple[Instance, PersonSearch]:
    """A and B over ``days`` of early (E) and late (L) shifts, ``after_late`` the shifts that may
    not follow a late one, one person needed on each (day, shift) of ``needed``; each person of
    ``held`` works the shift it gives them, and neither alone can do better."""
    text = "\n".join(
        [
            "SECTION_HORIZON",
            str(days),
            "",
            "SECTION_SHIFTS",
            "E,480,",
            f"L,480,{after_late}",
            "",
            "SECTION_STAFF",
            *staff,
            "",
            "SECTION_COVER",
            *(f"{d},{name},{int((d, name) in needed)},100,1" for d in range(days) for name in ("E", "L")),
        ]
    )
    path = tmp / "two.txt"
    path.write_text(text + "\n")
    inst = read_instance(path)
    search = PersonSearch(inst.problem, Candidates(inst.problem), [Assignment(k, n) for n, k in held.items()])
    for number in ("A", "B"):
        assert not search.respond(number)  # no one alone saves anything
    return inst, search


def test_two_people_fill_a_line_together_that_neither_fills_alone(tmp_path: Path) -> None:
    """A covers the early shift, which B alone could also work; the late one is short. Only A
    moving to the late shift while B comes in for the early one fills it: B coming in alone pays
    a surplus, A moving alone leaves the early shift short."""
    staff = ("A,E=7|L=7,3360,0,7,1,1,2", "B,E=7|L=0,3360,0,7,1,1,2")
    _, search = two_people(tmp_path, "", staff, {(0, "E"), (0, "L")}, {"A": "0/E"})
    assert DayExchange(search).run(float("inf")) == pytest.approx(100)
    assert sorted((a.service_number, a.shift_key) for a in search.roster()) == [("A", "0/L"), ("B", "0/E")]


def saving_week(tmp: Path) -> tuple[Instance, list[Assignment], str]:
    """A random week, a valid roster of it on which a pass saves, and someone the pass moves."""
    rng = random.Random(3)
    for _ in range(50):
        inst = instance(tmp, rng, 3, 2)
        search = PersonSearch(inst.problem, Candidates(inst.problem), [])
        start = valid_start(inst, search, rng)
        if start is None:
            continue
        search.load(start)
        before = {n: set(lines) for n, lines in search.mine.items()}
        if DayExchange(search).run(float("inf")) > 0:
            return inst, start, next(n for n in search.people if search.mine[n] != before.get(n, set()))
    pytest.fail("no random week where a pass saves")


def test_a_pass_the_validator_refuses_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the validator refuse someone the pass changed (a rule their walk does not model),
    the whole pass is undone and done again without them."""
    inst, start, moved = saving_week(tmp_path)
    search = PersonSearch(inst.problem, Candidates(inst.problem), start)
    checked = search.keeps_rules

    def refuse(number: str, lines: set[tuple[int, int]]) -> bool:
        if number == moved:
            search.paths[number] = None  # as a refused walk is: the model answers for them
            return False
        return checked(number, lines)

    monkeypatch.setattr(search, "keeps_rules", refuse)
    held = set(search.mine[moved])
    saved = DayExchange(search).run(float("inf"))
    assert search.mine[moved] == held
    after = search.roster()
    assert not hard_breaches(validate(inst.problem, after))
    assert score(inst.problem, after).total == pytest.approx(score(inst.problem, start).total - saved)


def test_a_weekend_of_one_shift_becomes_one_of_two_when_a_colleague_takes_its_saturday(
    tmp_path: Path,
) -> None:
    """A works the late shift on Saturday, after which Sunday's short early shift may not follow;
    B, who works no early shifts, could take that Saturday over. No one alone, and no single day,
    saves anything: only both of A's weekend days and B's Saturday changing at once fill Sunday."""
    staff = ("A,E=7|L=7,3360,0,7,1,1,1", "B,E=0|L=7,3360,0,7,1,1,1")
    inst, search = two_people(tmp_path, "E", staff, {(5, "L"), (6, "E")}, {"A": "5/L"})
    before = score(inst.problem, search.roster()).total
    exchange = DayExchange(search)
    assert exchange.run(float("inf"), weekends=False) == 0
    assert exchange.run(float("inf")) == pytest.approx(100)
    after = search.roster()
    assert sorted((a.service_number, a.shift_key) for a in after) == [("A", "6/E"), ("B", "5/L")]
    assert not hard_breaches(validate(inst.problem, after))
    assert score(inst.problem, after).total == pytest.approx(before - 100)


def test_a_weekend_worked_moves_to_another_when_a_colleague_takes_its_place(tmp_path: Path) -> None:
    """Over three weeks A and B may each work one weekend. A works the first one's Saturday late
    shift, B the third one's, whose Sunday early shift is short and B may not work. Neither alone,
    no single day and no single weekend saves anything (whoever could fill that Sunday has used
    their weekend): only A giving up the first weekend for the third while B takes A's place fills
    it, which the exchange over two weekends at once finds."""
    staff = ("A,E=7|L=7,3360,0,7,1,1,1", "B,E=0|L=7,3360,0,7,1,1,1")
    needed = {(5, "L"), (19, "L"), (20, "E")}
    inst, search = two_people(tmp_path, "", staff, needed, {"A": "5/L", "B": "19/L"}, days=21)
    before = score(inst.problem, search.roster()).total
    exchange = DayExchange(search)
    assert exchange.run(float("inf"), weekends=False) == 0
    people = exchange._people()
    lock = threading.Lock()
    assert all(_exchange_weekends(search, people, (saturday,), set(), lock) == 0 for saturday in (5, 12, 19))
    assert exchange.run(float("inf")) == pytest.approx(100)
    after = search.roster()
    assert sorted((a.service_number, a.shift_key) for a in after) == [
        ("A", "19/L"),
        ("A", "20/E"),
        ("B", "5/L"),
    ]
    assert not hard_breaches(validate(inst.problem, after))
    assert score(inst.problem, after).total == pytest.approx(before - 100)


def test_a_choice_over_people_another_step_has_changed_since_is_dropped(tmp_path: Path) -> None:
    """Steps over different weekends run at once; one whose people another step changed while
    CP-SAT was choosing would apply a choice made for rows that may no longer be there, so it is
    dropped (here B's Saturday is given up and taken back meanwhile: the choice would still save,
    but the step cannot tell)."""
    staff = ("A,E=7|L=7,3360,0,7,1,1,1", "B,E=0|L=7,3360,0,7,1,1,1")
    needed = {(5, "L"), (19, "L"), (20, "E")}
    inst, search = two_people(tmp_path, "", staff, needed, {"A": "5/L", "B": "19/L"}, days=21)
    people = DayExchange(search)._people()
    built = _WeekendModel.build(search, people, (5, 19))
    assert built is not None
    solver = cp_model.CpSolver()
    assert solver.solve(built.model) == cp_model.OPTIMAL
    held = {number: set(lines) for number, lines in search.mine.items()}
    saturday = people["B"].held[19]
    changed: set[str] = set()
    _apply(search, people, {19: {"B": None}}, 0.0, changed)
    _apply(search, people, {19: {"B": saturday}}, 0.0, changed)
    assert built.apply(search, people, solver, changed) is None
    assert search.mine == held
    assert DayExchange(search).run(float("inf")) == pytest.approx(100)
    assert not hard_breaches(validate(inst.problem, search.roster()))


def test_a_step_that_raises_stops_the_other_worker_and_reaches_the_caller(tmp_path: Path) -> None:
    """Steps run on both workers; an error in one must not be lost in its thread, nor leave the
    other worker going through the rest of the pass."""
    staff = ("A,E=7|L=7,3360,0,7,1,1,1", "B,E=0|L=7,3360,0,7,1,1,1")
    inst, search = two_people(tmp_path, "", staff, {(5, "L")}, {"A": "5/L"}, days=21)
    exchange = DayExchange(search)
    made: list[int] = []

    def failing(
        search: PersonSearch, people: object, step: int, changed: set[str], lock: threading.Lock
    ) -> float:
        made.append(step)
        if step == 0:
            raise RuntimeError("a step failed")
        time.sleep(0.01)
        return 0.0

    with pytest.raises(RuntimeError, match="a step failed"):
        exchange._steps("test", failing, range(100), exchange._people(), set(), float("inf"), None, workers=2)
    assert len(made) < 10
