"""A seeded generator of realistic Victorian registers and Games-like operations.

Same arguments, same data: every random choice comes from one ``random.Random(seed)``.
Catalogue, cities, stations and venues are public facts shipped in ``resources/demo``; people,
their skills, leave and the operation's demand are generated around them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta

from deployer.domain.catalogue import Agency, AgencyKind, Catalogue, Rank, Skill
from deployer.domain.errors import DomainError
from deployer.domain.locations import Location, LocationKind, SiteKind, TravelMatrix
from deployer.domain.operations import (
    DemandLine,
    Operation,
    OperationKind,
    Shift,
    ShiftTemplate,
    SkillNeed,
)
from deployer.domain.policy import FatiguePolicy
from deployer.domain.problem import RosterProblem
from deployer.domain.requests import RequestKind, StaffRequest
from deployer.domain.staff import (
    Absence,
    AbsenceKind,
    EmploymentLimits,
    Qualification,
    StaffMember,
)
from deployer.services.resources import read_table
from deployer.store.database import Database

MAX_STAFF = 25_000
#: The three shifts of a Games day (local time); nights cross midnight.
GAMES_SHIFTS = (
    ShiftTemplate("D", time(7), 8 * 60),
    ShiftTemplate("A", time(15), 8 * 60),
    ShiftTemplate("N", time(23), 8 * 60),
)
#: Share of a shift's people by shift label: nights are quieter than days.
SHIFT_LOAD = {"D": 1.0, "A": 1.0, "N": 0.5}
#: Average people rostered per day as a share of the register, before the day's load factor.
DEMAND_SHARE = 0.40


@dataclass(frozen=True)
class DemoSize:
    """How big a demo to make."""

    staff: int = 2000
    days: int = 14
    cities: int = 5
    sites: int = 20
    seed: int = 1
    first_day: date = date(2027, 3, 8)

    def __post_init__(self) -> None:
        checks = [
            (1 <= self.staff <= MAX_STAFF, "staff", f"must be between 1 and {MAX_STAFF}"),
            (1 <= self.days <= 366, "days", "must be between 1 and 366"),
            (
                1 <= self.cities <= len(read_table("demo/cities.csv")),
                "cities",
                f"must be between 1 and {len(read_table('demo/cities.csv'))} (the demo's cities)",
            ),
            (self.sites >= self.cities, "sites", "must be at least one per city"),
        ]
        for ok, name, problem in checks:
            if not ok:
                raise DomainError("demo", name, problem)

    @property
    def operation_name(self) -> str:
        """A name that says what the demo is."""
        return (
            f"Games demo {self.first_day:%Y} ({self.staff} staff, {self.cities} cities, "
            f"{self.sites} sites, {self.days} days, seed {self.seed})"
        )


@dataclass
class DemoData:
    """Everything a demo database holds, as domain objects."""

    agencies: list[Agency]
    ranks: list[Rank]
    skills: list[Skill]
    locations: list[Location]
    staff: list[StaffMember]
    operation: Operation
    requests: list[StaffRequest] = field(default_factory=list)

    def problem(self) -> RosterProblem:
        """The roster problem of the demo operation, without going through a database."""
        return RosterProblem(
            operation=self.operation,
            staff=tuple(self.staff),
            catalogue=Catalogue.of(self.agencies, self.ranks, self.skills),
            travel=TravelMatrix({loc.code: loc for loc in self.locations}),
            requests=tuple(self.requests),
        )


def catalogue() -> tuple[list[Agency], list[Rank], list[Skill]]:
    """The shipped agencies, ranks and skills."""
    agencies = [Agency(r["code"], r["name"], AgencyKind(r["kind"])) for r in read_table("demo/agencies.csv")]
    ranks = [Rank(r["code"], r["title"], r["ladder"], int(r["level"])) for r in read_table("demo/ranks.csv")]
    skills = [
        Skill(r["code"], r["name"], r["category"], r["expires"] == "yes", int(r["max_level"]))
        for r in read_table("demo/skills.csv")
    ]
    return agencies, ranks, skills


def locations() -> list[Location]:
    """The shipped cities, stations and named sites."""
    cities = [
        Location(
            r["code"], r["name"], LocationKind.CITY, float(r["latitude"]), float(r["longitude"]), r["region"]
        )
        for r in read_table("demo/cities.csv")
    ]
    region = {c.code: c.region for c in cities}
    stations = [
        Location(
            r["code"],
            f"{r['name']} Police Station",
            LocationKind.STATION,
            float(r["latitude"]),
            float(r["longitude"]),
            region[r["city"]],
            r["city"],
        )
        for r in read_table("demo/stations.csv")
    ]
    sites = [
        Location(
            r["code"],
            r["name"],
            LocationKind.SITE,
            float(r["latitude"]),
            float(r["longitude"]),
            region[r["city"]],
            r["city"],
            r["address"],
            SiteKind(r["kind"]),
        )
        for r in read_table("demo/sites.csv")
    ]
    return cities + stations + sites


def build(size: DemoSize) -> DemoData:
    """Generate the demo for ``size``; deterministic in ``size.seed``."""
    rng = random.Random(size.seed)
    agencies, ranks, skills = catalogue()
    places = locations()
    cities = [p for p in places if p.kind is LocationKind.CITY][: size.cities]
    sites = _choose_sites(rng, places, cities, size.sites)
    known = {p.code for p in places}
    places += [s for s in sites if s.code not in known]
    staff = _staff(rng, size, places)
    operation = _operation(rng, size, cities, sites)
    requests = _requests(rng, staff, operation)
    return DemoData(agencies, ranks, skills, places, staff, operation, requests)


def load(db: Database, size: DemoSize) -> str:
    """Write a demo into an empty database in one transaction; returns the operation's name."""
    data = build(size)
    with db.unit_of_work() as uow:
        held = uow.staff.count()
        if held or uow.operations.names():
            raise DomainError(
                "demo", "database", f"already holds data ({held} staff); use a new database file for a demo"
            )
        uow.catalogue.add(data.agencies, data.ranks, data.skills)
        uow.locations.add_many(data.locations)
        uow.staff.add_many(data.staff)
        uow.staff.add_requests(data.requests)
        uow.operations.add(data.operation)
    return data.operation.name


# -- sites ---------------------------------------------------------------------------------


def _choose_sites(
    rng: random.Random, places: list[Location], cities: list[Location], count: int
) -> list[Location]:
    """Named sites of the chosen cities first, then generated ones, spread evenly over cities."""
    named = {c.code: [p for p in places if p.kind is LocationKind.SITE and p.city == c.code] for c in cities}
    chosen: list[Location] = []
    per_city = {c.code: 0 for c in cities}
    kinds = [SiteKind.VENUE, SiteKind.STAGING, SiteKind.RELIEF, SiteKind.CHECKPOINT]
    i = 0
    while len(chosen) < count:
        city = cities[i % len(cities)]
        i += 1
        n = per_city[city.code]
        per_city[city.code] += 1
        if n < len(named[city.code]):
            chosen.append(named[city.code][n])
            continue
        kind = kinds[n % len(kinds)]
        chosen.append(
            Location(
                code=f"{city.code}-S{n + 1:02d}",
                name=f"{city.name} {kind} {n + 1}",
                kind=LocationKind.SITE,
                latitude=round(city.latitude + rng.uniform(-0.04, 0.04), 4),
                longitude=round(city.longitude + rng.uniform(-0.05, 0.05), 4),
                region=city.region,
                city=city.code,
                site_kind=kind,
            )
        )
    return chosen


# -- staff ---------------------------------------------------------------------------------

_AGENCY_LADDER = {
    "VICPOL": "police",
    "NSWPF": "police",
    "AFP": "police",
    "PSO": "pso",
    "VICSES": "ses",
    "CFA": "fire",
}
_SERVICE_PREFIX = {"VICPOL": "", "NSWPF": "NSW", "AFP": "AFP", "PSO": "PSO", "VICSES": "SES", "CFA": "CFA"}
#: (skill, chance, level range) by ladder; police and PSO skills first, then partners'.
_SKILL_CHANCES: dict[str, list[tuple[str, float, int]]] = {
    "police": [
        ("GD", 0.96, 1),
        ("FIREARMS", 0.95, 1),
        ("FA", 0.60, 2),
        ("PO", 0.22, 3),
        ("4WD", 0.15, 1),
        ("DRV", 0.20, 1),
        ("TRAFFIC", 0.18, 1),
        ("BOAT", 0.03, 2),
        ("NEG", 0.01, 1),
        ("K9", 0.01, 1),
        ("SAR", 0.05, 1),
        ("ACL", 0.02, 1),
        ("MCL", 0.04, 1),
        ("LANG-VI", 0.015, 1),
        ("LANG-ZH", 0.015, 1),
        ("LANG-AR", 0.01, 1),
        ("LANG-EL", 0.01, 1),
        ("LANG-IT", 0.01, 1),
        ("AUSLAN", 0.005, 1),
    ],
    "pso": [
        ("GD", 0.90, 1),
        ("FIREARMS", 1.0, 1),
        ("FA", 0.70, 2),
        ("PO", 0.10, 1),
        ("MCL", 0.03, 1),
        ("LANG-VI", 0.02, 1),
        ("LANG-ZH", 0.02, 1),
    ],
    "ses": [
        ("SES-STORM", 0.90, 1),
        ("SES-FLOOD", 0.40, 2),
        ("CHAINSAW", 0.30, 1),
        ("FA", 0.80, 2),
        ("4WD", 0.40, 1),
        ("SAR", 0.15, 1),
        ("BOAT", 0.08, 2),
    ],
    "fire": [("BUSHFIRE", 0.95, 2), ("CHAINSAW", 0.30, 1), ("FA", 0.70, 2), ("4WD", 0.50, 1)],
}


def _weighted(rng: random.Random, rows: list[dict[str, str]], weight: str) -> str:
    return rng.choices([r["code"] for r in rows], weights=[float(r[weight]) for r in rows])[0]


def _staff(rng: random.Random, size: DemoSize, places: list[Location]) -> list[StaffMember]:
    agencies = read_table("demo/agencies.csv")
    ranks = read_table("demo/ranks.csv")
    stations = read_table("demo/stations.csv")
    names = read_table("demo/names.csv")
    given = [n["given"] for n in names]
    family = [n["family"] for n in names]
    expires = {r["code"]: r["expires"] == "yes" for r in read_table("demo/skills.csv")}
    horizon_end = size.first_day + timedelta(days=size.days)
    people = []
    for i in range(size.staff):
        agency = _weighted(rng, agencies, "share")
        ladder = _AGENCY_LADDER[agency]
        rank = _weighted(rng, [r for r in ranks if r["ladder"] == ladder], "share")
        qualifications = []
        for skill, chance, max_level in _SKILL_CHANCES[ladder]:
            if rng.random() >= chance:
                continue
            expiry = None
            if expires[skill]:
                # Mostly valid well past the operation; about 3 % lapse during it.
                lapse = rng.random() < 0.03
                span = size.days if lapse else rng.randint(size.days + 30, size.days + 900)
                expiry = size.first_day + timedelta(days=rng.randint(0, span) if lapse else span)
            qualifications.append(Qualification(skill, rng.randint(1, max_level), expiry))
        absences = []
        if rng.random() < 0.08:
            start = size.first_day + timedelta(days=rng.randint(-5, max(0, size.days - 1)))
            length = rng.randint(2, 14)
            kind = rng.choices(list(AbsenceKind), weights=[0.7, 0.15, 0.1, 0.05])[0]
            absences.append(Absence(start, min(start + timedelta(days=length - 1), horizon_end), kind))
        part_time = rng.random() < 0.06
        people.append(
            StaffMember(
                service_number=f"{_SERVICE_PREFIX[agency]}{20000 + i:05d}",
                given_name=rng.choice(given),
                family_name=rng.choice(family),
                rank=rank,
                agency=agency,
                home_station=_weighted(rng, stations, "weight"),
                qualifications=tuple(qualifications),
                absences=tuple(absences),
                limits=_limits(part_time),
            )
        )
    return people


def _limits(part_time: bool) -> EmploymentLimits:
    """Most people work 38 h a week; part-timers 24 h, capped at 32 h."""
    if part_time:
        return EmploymentLimits(contracted_minutes_per_week=24 * 60, max_minutes_per_week=32 * 60)
    return EmploymentLimits()


# -- operation -----------------------------------------------------------------------------


def _operation(
    rng: random.Random, size: DemoSize, cities: list[Location], sites: list[Location]
) -> Operation:
    tz_name = "Australia/Melbourne"
    base = Operation(
        name=size.operation_name,
        kind=OperationKind.EVENT,
        first_day=size.first_day,
        last_day=size.first_day + timedelta(days=size.days - 1),
        cities=tuple(c.code for c in cities),
        sites=tuple(s.code for s in sites),
        policy=FatiguePolicy(name="Games deployment"),
        timezone=tz_name,
        description="Multi-city Games security operation generated for demonstration.",
    )
    tz = base.tz
    people_per_day = size.staff * DEMAND_SHARE
    per_site_shift = people_per_day / (len(sites) * sum(SHIFT_LOAD.values()))
    site_scale = {s.code: rng.uniform(0.6, 1.4) for s in sites}
    shifts = []
    for day in base.days:
        # Competition days are busier than rest days; the middle of the Games peaks.
        day_factor = 0.75 + 0.5 * math.sin(math.pi * (day - base.first_day).days / max(1, size.days))
        for site in sites:
            for template in GAMES_SHIFTS:
                need = per_site_shift * SHIFT_LOAD[template.label] * day_factor * site_scale[site.code]
                count = max(1, round(need * rng.uniform(0.85, 1.15)))
                start, end = template.on(day, tz)
                shifts.append(
                    Shift(
                        key=f"{site.code}/{day.isoformat()}/{template.label}",
                        site=site.code,
                        start=start,
                        end=end,
                        label=template.label,
                        demand=_demand_lines(rng, site, count),
                    )
                )
    return replace(base, shifts=tuple(shifts))


def _demand_lines(rng: random.Random, site: Location, count: int) -> tuple[DemandLine, ...]:
    """Split ``count`` people into supervisor, specialist and general lines by site kind."""
    lines: list[DemandLine] = []
    supervisors = max(1, count // 10) if count >= 4 else 0
    if supervisors:
        lines.append(DemandLine(supervisors, min_rank="SGT", skills=frozenset({SkillNeed("GD")})))
    rest = count - supervisors
    if site.site_kind is SiteKind.VENUE and rest >= 4:
        public_order = max(1, round(rest * 0.25))
        lines.append(DemandLine(public_order, skills=frozenset({SkillNeed("PO")})))
        rest -= public_order
    if site.site_kind is SiteKind.RELIEF and rest >= 3:
        lines.append(DemandLine(1, skills=frozenset({SkillNeed("MCL")})))
        partners = max(1, rest // 3)
        lines.append(
            DemandLine(partners, skills=frozenset({SkillNeed("SES-STORM")}), agencies=frozenset({"VICSES"}))
        )
        rest -= 1 + partners
    if rest >= 3:
        lines.append(DemandLine(1, skills=frozenset({SkillNeed("FA")})))
        rest -= 1
    if rest > 0:
        lines.append(DemandLine(rest, skills=frozenset({SkillNeed("GD")})))
    return tuple(lines)


def _requests(rng: random.Random, staff: list[StaffMember], operation: Operation) -> list[StaffRequest]:
    """About one person in ten asks for a day off; one in twenty prefers a city."""
    requests = []
    for person in staff:
        if rng.random() < 0.10:
            requests.append(
                StaffRequest(
                    person.service_number,
                    RequestKind.DAY_OFF,
                    day=rng.choice(operation.days),
                    weight=rng.randint(1, 3),
                )
            )
        if rng.random() < 0.05 and operation.cities:
            requests.append(
                StaffRequest(
                    person.service_number, RequestKind.CITY, city=rng.choice(operation.cities), weight=1
                )
            )
    return requests
