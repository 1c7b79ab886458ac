"""The validator: one test per breach kind, on rosters built by hand to break exactly that rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

from deployer.domain.operations import DemandLine, ShiftTemplate
from deployer.domain.roster import Assignment
from deployer.domain.staff import Absence, EmploymentLimits, Qualification
from deployer.domain.validator import hard_breaches, validate
from tests.builders import DAY, EVENING, NIGHT, daily, on, person, problem, shift, skill_line


def rules(breaches) -> set[str]:  # type: ignore[no-untyped-def]
    return {b.rule for b in breaches}


def test_a_roster_that_keeps_every_rule_has_no_breach() -> None:
    shifts = daily("GEE-KP", 5)
    p = problem(shifts, [person("1")])
    assert validate(p, on(shifts, "1", 0, 1, 2, 3, 4)) == []


def test_unfilled_demand_is_a_shortfall_with_the_number_missing() -> None:
    shifts = [shift("GEE-KP", 0, DAY, DemandLine(3))]
    breaches = validate(problem(shifts, [person("1")]), on(shifts, "1", 0))
    assert [(b.rule, b.amount, b.is_shortfall) for b in breaches] == [("coverage", 2, True)]
    assert "has 1 of 3" in breaches[0].message
    assert hard_breaches(breaches) == []


def test_unknown_person_and_shift_are_reported() -> None:
    shifts = daily("GEE-KP", 1)
    breaches = validate(
        problem(shifts, [person("1")]), [Assignment("nope", "1"), Assignment(shifts[0].key, "9")]
    )
    assert [b.rule for b in breaches if b.rule != "coverage"] == ["unknown", "unknown"]


def test_missing_skill_rank_and_agency_are_named() -> None:
    shifts = [
        shift("GEE-KP", 0, DAY, replace(skill_line(1, "PO", min_rank="SGT"), agencies=frozenset({"VICSES"})))
    ]
    breaches = validate(problem(shifts, [person("1")]), on(shifts, "1", 0))
    (b,) = hard_breaches(breaches)
    assert b.rule == "qualification"
    assert "agency VICPOL is not one of VICSES" in b.message
    assert "rank CONST does not meet the minimum SGT" in b.message
    assert "lacks skill PO" in b.message


def test_expired_certification_is_a_breach_after_expiry_only() -> None:
    shifts = [shift("GEE-KP", d, DAY, skill_line(1, "PO")) for d in (0, 1)]
    holder = person("1", qualifications=(Qualification("PO", 1, shifts[0].day),))
    breaches = hard_breaches(validate(problem(shifts, [holder]), on(shifts, "1", 0, 1)))
    assert [(b.rule, b.day) for b in breaches] == [("qualification", shifts[1].day)]
    assert f"PO expired on {shifts[0].day}" in breaches[0].message


def test_leave_is_a_breach() -> None:
    shifts = daily("GEE-KP", 2)
    on_leave = person("1", absences=(Absence(shifts[1].day, shifts[1].day),))
    breaches = hard_breaches(validate(problem(shifts, [on_leave]), on(shifts, "1", 0, 1)))
    assert rules(breaches) == {"availability"}


def test_night_shift_into_a_leave_day_is_a_breach() -> None:
    shifts = [shift("GEE-KP", 0, NIGHT)]
    on_leave = person("1", absences=(Absence(date(2027, 3, 9), date(2027, 3, 9)),))
    assert rules(hard_breaches(validate(problem(shifts, [on_leave]), on(shifts, "1", 0)))) == {"availability"}


def test_leave_from_long_before_the_roster_is_a_breach_on_its_last_day_only() -> None:
    shifts = daily("GEE-KP", 3)
    long_leave = Absence(shifts[0].day - timedelta(days=400), shifts[1].day)
    breaches = hard_breaches(
        validate(problem(shifts, [person("1", absences=(long_leave,))]), on(shifts, "1", 1, 2))
    )
    assert [(b.rule, b.day) for b in breaches] == [("availability", shifts[1].day)]


def test_site_out_of_reach_for_someone_who_cannot_deploy() -> None:
    shifts = daily("MIL-SG", 1)
    homebound = person("1", limits=EmploymentLimits(can_deploy_away=False))
    assert rules(hard_breaches(validate(problem(shifts, [homebound]), on(shifts, "1", 0)))) == {"reach"}


def test_two_shifts_on_one_day_and_overlap() -> None:
    shifts = [shift("GEE-KP", 0, DAY), shift("GEE-WF", 0, ShiftTemplate("X", time(12), 480))]
    found = rules(hard_breaches(validate(problem(shifts, [person("1")]), on(shifts, "1", 0, 1))))
    assert found == {"one_shift_per_day", "double_booking"}


def test_overstaffing_without_a_price_is_a_breach() -> None:
    shifts = daily("GEE-KP", 1)
    p = problem(shifts, [person("1"), person("2")])
    assert rules(validate(p, on(shifts, "1", 0) + on(shifts, "2", 0))) == {"overstaffing"}


def test_short_rest_names_both_shifts_and_the_hours() -> None:
    shifts = [shift("GEE-KP", 0, EVENING), shift("GEE-KP", 1, DAY)]
    (b,) = validate(problem(shifts, [person("1")]), on(shifts, "1", 0, 1))
    assert b.rule == "rest_between_shifts"
    # 23:00 + 15 min home, leave 06:45: 7 h 30 min against 10 h
    assert "rests 7 h 30 min between Mon 08 Mar 15:00 Kardinia Park and Tue 09 Mar 07:00" in b.message
    assert "policy minimum 10 h" in b.message
    assert b.amount == 150


def test_long_shift_and_long_duty() -> None:
    shifts = [shift("GEE-KP", 0, ShiftTemplate("L", time(6), 13 * 60))]
    found = rules(validate(problem(shifts, [person("1")], max_duty_minutes=13 * 60), on(shifts, "1", 0)))
    assert found == {"shift_length", "duty_length"}


def test_eight_days_in_a_row() -> None:
    shifts = daily("GEE-KP", 8)
    (b,) = validate(problem(shifts, [person("1")]), on(shifts, "1", *range(8)))
    assert (b.rule, b.amount) == ("consecutive_days", 1)


def test_five_nights_in_a_row() -> None:
    shifts = daily("GEE-KP", 5, NIGHT)
    (b,) = validate(problem(shifts, [person("1")]), on(shifts, "1", *range(5)))
    assert (b.rule, b.amount) == ("consecutive_nights", 1)


def test_hours_in_seven_days() -> None:
    shifts = daily("GEE-KP", 6)
    (b,) = validate(
        problem(shifts, [person("1")], max_minutes_per_7_days=40 * 60), on(shifts, "1", *range(6))
    )
    assert (b.rule, b.amount) == ("hours_per_7_days", 8 * 60)
    assert "works 48 h in the 7 days" in b.message


def test_part_timer_weekly_cap_is_tighter_than_the_policy() -> None:
    shifts = daily("GEE-KP", 5)
    part_timer = person("1", limits=EmploymentLimits(max_minutes_per_week=32 * 60))
    (b,) = validate(problem(shifts, [part_timer]), on(shifts, "1", *range(5)))
    assert (b.rule, b.amount) == ("hours_per_7_days", 8 * 60)


def test_hours_in_fourteen_days() -> None:
    shifts = daily("GEE-KP", 12)
    worked = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11]
    p = problem(shifts, [person("1")], max_minutes_per_14_days=80 * 60)
    (b,) = [b for b in validate(p, on(shifts, "1", *worked)) if not b.is_shortfall]
    assert (b.rule, b.amount) == ("hours_per_14_days", 8 * 60)


def test_night_minutes_count_on_each_side_of_midnight() -> None:
    # Six nights of 8 h: 48 h, but the window Tue-Mon holds 1 h + 5 x 8 h + 7 h ... checked by a limit of 47 h
    shifts = daily("GEE-KP", 6, NIGHT)
    breaches = validate(
        problem(shifts, [person("1")], max_consecutive_nights=7, max_minutes_per_7_days=47 * 60),
        on(shifts, "1", *range(6)),
    )
    assert rules(breaches) == {"hours_per_7_days"}


def test_deployment_longer_than_the_policy() -> None:
    shifts = daily("MIL-SG", 4)
    (b,) = validate(problem(shifts, [person("1")], max_deployment_days=3), on(shifts, "1", 0, 1, 2, 3))
    assert (b.rule, b.amount) == ("deployment_length", 1)
    assert "deployed to MIL for 4 days" in b.message


def test_no_shift_on_the_travel_day_into_a_deployment() -> None:
    shifts = [shift("GEE-KP", 0), shift("MIL-SG", 1)]
    breaches = validate(problem(shifts, [person("1")], min_rest_minutes=0), on(shifts, "1", 0, 1))
    assert rules(breaches) == {"travel_days"}


def test_moving_between_cities_is_travel_not_rest() -> None:
    shifts = [shift("GEE-KP", 0, EVENING), shift("MIL-SG", 2)]
    breaches = validate(problem(shifts, [person("1")], min_rest_minutes=26 * 60), on(shifts, "1", 0, 1))
    # home at 23:15, out of the Mildura lodging at 06:50 two days later: 31 h 35 min less 6 h travel
    assert "rests 25 h 35 min" in next(b.message for b in breaches if b.rule == "rest_between_shifts")


def test_rest_days_after_a_deployment() -> None:
    shifts = [shift("MIL-SG", 0), shift("MIL-SG", 1), shift("GEE-KP", 3)]
    (b,) = validate(problem(shifts, [person("1")]), on(shifts, "1", 0, 1, 2))
    assert b.rule == "rest_after_deployment"


def test_forbidden_succession_by_label() -> None:
    shifts = [shift("GEE-KP", 0, EVENING), shift("GEE-KP", 1, DAY)]
    p = problem(shifts, [person("1")], min_rest_minutes=0, forbidden_successions=(("A", "D"),))
    assert rules(validate(p, on(shifts, "1", 0, 1))) == {"forbidden_succession"}


def test_minimum_run_of_work_and_of_days_off() -> None:
    shifts = daily("GEE-KP", 6)
    p = problem(shifts, [person("1")], min_consecutive_days=2, min_consecutive_days_off=2)
    breaches = [b for b in validate(p, on(shifts, "1", 1, 3, 4)) if not b.is_shortfall]
    assert sorted(b.rule for b in breaches) == ["min_consecutive_days", "min_consecutive_days_off"]


def test_runs_touching_the_horizon_edges_are_exempt_from_minimums() -> None:
    shifts = daily("GEE-KP", 4)
    p = problem(shifts, [person("1")], min_consecutive_days=2)
    assert hard_breaches(validate(p, on(shifts, "1", 0, 3))) == []


def test_weekends_limit() -> None:
    shifts = daily("GEE-KP", 14)
    p = problem(shifts, [person("1")], max_weekends=1)
    (b,) = [b for b in validate(p, on(shifts, "1", 5, 13)) if not b.is_shortfall]
    assert (b.rule, b.amount) == ("weekends", 1)


def test_person_limits_by_label_total_and_minutes() -> None:
    shifts = daily("GEE-KP", 3)
    limited = person(
        "1",
        limits=EmploymentLimits(
            max_shifts=2, max_shifts_by_label=(("D", 1),), max_total_minutes=600, min_total_minutes=0
        ),
    )
    breaches = validate(problem(shifts, [limited]), on(shifts, "1", 0, 1, 2))
    assert sorted(b.rule for b in breaches) == ["max_shifts", "max_shifts", "total_minutes"]
    short = person("2", limits=EmploymentLimits(min_total_minutes=1000))
    assert rules(validate(problem(shifts, [short]), on(shifts, "2", 0, 1, 2))) == set()
    assert rules(validate(problem(shifts, [short]), on(shifts, "2", 0))) == {"total_minutes", "coverage"}


def test_rules_marked_soft_are_flagged_soft() -> None:
    shifts = daily("GEE-KP", 8)
    p = problem(shifts, [person("1")], soft_rules=frozenset({"consecutive_days"}))
    (b,) = validate(p, on(shifts, "1", *range(8)))
    assert b.soft and hard_breaches([b]) == []


def test_history_before_the_horizon_counts_for_rest() -> None:
    before = shift("GEE-KP", -1, EVENING)
    shifts = daily("GEE-KP", 1)
    p = replace(
        problem(shifts, [person("1")]), history=(Assignment(before.key, "1"),), history_shifts=(before,)
    )
    assert rules(validate(p, on(shifts, "1", 0))) == {"rest_between_shifts"}


def test_a_minimum_of_hours_is_a_breach_even_with_no_shift() -> None:
    shifts = daily("GEE-KP", 2)
    keen = person("1", limits=EmploymentLimits(min_total_minutes=8 * 60))
    breaches = validate(problem(shifts, [keen, person("2")]), on(shifts, "2", 0, 1))
    assert [(b.rule, b.service_number) for b in breaches] == [("total_minutes", "1")]


def test_travel_days_count_as_days_of_duty_in_a_run() -> None:
    shifts = daily("MIL-SG", 7)
    # the travel day before the horizon belongs to the previous roster; the one after counts: 7 + 1
    breaches = validate(problem(shifts, [person("1")], days=9), on(shifts, "1", *range(7)))
    (b,) = [b for b in breaches if b.rule == "consecutive_days"]
    assert "works 8 days in a row (travel days included)" in b.message
