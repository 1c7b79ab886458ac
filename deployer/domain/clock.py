"""Time arithmetic that stays right across daylight-saving changes.

Python subtracts two datetimes that share a tzinfo by wall clock, so a night shift on the
night clocks go back would look an hour short. Everything here converts to UTC first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""A fixed moment to count real minutes from."""


def minutes_between(start: datetime, end: datetime) -> int:
    """Real elapsed minutes from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return int((end.astimezone(UTC) - start.astimezone(UTC)) / timedelta(minutes=1))


def add_minutes(moment: datetime, minutes: int) -> datetime:
    """``moment`` plus real elapsed minutes, returned in the time zone of ``moment``."""
    return (moment.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(moment.tzinfo)
