"""Plans and requests check themselves."""

from datetime import date

import pytest

from deployer.domain.errors import DomainError
from deployer.domain.requests import RequestKind, StaffRequest
from deployer.domain.roster import Assignment, Plan


def test_plan_refuses_the_same_person_twice_on_one_shift() -> None:
    a = Assignment("GEE-KP/2027-03-10/D", "31245")
    with pytest.raises(DomainError, match="appears twice"):
        Plan("Games", 1, (a, a))


def test_plan_version_starts_at_one() -> None:
    with pytest.raises(DomainError, match="version"):
        Plan("Games", 0)


def test_shift_request_needs_a_shift() -> None:
    with pytest.raises(DomainError, match="shift is required"):
        StaffRequest("31245", RequestKind.SHIFT_OFF, day=date(2027, 3, 10))


def test_city_preference_needs_a_city() -> None:
    with pytest.raises(DomainError, match="city is required"):
        StaffRequest("31245", RequestKind.CITY)
