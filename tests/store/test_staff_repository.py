"""Staff register storage on SQLite and PostgreSQL: round trips and all-or-nothing errors."""

from __future__ import annotations

from datetime import date

import pytest

from deployer.domain.errors import DomainError
from deployer.domain.requests import RequestKind, StaffRequest
from deployer.domain.staff import Absence, AbsenceKind, EmploymentLimits, Qualification, StaffMember
from deployer.store.database import Database


def member(number: str, **changes) -> StaffMember:  # type: ignore[no-untyped-def]
    values = dict(
        service_number=number,
        given_name="Ana",
        family_name="Nguyen",
        rank="SGT",
        agency="VICPOL",
        home_station="STN-GEE",
        qualifications=(Qualification("GD"), Qualification("PO", 2, date(2027, 6, 30))),
        absences=(Absence(date(2027, 3, 10), date(2027, 3, 12), AbsenceKind.LEAVE, "annual"),),
        limits=EmploymentLimits(
            contracted_minutes_per_week=1440,
            max_minutes_per_week=1920,
            max_shifts_by_label=(("N", 3), ("D", 10)),
        ),
    )
    values.update(changes)
    return StaffMember(**values)


def test_staff_round_trip_keeps_every_field(stocked: Database) -> None:
    original = member("31245")
    with stocked.unit_of_work() as uow:
        uow.staff.add_many([original, member("31246", rank="CONST", qualifications=())])
    with stocked.unit_of_work() as uow:
        assert uow.staff.get("31245") == original
        assert [m.service_number for m in uow.staff.all()] == ["31245", "31246"]
        assert uow.staff.count() == 2


def test_duplicate_service_number_imports_nothing(stocked: Database) -> None:
    with stocked.unit_of_work() as uow:
        uow.staff.add_many([member("1")])
    with pytest.raises(DomainError, match="staff 1: service number already exists"):
        with stocked.unit_of_work() as uow:
            uow.staff.add_many([member("2"), member("1")])
    with stocked.unit_of_work() as uow:
        assert [m.service_number for m in uow.staff.all()] == ["1"]


def test_unknown_skill_names_person_and_field_and_rolls_back(stocked: Database) -> None:
    bad = member("9", qualifications=(Qualification("BOAT"),))
    with pytest.raises(DomainError, match="staff 9: skill 'BOAT' is not in the skills catalogue"):
        with stocked.unit_of_work() as uow:
            uow.staff.add_many([member("8")])
            uow.staff.save(bad)
    with stocked.unit_of_work() as uow:
        assert uow.staff.count() == 0


def test_unknown_station_is_named(stocked: Database) -> None:
    with pytest.raises(DomainError, match="home station 'STN-X' is not a known location"):
        with stocked.unit_of_work() as uow:
            uow.staff.add_many([member("5", home_station="STN-X")])


def test_save_updates_by_service_number_and_replaces_skills(stocked: Database) -> None:
    with stocked.unit_of_work() as uow:
        uow.staff.add_many([member("7")])
    changed = member(
        "7", rank="CONST", qualifications=(Qualification("FA", 1, date(2028, 1, 1)),), absences=()
    )
    with stocked.unit_of_work() as uow:
        uow.staff.save(changed)
    with stocked.unit_of_work() as uow:
        assert uow.staff.get("7") == changed
        assert uow.staff.count() == 1


def test_remove_deletes_person_with_their_skills(stocked: Database) -> None:
    with stocked.unit_of_work() as uow:
        uow.staff.add_many([member("7"), member("8")])
    with stocked.unit_of_work() as uow:
        uow.staff.remove("7")
    with stocked.unit_of_work() as uow:
        assert uow.staff.get("7") is None
        assert uow.staff.get("8") == member("8")


def test_requests_round_trip(stocked: Database) -> None:
    requests = [
        StaffRequest("7", RequestKind.DAY_OFF, day=date(2027, 3, 9), weight=3),
        StaffRequest("7", RequestKind.CITY, city="BAL"),
    ]
    with stocked.unit_of_work() as uow:
        uow.staff.add_many([member("7")])
        uow.staff.add_requests(requests)
    with stocked.unit_of_work() as uow:
        assert uow.staff.requests() == requests
