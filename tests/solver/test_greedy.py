"""The constructive pass leaves people to what they asked for when someone else can do the work,
and the large neighbourhoods offer a city's work to the people who live near it."""

from __future__ import annotations

from dataclasses import replace

from deployer.domain.requests import RequestKind, StaffRequest
from deployer.solver.candidates import Candidates
from deployer.solver.greedy import greedy_roster
from deployer.solver.lns import LargeNeighbourhoodSearch
from deployer.solver.transport import transport_plan
from tests.builders import FIRST_DAY, daily, person, problem


def _workers(shifts_needing: int, requests: tuple[StaffRequest, ...], planned: bool = False) -> set[str]:
    p = problem(daily("GEE-KP", 1, count=shifts_needing), [person("1"), person("2")])
    p = replace(p, requests=requests)
    cands = Candidates(p)
    plan = transport_plan(p, cands, 10) if planned else None
    return {a.service_number for a in greedy_roster(p, cands, plan)}


def test_someone_who_asked_for_another_city_is_sent_last() -> None:
    asked = (StaffRequest("1", RequestKind.CITY, city="MIL", weight=1),)
    assert _workers(1, asked) == {"2"}
    assert _workers(1, ()) == {"1"}  # without the request, the first in the pool goes


def test_with_a_plan_someone_who_asked_the_day_off_works_it_only_when_no_one_else_can() -> None:
    asked = (StaffRequest("1", RequestKind.DAY_OFF, day=FIRST_DAY, weight=1),)
    assert _workers(1, asked, planned=True) == {"2"}
    assert _workers(2, asked, planned=True) == {"1", "2"}
    assert _workers(1, asked) == {"1"}  # without a plan, the order that suits Curtois & Qu


def test_a_city_neighbourhood_offers_its_work_to_people_living_there_first() -> None:
    far = [person(f"M{i}", home_station="STN-MIL") for i in range(30)]
    p = problem(daily("GEE-KP", 3), [*far, person("G1")])
    roster = [a for a in greedy_roster(p, Candidates(p)) if a.service_number != "G1"]
    lns = LargeNeighbourhoodSearch(p, Candidates(p, people=[]), roster, seed=1)
    hood = lns.choose("city_days")
    assert "G1" in {person.service_number for person in hood.people}
