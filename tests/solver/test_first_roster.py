"""The first roster keeps minimum hours even when demand alone would not give people enough work."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from deployer.domain.validator import hard_breaches, validate
from deployer.interchange.curtois import read_instance
from deployer.solver.candidates import Candidates
from deployer.solver.engine import clean_roster, first_roster, repair
from deployer.solver.greedy import greedy_roster
from deployer.solver.person_search import PersonSearch

# Four people, two weeks, one shift type; demand is two a day, but each must work 8 shifts
# (32 in all against 28 wanted): someone has to be over the count, which costs 1 a head.
INSTANCE = """SECTION_HORIZON
14

SECTION_SHIFTS
D,480,

SECTION_STAFF
A,D=14,5760,3840,5,2,2,2
B,D=14,5760,3840,5,2,2,2
C,D=14,5760,3840,5,2,2,2
D,D=14,5760,3840,5,2,2,2

SECTION_DAYS_OFF
A,3

SECTION_SHIFT_ON_REQUESTS

SECTION_SHIFT_OFF_REQUESTS

SECTION_COVER
""" + "".join(f"{d},D,2,100,1\n" for d in range(14))


def test_topping_up_reaches_every_minimum_and_keeps_the_run_rules(tmp_path: Path) -> None:
    path = tmp_path / "Tight.txt"
    path.write_text(INSTANCE)
    problem = read_instance(path).problem
    cands = Candidates(problem, people=[])
    _, short = clean_roster(problem, greedy_roster(problem, cands))
    assert {b.rule for b in short} == {"total_minutes"}  # demand alone leaves people short
    roster, unmended = first_roster(problem, cands, (), repair_until=time.perf_counter() + 20)
    assert unmended == []
    assert hard_breaches(validate(problem, roster)) == []
    worked = {p.service_number: 0 for p in problem.staff}
    for a in roster:
        worked[a.service_number] += 1
    assert all(count >= 8 for count in worked.values())


@pytest.mark.parametrize("responses", [False, True])
def test_repair_alone_brings_each_short_person_to_their_minimum(tmp_path: Path, responses: bool) -> None:
    path = tmp_path / "Tight.txt"
    path.write_text(INSTANCE)
    problem = read_instance(path).problem
    roster, short = clean_roster(problem, greedy_roster(problem, Candidates(problem, people=[])))
    assert short
    # No top-up: the repair's first pass re-rosters each short person alone on the real rules,
    # by their model in a neighbourhood or by their best response.
    responder = PersonSearch(problem, Candidates(problem), []) if responses else None
    repaired, unmended = repair(problem, roster, short, time.perf_counter() + 20, None, responder=responder)
    assert unmended == []
    assert hard_breaches(validate(problem, repaired)) == []
    if responder is not None:  # each short person mended by their own response
        assert responder.improvements == len({b.service_number for b in short})
