"""Staff members: qualifications with expiry, absences, limits, and clear errors."""

from datetime import date

import pytest

from deployer.domain.errors import DomainError
from deployer.domain.staff import Absence, EmploymentLimits, Qualification, StaffMember


def person(**changes) -> StaffMember:  # type: ignore[no-untyped-def]
    values = dict(
        service_number="31245",
        given_name="Ana",
        family_name="Nguyen",
        rank="SGT",
        agency="VICPOL",
        home_station="STN-GEE",
    )
    values.update(changes)
    return StaffMember(**values)


def test_expired_certification_gives_no_skill_level_after_expiry() -> None:
    p = person(qualifications=(Qualification("FA", 2, date(2027, 3, 10)),))
    assert p.skill_level("FA", date(2027, 3, 10)) == 2
    assert p.skill_level("FA", date(2027, 3, 11)) == 0
    assert p.skill_level("PO", date(2027, 3, 1)) == 0


def test_absence_blocks_its_days_inclusive() -> None:
    p = person(absences=(Absence(date(2027, 3, 10), date(2027, 3, 12)),))
    assert p.available_on(date(2027, 3, 9))
    assert not p.available_on(date(2027, 3, 10))
    assert not p.available_on(date(2027, 3, 12))
    assert p.available_on(date(2027, 3, 13))


def test_absence_ending_before_it_starts_names_person_and_field() -> None:
    with pytest.raises(DomainError, match="staff 31245: leave from 2027-03-12 ends"):
        person(absences=(Absence(date(2027, 3, 12), date(2027, 3, 10)),))


def test_skill_listed_twice_is_refused() -> None:
    with pytest.raises(DomainError, match="skill FA is listed twice"):
        person(qualifications=(Qualification("FA"), Qualification("FA")))


def test_empty_service_number_is_refused() -> None:
    with pytest.raises(DomainError, match="service number is empty"):
        person(service_number=" ")


def test_contradictory_limits_are_refused() -> None:
    with pytest.raises(DomainError, match="min total minutes is above the maximum"):
        person(limits=EmploymentLimits(min_total_minutes=600, max_total_minutes=300))


def test_name_is_family_name_first() -> None:
    assert person().name == "Nguyen, Ana"
