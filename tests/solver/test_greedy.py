"""The constructive pass leaves people to what they asked for when someone else can do the work,
and the large neighbourhoods offer a city's work to the people who live near it."""

from __future__ import annotations

from dataclasses import replace

from deployer.domain.locations import Leg, Location, LocationKind, TravelMatrix
from deployer.domain.problem import RosterProblem
from deployer.domain.requests import RequestKind, StaffRequest
from deployer.solver.candidates import Candidates
from deployer.solver.greedy import PersonState, greedy_roster
from deployer.solver.lns import LargeNeighbourhoodSearch
from deployer.solver.transport import TransportPlan, transport_plan
from tests.builders import FIRST_DAY, LEGS, PLACES, daily, person, problem


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


def test_a_day_that_would_make_a_run_too_long_opens_again_when_a_shift_is_taken_away() -> None:
    p = problem(daily("GEE-KP", 14), [person("1")], max_minutes_per_7_days=7 * 24 * 60)
    cands = Candidates(p)
    state = PersonState(p.staff[0], cands)
    found = [cands.candidate(p.staff[0], i, 0) for i in range(state.max_days + 1)]
    run = [c for c in found if c is not None]
    assert len(run) == len(found)
    for c in run[:-1]:
        state.take(c)
    last = cands.day_of[run[-1].shift]
    assert not state.can_take(run[-1]) and state.closed(last)
    state.untake(run[0])
    assert not state.closed(last) and state.can_take(run[-1])


def _with_station(p: RosterProblem, code: str, legs: dict[tuple[str, str], Leg]) -> RosterProblem:
    """``p`` with one more home station, ``legs`` away from where it matters."""
    station = Location(code, code, LocationKind.STATION, -37.8, 144.9, city="GEE")
    places = {x.code: x for x in PLACES} | {code: station}
    return replace(p, travel=TravelMatrix(places, LEGS | legs))


def _unplanned(p: RosterProblem) -> TransportPlan:
    """A plan that sends no one anywhere but tells the stations apart: the fallback order decides."""
    stations = sorted({x.home_station for x in p.staff})
    return TransportPlan(0.0, {x.service_number: stations.index(x.home_station) for x in p.staff}, {})


def _days_worked(p: RosterProblem, plan: TransportPlan | None) -> dict[str, int]:
    worked: dict[str, int] = {}
    for a in greedy_roster(p, Candidates(p), plan):
        worked[a.service_number] = worked.get(a.service_number, 0) + 1
    return worked


def test_following_a_plan_the_nearest_commuters_take_the_work_before_those_further_away() -> None:
    p = problem(daily("GEE-KP", 4), [person("G1"), person("G2"), person("L1", home_station="STN-LAR")])
    p = _with_station(p, "STN-LAR", {("STN-LAR", "GEE-KP"): Leg(60, 40.0)})
    assert _days_worked(p, _unplanned(p)) == {"G1": 4}
    assert set(_days_worked(p, None)) == {"G1", "G2", "L1"}  # without a plan, work is spread


def test_following_a_plan_the_lodger_with_the_shorter_trip_home_is_sent_first() -> None:
    far = person("B1", home_station="STN-BAL")
    p = problem(daily("MIL-SG", 2), [far, person("G1")])
    trip = Leg(420, 560.0)
    p = _with_station(p, "STN-BAL", {("STN-BAL", "MIL-SG"): trip, ("STN-BAL", "MIL"): trip})
    assert set(_days_worked(p, _unplanned(p))) == {"G1"}
    assert set(_days_worked(p, None)) == {"B1"}  # without a plan, the register's order
