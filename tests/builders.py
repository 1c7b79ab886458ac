"""Tiny hand-made roster problems: one rule at a time, numbers a reader can check by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

from deployer.domain.catalogue import Agency, AgencyKind, Catalogue, Rank, Skill
from deployer.domain.locations import Leg, Location, LocationKind, SiteKind, TravelMatrix
from deployer.domain.operations import DemandLine, Operation, OperationKind, Shift, ShiftTemplate, SkillNeed
from deployer.domain.policy import FatiguePolicy
from deployer.domain.problem import ObjectiveWeights, RosterProblem
from deployer.domain.roster import Assignment
from deployer.domain.staff import StaffMember

FIRST_DAY = date(2027, 3, 8)  # a Monday
DAY = ShiftTemplate("D", time(7), 8 * 60)
EVENING = ShiftTemplate("A", time(15), 8 * 60)
NIGHT = ShiftTemplate("N", time(23), 8 * 60)

CATALOGUE = Catalogue.of(
    [Agency("VICPOL", "Victoria Police"), Agency("VICSES", "VICSES", AgencyKind.PARTNER)],
    [
        Rank("CONST", "Constable", "police", 1),
        Rank("SGT", "Sergeant", "police", 4),
        Rank("SES-MBR", "SES Member", "ses", 1),
    ],
    [Skill("GD", "General duties"), Skill("PO", "Public order", expires=True), Skill("FA", "First aid")],
)
PLACES = [
    Location("GEE", "Geelong", LocationKind.CITY, -38.15, 144.36),
    Location("MIL", "Mildura", LocationKind.CITY, -34.21, 142.12),
    Location("STN-GEE", "Geelong station", LocationKind.STATION, -38.148, 144.36, city="GEE"),
    Location("STN-MIL", "Mildura station", LocationKind.STATION, -34.19, 142.16, city="MIL"),
    Location(
        "GEE-KP", "Kardinia Park", LocationKind.SITE, -38.158, 144.355, city="GEE", site_kind=SiteKind.VENUE
    ),
    Location(
        "GEE-WF", "Waterfront", LocationKind.SITE, -38.144, 144.361, city="GEE", site_kind=SiteKind.VENUE
    ),
    Location(
        "MIL-SG",
        "Mildura Showgrounds",
        LocationKind.SITE,
        -34.199,
        142.159,
        city="MIL",
        site_kind=SiteKind.RELIEF,
    ),
]
#: Measured legs: Geelong people reach Geelong sites in 15 min; Mildura is 6 h away (lodging).
LEGS = {
    ("STN-GEE", "GEE-KP"): Leg(15, 10.0),
    ("STN-GEE", "GEE-WF"): Leg(15, 10.0),
    ("STN-MIL", "MIL-SG"): Leg(10, 5.0),
    ("GEE", "GEE-KP"): Leg(10, 5.0),
    ("GEE", "GEE-WF"): Leg(10, 5.0),
    ("MIL", "MIL-SG"): Leg(10, 5.0),
    ("STN-GEE", "MIL-SG"): Leg(360, 480.0),
    ("STN-GEE", "MIL"): Leg(360, 480.0),
    ("STN-MIL", "GEE-KP"): Leg(360, 480.0),
    ("STN-MIL", "GEE"): Leg(360, 480.0),
    ("STN-MIL", "GEE-WF"): Leg(360, 480.0),
    ("GEE", "MIL"): Leg(360, 480.0),
    ("GEE-KP", "GEE-WF"): Leg(5, 2.0),
}
#: Weights that count only coverage, so a test's optimum is plain to see.
COVERAGE_ONLY = ObjectiveWeights.only(unfilled=100)


def person(number: str, **changes) -> StaffMember:  # type: ignore[no-untyped-def]
    values = dict(
        service_number=number,
        given_name="Alex",
        family_name=f"Person{number}",
        rank="CONST",
        agency="VICPOL",
        home_station="STN-GEE",
    )
    values.update(changes)
    return StaffMember(**values)


def shift(site: str, day: int, template: ShiftTemplate = DAY, *lines: DemandLine) -> Shift:
    """A shift on day ``day`` (0 = FIRST_DAY) with demand ``lines`` (default: one person)."""
    when = FIRST_DAY + timedelta(days=day)
    start, end = template.on(when, Operation("x", OperationKind.EVENT, when, when).tz)
    return Shift(
        f"{site}/{when}/{template.label}", site, start, end, template.label, lines or (DemandLine(1),)
    )


def problem(
    shifts: list[Shift], staff: list[StaffMember], days: int | None = None, **policy_changes
) -> RosterProblem:
    """A problem over the given shifts, with the default policy changed as asked."""
    last = max(s.day for s in shifts) if days is None else FIRST_DAY + timedelta(days=days - 1)
    operation = Operation(
        name="Test",
        kind=OperationKind.EVENT,
        first_day=FIRST_DAY,
        last_day=last,
        cities=("GEE", "MIL"),
        sites=("GEE-KP", "GEE-WF", "MIL-SG"),
        shifts=tuple(shifts),
        policy=replace(FatiguePolicy(name="Test"), **policy_changes),
    )
    return RosterProblem(
        operation,
        tuple(staff),
        CATALOGUE,
        TravelMatrix({p.code: p for p in PLACES}, LEGS),
        weights=COVERAGE_ONLY,
    )


def daily(site: str, days: int, template: ShiftTemplate = DAY, count: int = 1) -> list[Shift]:
    """One shift a day for ``days`` days needing ``count`` people."""
    return [shift(site, d, template, DemandLine(count)) for d in range(days)]


def on(shifts: list[Shift], number: str, *indices: int) -> list[Assignment]:
    """Assign person ``number`` to the shifts at ``indices`` (line 0)."""
    return [Assignment(shifts[i].key, number) for i in indices]


def skill_line(count: int, *skills: str, min_rank: str | None = None) -> DemandLine:
    return DemandLine(count, min_rank, frozenset(SkillNeed(s) for s in skills))
