"""The rules a roster must follow, as plain functions shared by the validator and the solver.

Each function answers one question about a person and a shift (can they fill this line, how do
they get there, how tired does it make them, how many minutes fall on each day); the validator
checks a roster with them and the solver prunes and builds its model with them, so the two can
never disagree on what a rule means.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from deployer.domain.catalogue import Rank
from deployer.domain.clock import minutes_between
from deployer.domain.locations import Location, TravelMatrix
from deployer.domain.operations import DemandLine, Shift
from deployer.domain.policy import FatiguePolicy
from deployer.domain.staff import Absence, StaffMember


def personal(policy: FatiguePolicy, person: StaffMember, rule: str) -> int | None:
    """A limit for one person: their employment limit when set, else the policy's.

    ``rule`` is one of max_consecutive_days, min_consecutive_days, min_consecutive_days_off,
    max_weekends (attributes of both :class:`EmploymentLimits` and :class:`FatiguePolicy`).
    """
    own = getattr(person.limits, rule)
    return own if own is not None else getattr(policy, rule)


def qualification_gaps(person: StaffMember, line: DemandLine, day: date, ranks: dict[str, Rank]) -> list[str]:
    """Why ``person`` cannot fill ``line`` on ``day``, in planner words; empty when they can."""
    gaps = []
    if line.agencies and person.agency not in line.agencies:
        gaps.append(f"agency {person.agency} is not one of {'/'.join(sorted(line.agencies))}")
    if line.min_rank:
        held, needed = ranks.get(person.rank), ranks[line.min_rank]
        if held is None or not held.meets(needed):
            gaps.append(f"rank {person.rank} does not meet the minimum {line.min_rank}")
    for need in sorted(line.skills, key=lambda n: n.skill):
        held_q = next((q for q in person.qualifications if q.skill == need.skill), None)
        if held_q is None:
            gaps.append(f"lacks skill {need.skill}")
        elif not held_q.valid_on(day):
            gaps.append(f"{need.skill} expired on {held_q.expires}")
        elif held_q.level < need.min_level:
            gaps.append(f"{need.skill} level {held_q.level} is below the required {need.min_level}")
    return gaps


def shift_days(shift: Shift) -> list[date]:
    """Local dates the shift touches (a night from 23:00 to 07:00 touches two)."""
    last = (shift.end - timedelta(minutes=1)).date()
    count = (last - shift.start.date()).days + 1
    return [shift.start.date() + timedelta(days=i) for i in range(max(1, count))]


def blocking_absence(person: StaffMember, shift: Shift) -> Absence | None:
    """The absence that forbids ``shift`` for ``person`` (it covers a day the shift touches)."""
    for day in shift_days(shift):
        for absence in person.absences:
            if absence.covers(day):
                return absence
    return None


def minutes_by_day(shift: Shift) -> dict[date, int]:
    """Minutes of the shift falling on each local day: nights count on both sides of midnight."""
    out: dict[date, int] = {}
    tz = shift.start.tzinfo
    for day in shift_days(shift):
        day_start = datetime.combine(day, time(0), tzinfo=tz)
        day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        minutes = minutes_between(max(shift.start, day_start), min(shift.end, day_end))
        if minutes > 0:
            out[day] = minutes
    return out


@dataclass(frozen=True, slots=True)
class Reach:
    """How a person gets to a site: from home (commuting) or from lodging in the site's city."""

    base: str
    lodged: bool
    minutes: int
    km: float


def reach(person: StaffMember, site: Location, travel: TravelMatrix, policy: FatiguePolicy) -> Reach | None:
    """Commute from the home station when within the policy's limit, else lodge in the site's city.

    None when the person would need lodging but may not deploy away from home.
    """
    home = travel.leg(person.home_station, site.code)
    if home.minutes <= policy.max_commute_minutes:
        return Reach(person.home_station, False, home.minutes, home.km)
    if not person.limits.can_deploy_away or site.city is None:
        return None
    local = travel.leg(site.city, site.code)
    return Reach(site.city, True, local.minutes, local.km)


def rest_minutes(
    earlier: Shift, earlier_reach: Reach, later: Shift, later_reach: Reach, travel: TravelMatrix
) -> int:
    """Rest between two shifts: from getting back to base after one to leaving for the next.

    Moving between bases (home to lodging, one city to another) is travel, not rest.
    """
    moving = 0
    if earlier_reach.base != later_reach.base:
        moving = travel.leg(earlier_reach.base, later_reach.base).minutes
    return rest_between(
        minutes_between(earlier.start, earlier.end),
        earlier_reach,
        minutes_between(earlier.start, later.start),
        later_reach,
        moving,
    )


def rest_between(
    earlier_end: int, earlier_reach: Reach, later_start: int, later_reach: Reach, moving: int
) -> int:
    """:func:`rest_minutes` on times in minutes from any common origin (what the solver uses)."""
    return leaves_at(later_start, later_reach) - back_at(earlier_end, earlier_reach) - moving


def leaves_at(start: int, shift_reach: Reach) -> int:
    """When the person leaves their base for a shift starting at ``start`` (minutes)."""
    return start - shift_reach.minutes


def back_at(end: int, shift_reach: Reach) -> int:
    """When the person is back at their base after a shift ending at ``end`` (minutes)."""
    return end + shift_reach.minutes


def duty_minutes(shift_minutes: int, shift_reach: Reach) -> int:
    """Door-to-door duty: the shift's minutes plus travel there and back."""
    return shift_minutes + 2 * shift_reach.minutes


def fatigue_score(shift: Shift, shift_reach: Reach, policy: FatiguePolicy) -> int:
    """Fatigue points of one shift, after the timing and duty parts of the HSE Fatigue and Risk Index.

    - 3 points for each hour beyond 8 (long shifts);
    - 2 points for each hour worked inside the night window (default 00:00-06:00);
    - 4 points for an early start (04:00-06:59), which cuts the sleep before the shift;
    - 1 point for each hour of commuting, there and back.
    The cumulative part of the index (days and nights in a row) is held by the consecutive-day
    and consecutive-night rules.
    """
    minutes = shift.minutes
    score = 3 * max(0, minutes - 480) / 60
    score += 2 * policy.night_minutes(shift.start, shift.end) / 60
    if 4 <= shift.start.hour < 7:
        score += 4
    score += 2 * shift_reach.minutes / 60
    return round(score)


def travel_points(shift_reach: Reach) -> int:
    """Travel to and from one shift, in tens of km (rounded)."""
    return round(2 * shift_reach.km / 10)


def trip_points(travel: TravelMatrix, home: str, city: str) -> int:
    """A deployment's trip from the home station to its city and back, in tens of km (rounded)."""
    return round(2 * travel.leg(home, city).km / 10)


def weekend_of(day: date) -> date | None:
    """The Saturday that names the weekend ``day`` belongs to; None on weekdays."""
    if day.weekday() == 5:
        return day
    if day.weekday() == 6:
        return day - timedelta(days=1)
    return None


def describe_shift(shift: Shift, locations: dict[str, Location]) -> str:
    """Planner wording: 'Tue 09 Mar 23:00 Bendigo Stadium'."""
    site = locations.get(shift.site)
    return f"{shift.start:%a %d %b %H:%M} {site.name if site else shift.site}"


def hours_text(minutes: int) -> str:
    """'7 h 30 min', '10 h'."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours} h {rest} min" if rest else f"{sign}{hours} h"


def travel_days(away: dict[date, str]) -> set[date]:
    """The travel day before and after each deployment: no shift then, but a day of duty."""
    one = timedelta(days=1)
    return {d for _, first, last in deployment_blocks(away) for d in (first - one, last + one)}


def deployment_blocks(away: dict[date, str]) -> list[tuple[str, date, date]]:
    """Deployments as (city, first day, last day): runs of consecutive lodged days in one city."""
    blocks: list[tuple[str, date, date]] = []
    for day in sorted(away):
        city = away[day]
        if blocks and blocks[-1][0] == city and (day - blocks[-1][2]).days == 1:
            blocks[-1] = (city, blocks[-1][1], day)
        else:
            blocks.append((city, day, day))
    return blocks
