"""Handing shifts over: a colleague free that day takes a shift when the roster is cheaper for it,
the rules kept (checked by the validator) and what people asked for respected."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import time, timedelta
from math import inf

from deployer.domain.locations import Leg, Location, LocationKind, TravelMatrix
from deployer.domain.operations import DemandLine, ShiftTemplate
from deployer.domain.problem import ObjectiveWeights, RosterProblem
from deployer.domain.requests import RequestKind, StaffRequest
from deployer.domain.roster import Assignment
from deployer.domain.scoring import score
from deployer.domain.staff import EmploymentLimits, Qualification
from deployer.domain.validator import hard_breaches, validate
from deployer.solver.candidates import Candidates
from deployer.solver.handover import hand_over
from tests.builders import DAY, FIRST_DAY, LEGS, NIGHT, PLACES, daily, on, person, problem, shift, skill_line


def _priced(p: RosterProblem, legs: dict[tuple[str, str], Leg] | None = None) -> RosterProblem:
    """``p`` with the default objective (travel, fatigue, lodging, overtime, fairness), and a
    station at Lara an hour from one Geelong venue (and as ``legs`` say)."""
    lara = Location("STN-LAR", "Lara", LocationKind.STATION, -38.02, 144.41, city="GEE")
    places = {x.code: x for x in PLACES} | {"STN-LAR": lara}
    travel = TravelMatrix(places, LEGS | {("STN-LAR", "GEE-KP"): Leg(60, 40.0)} | (legs or {}))
    return replace(p, weights=ObjectiveWeights(), travel=travel)


def _handed(p: RosterProblem, roster: list[Assignment]) -> list[Assignment]:
    out = hand_over(p, Candidates(p, people=[]), roster, inf)
    assert not hard_breaches(validate(p, out))
    assert score(p, out).total < score(p, roster).total
    return out


def _shifts_of(roster: list[Assignment]) -> Counter[str]:
    return Counter(a.service_number for a in roster)


def test_overtime_is_shared_with_a_colleague_under_their_hours() -> None:
    shifts = daily("GEE-KP", 4)
    p = _priced(problem(shifts, [person("1"), person("2")]))
    out = _handed(p, on(shifts, "1", 0, 1, 2, 3))
    assert _shifts_of(out) == {"1": 2, "2": 2}  # four days' contract covers two 8-hour shifts each
    assert score(p, out).terms["overtime"] == 0


def test_a_shift_goes_to_someone_who_lives_nearer() -> None:
    shifts = daily("GEE-KP", 1)
    p = _priced(problem(shifts, [person("L", home_station="STN-LAR"), person("G")]))
    out = _handed(p, on(shifts, "L", 0))
    assert _shifts_of(out) == {"G": 1}


def test_two_people_on_the_same_hours_swap_venues_when_each_lives_nearer_the_other_s() -> None:
    kp, wf = shift("GEE-KP", 0), shift("GEE-WF", 0)
    staff = [person("L", home_station="STN-LAR"), person("G")]
    p = _priced(problem([kp, wf], staff, days=7), {("STN-LAR", "GEE-WF"): Leg(10, 5.0)})
    out = _handed(p, [Assignment(kp.key, "L"), Assignment(wf.key, "G")])  # no one is free to take over
    assert sorted((a.shift_key, a.service_number) for a in out) == [(kp.key, "G"), (wf.key, "L")]


def test_a_swap_waits_for_everyone_in_it_to_keep_their_rules() -> None:
    # The swap would save travel again, but Geelong's commuter, back home at 20:45 from the
    # day before, would leave for Kardinia Park (now 50 minutes away) before 10 hours of rest.
    late = shift("GEE-WF", 0, ShiftTemplate("X", time(12, 30), 8 * 60))
    kp, wf = shift("GEE-KP", 1), shift("GEE-WF", 1)
    staff = [person("L", home_station="STN-LAR"), person("G")]
    legs = {("STN-LAR", "GEE-WF"): Leg(10, 5.0), ("STN-GEE", "GEE-KP"): Leg(50, 30.0)}
    p = _priced(problem([late, kp, wf], staff, days=7), legs)
    p = replace(p, requests=(StaffRequest("L", RequestKind.DAY_OFF, day=FIRST_DAY, weight=1),))
    roster = [Assignment(late.key, "G"), Assignment(kp.key, "L"), Assignment(wf.key, "G")]
    assert not hard_breaches(validate(p, roster))
    assert hand_over(p, Candidates(p, people=[]), roster, inf) is roster


def test_a_deployment_is_shortened_from_its_ends_to_nothing_when_a_local_is_free() -> None:
    shifts = daily("MIL-SG", 2)
    p = _priced(problem(shifts, [person("G"), person("M", home_station="STN-MIL")], days=7))  # no overtime
    out = _handed(p, on(shifts, "G", 0, 1))
    assert _shifts_of(out) == {"M": 2}
    assert score(p, out).terms["lodging"] == 0


def test_a_deployment_runs_on_a_day_instead_of_someone_lodged_for_that_day_alone() -> None:
    shifts = daily("GEE-KP", 4)
    staff = [person("L", home_station="STN-MIL"), person("M", home_station="STN-MIL")]
    p = _priced(problem(shifts, staff, days=7))
    out = _handed(p, on(shifts, "L", 0, 1, 2) + on(shifts, "M", 3))
    assert _shifts_of(out) == {"L": 4}


def test_a_deployment_does_not_run_on_into_a_day_asked_off() -> None:
    shifts = daily("GEE-KP", 4)
    staff = [person("L", home_station="STN-MIL"), person("M", home_station="STN-MIL")]
    asked = StaffRequest("L", RequestKind.DAY_OFF, day=FIRST_DAY + timedelta(days=3), weight=1)
    p = replace(_priced(problem(shifts, staff, days=7)), requests=(asked,))
    roster = on(shifts, "L", 0, 1, 2) + on(shifts, "M", 3)
    assert hand_over(p, Candidates(p, people=[]), roster, inf) is roster


def test_a_deployment_as_long_as_the_rules_allow_runs_on_no_further() -> None:
    shifts = daily("GEE-KP", 6)
    staff = [person("L", home_station="STN-MIL"), person("M", home_station="STN-MIL")]
    p = _priced(problem(shifts, staff, days=14))  # no overtime: M would save L nothing
    roster = on(shifts, "L", 0, 1, 2, 3, 4) + on(shifts, "M", 5)  # L's travel days make a run of 7
    assert not hard_breaches(validate(p, roster))
    assert hand_over(p, Candidates(p, people=[]), roster, inf) is roster


def test_no_one_takes_a_shift_they_asked_off() -> None:
    shifts = daily("GEE-KP", 1)
    p = _priced(problem(shifts, [person("L", home_station="STN-LAR"), person("G")]))
    p = replace(p, requests=(StaffRequest("G", RequestKind.DAY_OFF, day=FIRST_DAY),))
    roster = on(shifts, "L", 0)
    assert hand_over(p, Candidates(p, people=[]), roster, inf) is roster


def test_nothing_is_handed_over_where_a_minimum_of_hours_applies() -> None:
    shifts = daily("GEE-KP", 4)
    minimum = EmploymentLimits(min_total_minutes=8 * 60)
    p = _priced(problem(shifts, [person("1"), person("2", limits=minimum)]))
    roster = on(shifts, "1", 0, 1, 2, 3)
    assert hand_over(p, Candidates(p, people=[]), roster, inf) is roster


def test_an_unfilled_place_goes_to_someone_free_that_day() -> None:
    shifts = daily("GEE-KP", 2)
    p = _priced(problem(shifts, [person("1"), person("2")], days=7))
    out = _handed(p, on(shifts, "1", 0))
    assert sorted(a.shift_key for a in out) == sorted(s.key for s in shifts)
    assert score(p, out).terms["unfilled"] == 0


def test_someone_is_lodged_for_an_unfilled_place_only_when_that_costs_less() -> None:
    # Lodging the Geelong person in Mildura for a day: two nights, the trip, the shift (~130 points).
    p = _priced(problem(daily("MIL-SG", 1), [person("G")], days=7))
    assert _shifts_of(_handed(p, [])) == {"G": 1}
    cheap = replace(p, weights=replace(p.weights, unfilled=100))
    assert hand_over(cheap, Candidates(cheap, people=[]), [], inf) == []


def test_someone_with_a_scarce_skill_moves_to_its_place_and_a_colleague_takes_theirs() -> None:
    po = (Qualification("PO", 1, FIRST_DAY + timedelta(days=365)),)
    both = shift("GEE-KP", 0, DAY, skill_line(1, "PO"), DemandLine(1))
    p = _priced(problem([both], [person("P", qualifications=po), person("Q")], days=7))
    out = _handed(p, [Assignment(both.key, "P", 1)])  # the public-order place is left unfilled
    assert sorted((a.service_number, a.line) for a in out) == [("P", 0), ("Q", 1)]


def test_someone_barred_from_a_scarce_place_by_the_night_before_hands_that_night_on() -> None:
    po = (Qualification("PO", 1, FIRST_DAY + timedelta(days=365)),)
    night = shift("GEE-WF", 0, NIGHT)
    place = shift("GEE-KP", 1, DAY, skill_line(1, "PO"))
    p = _priced(problem([night, place], [person("P", qualifications=po), person("Q")], days=7))
    out = _handed(p, [Assignment(night.key, "P")])  # the night leaves P no rest before the place
    assert {(a.shift_key, a.service_number) for a in out} == {(night.key, "Q"), (place.key, "P")}


def test_a_scarce_skill_moves_to_its_place_and_its_own_goes_to_someone_the_night_before_barred() -> None:
    po = (Qualification("PO", 1, FIRST_DAY + timedelta(days=365)),)
    night = shift("GEE-WF", 0, NIGHT)
    both = shift("GEE-KP", 1, DAY, skill_line(1, "PO"), DemandLine(1))
    staff = [person("P", qualifications=po), person("Q"), person("R")]
    asked = StaffRequest("R", RequestKind.DAY_OFF, day=FIRST_DAY + timedelta(days=1), weight=1)
    p = replace(_priced(problem([night, both], staff, days=7)), requests=(asked,))
    out = _handed(p, [Assignment(both.key, "P", 1), Assignment(night.key, "Q")])
    assert {(a.shift_key, a.service_number, a.line) for a in out} == {
        (night.key, "R", 0),
        (both.key, "P", 0),
        (both.key, "Q", 1),
    }


def test_someone_on_a_shift_it_cannot_read_is_left_alone() -> None:
    # "1" holds a public-order place without the skill (an unchecked roster): the pass leaves
    # that shift where it is and gives "1" nothing more the same day.
    po_place = shift("GEE-KP", 0, DAY, skill_line(1, "PO"))
    other = shift("GEE-WF", 0, DAY)
    p = _priced(problem([po_place, other], [person("1")], days=7))
    roster = [Assignment(po_place.key, "1")]
    assert hand_over(p, Candidates(p, people=[]), roster, inf) is roster
