"""Fatigue policy: defaults from practice, night detection, rest after long shifts, round trip."""

from datetime import date

import pytest

from deployer.domain.errors import DomainError
from deployer.domain.policy import FatiguePolicy
from tests.conftest import local

DAY = date(2027, 3, 10)


def test_defaults_follow_published_practice() -> None:
    policy = FatiguePolicy()
    assert policy.max_shift_minutes == 720
    assert policy.max_duty_minutes == 840
    assert policy.min_rest_minutes == 600
    assert policy.max_consecutive_days == 7
    assert policy.max_minutes_per_7_days == 3600


def test_night_shift_counts_only_minutes_inside_the_night_window() -> None:
    policy = FatiguePolicy()
    assert policy.night_minutes(local(DAY, 23), local(date(2027, 3, 11), 7)) == 360
    assert policy.night_minutes(local(DAY, 15), local(DAY, 23)) == 0
    assert policy.night_minutes(local(DAY, 4), local(DAY, 12)) == 120
    assert policy.is_night(local(DAY, 23), local(date(2027, 3, 11), 7))
    assert not policy.is_night(local(DAY, 4), local(DAY, 12))


def test_longer_rest_follows_a_long_shift() -> None:
    policy = FatiguePolicy()
    assert policy.rest_required_after(8 * 60) == 600
    assert policy.rest_required_after(12 * 60) == 720


def test_negative_limit_is_refused_with_its_name() -> None:
    with pytest.raises(DomainError, match="min rest minutes is negative"):
        FatiguePolicy(min_rest_minutes=-1)


def test_unknown_soft_rule_is_refused() -> None:
    with pytest.raises(DomainError, match="soft rules"):
        FatiguePolicy(soft_rules=frozenset({"no_such_rule"}))


def test_policy_survives_a_round_trip_through_plain_data() -> None:
    policy = FatiguePolicy(
        name="Flood",
        max_consecutive_nights=3,
        forbidden_successions=(("N", "D"),),
        soft_rules=frozenset({"weekends"}),
    )
    assert FatiguePolicy.from_dict(policy.to_dict()) == policy


def test_unknown_policy_field_is_refused() -> None:
    with pytest.raises(DomainError, match="not understood"):
        FatiguePolicy.from_dict({"name": "x", "max_sleep": 3})
