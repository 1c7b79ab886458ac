"""A person's timeline: each shift with travel there and back, and the rest between shifts."""

from __future__ import annotations

from deployer.domain.roster import Assignment
from deployer.domain.rules import hours_text, reach, rest_minutes
from deployer.domain.timeline import Stretch, person_timeline
from deployer.services import demo


def test_two_shifts_give_travel_each_way_and_the_rest_between() -> None:
    problem = demo.build(demo.DemoSize(staff=30, days=3, cities=2, sites=2, seed=5)).problem()
    person = problem.staff[0]
    first, second = (
        next(s for s in problem.operation.shifts if s.label == "D" and s.day == day)
        for day in problem.operation.days[:2]
    )
    roster = [Assignment(first.key, person.service_number), Assignment(second.key, person.service_number)]
    items = person_timeline(problem, roster, person.service_number)
    shifts = [i for i in items if i.kind == Stretch.SHIFT]
    assert [(i.start, i.end) for i in shifts] == [(first.start, first.end), (second.start, second.end)]
    places, policy = problem.travel.locations, problem.operation.policy
    way = reach(person, places[first.site], problem.travel, policy)
    later = reach(person, places[second.site], problem.travel, policy)
    travel = [i for i in items if i.kind == Stretch.TRAVEL]
    assert len(travel) == (2 if way.minutes else 0) + (2 if later.minutes else 0)
    rest = [i for i in items if i.kind in (Stretch.REST, Stretch.LODGING)]
    assert len(rest) == 1
    assert rest[0].text.startswith(
        f"rest {hours_text(rest_minutes(first, way, second, later, problem.travel))}"
    )
    assert (rest[0].kind == Stretch.LODGING) == (way.lodged and later.lodged and way.base == later.base)


def test_someone_else_s_shifts_are_not_in_the_timeline() -> None:
    problem = demo.build(demo.DemoSize(staff=30, days=2, cities=1, sites=1, seed=2)).problem()
    a, b = problem.staff[0].service_number, problem.staff[1].service_number
    roster = [Assignment(problem.operation.shifts[0].key, b)]
    assert person_timeline(problem, roster, a) == []
