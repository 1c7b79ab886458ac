"""Operations, shifts and demand: real datetimes, nights across midnight, DST, bad input."""

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from deployer.domain.errors import DomainError
from deployer.domain.operations import (
    DemandLine,
    Operation,
    OperationKind,
    Shift,
    ShiftTemplate,
    SkillNeed,
)
from tests.conftest import local

TZ = ZoneInfo("Australia/Melbourne")


def test_night_template_ends_next_morning() -> None:
    start, end = ShiftTemplate("N", time(23), 8 * 60).on(date(2027, 3, 10), TZ)
    assert (start.day, start.hour, end.day, end.hour) == (10, 23, 11, 7)


def test_shift_length_is_real_time_across_the_end_of_daylight_saving() -> None:
    # Clocks go back from 03:00 to 02:00 on Sunday 4 April 2027 in Melbourne.
    start, end = ShiftTemplate("N", time(23), 8 * 60).on(date(2027, 4, 3), TZ)
    shift = Shift("n", "GEE-KP", start, end)
    assert shift.minutes == 480
    assert end.hour == 6  # eight real hours end at 06:00 local, not 07:00


def test_shift_that_ends_before_it_starts_is_refused_naming_the_shift() -> None:
    with pytest.raises(DomainError, match="shift GEE/1: end"):
        Shift("GEE/1", "GEE-KP", local(date(2027, 3, 10), 15), local(date(2027, 3, 10), 7))


def test_shift_without_time_zone_is_refused() -> None:
    from datetime import datetime

    with pytest.raises(DomainError, match="time zone"):
        Shift("x", "GEE-KP", datetime(2027, 3, 10, 7), datetime(2027, 3, 10, 15))


def test_negative_demand_is_refused() -> None:
    with pytest.raises(DomainError, match="demand line 1 count is negative"):
        Shift(
            "x", "GEE-KP", local(date(2027, 3, 10), 7), local(date(2027, 3, 10), 15), demand=(DemandLine(-2),)
        )


def test_demand_line_reads_like_a_planner_writes_it() -> None:
    line = DemandLine(3, "SGT", frozenset({SkillNeed("PO", 2), SkillNeed("FA")}))
    assert line.describe() == "3 x SGT with FA, PO (level 2)"


def _op(**changes) -> Operation:  # type: ignore[no-untyped-def]
    values = dict(
        name="Flood",
        kind=OperationKind.EMERGENCY,
        first_day=date(2027, 3, 8),
        last_day=date(2027, 3, 14),
        cities=("GEE",),
        sites=("GEE-KP",),
    )
    values.update(changes)
    return Operation(**values)


def test_operation_days_cover_the_whole_range() -> None:
    assert len(_op().days) == 7


def test_operation_refuses_a_shift_at_a_site_it_does_not_have() -> None:
    shift = Shift("x", "BAL-MS", local(date(2027, 3, 9), 7), local(date(2027, 3, 9), 15))
    with pytest.raises(DomainError, match="not one of the operation's sites"):
        _op(shifts=(shift,))


def test_operation_refuses_a_shift_outside_its_dates() -> None:
    shift = Shift("x", "GEE-KP", local(date(2027, 3, 20), 7), local(date(2027, 3, 20), 15))
    with pytest.raises(DomainError, match="outside"):
        _op(shifts=(shift,))


def test_operation_refuses_duplicate_shift_keys() -> None:
    shift = Shift("x", "GEE-KP", local(date(2027, 3, 9), 7), local(date(2027, 3, 9), 15))
    with pytest.raises(DomainError, match="appears twice"):
        _op(shifts=(shift, shift))


def test_operation_refuses_last_day_before_first() -> None:
    with pytest.raises(DomainError, match="last day"):
        _op(last_day=date(2027, 3, 1))
