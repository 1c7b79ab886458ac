"""The staff register: people, qualifications, absences and requests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from deployer.domain.errors import DomainError
from deployer.domain.requests import RequestKind, StaffRequest
from deployer.domain.staff import Absence, AbsenceKind, EmploymentLimits, Qualification, StaffMember
from deployer.store.models import (
    AbsenceRow,
    AgencyRow,
    QualificationRow,
    RankRow,
    SkillRow,
    StaffRequestRow,
    StaffRow,
)
from deployer.store.repositories.audit import AuditRepository
from deployer.store.repositories.catalogue import CatalogueRepository
from deployer.store.repositories.locations import LocationRepository
from deployer.store.versions import advance, conflict


class StaffRepository:
    """People by service number; bulk paths keep 25,000-person registers quick."""

    def __init__(
        self,
        session: Session,
        catalogue: CatalogueRepository,
        locations: LocationRepository,
        audit: AuditRepository,
    ) -> None:
        self.session = session
        self.catalogue = catalogue
        self.locations = locations
        self.audit = audit

    def count(self) -> int:
        """How many people the register holds."""
        return self.session.scalar(select(func.count()).select_from(StaffRow)) or 0

    def ids(self) -> dict[str, int]:
        """Service number -> row id."""
        return dict(self.session.execute(select(StaffRow.service_number, StaffRow.id)).all())

    def add_many(self, members: Iterable[StaffMember]) -> int:
        """Add new people in bulk; any duplicate or unknown code refuses the whole batch."""
        members = list(members)
        existing = self.ids()
        seen: set[str] = set()
        for m in members:
            if m.service_number in existing or m.service_number in seen:
                raise DomainError(
                    f"staff {m.service_number}", "service number", "already exists in the register"
                )
            seen.add(m.service_number)
        rows = [self._row_values(m) for m in members]
        qualification_rows = [self._qualification_values(m) for m in members]
        if not rows:
            return 0
        self.session.execute(insert(StaffRow), rows)  # no RETURNING: quadratic for big batches
        new_ids = self.ids()
        self._insert_children(members, new_ids, qualification_rows)
        self.audit.record("add", "staff", f"{len(rows)} people", after=members)
        return len(rows)

    def versions(self) -> dict[str, int]:
        """Service number -> version counter, read with the register for later saves to name."""
        return dict(self.session.execute(select(StaffRow.service_number, StaffRow.version)).all())

    def versions_of(self, numbers: list[str]) -> dict[str, int]:
        """The version counters of these people."""
        query = select(StaffRow.service_number, StaffRow.version).where(StaffRow.service_number.in_(numbers))
        return dict(self.session.execute(query).all())

    def save(self, member: StaffMember, expected_version: int | None = None) -> None:
        """Insert or update one person by service number, replacing skills and absences.

        With ``expected_version`` (the version the change was based on) a person saved by
        someone else since is refused with :class:`EditConflict`.
        """
        row = self.session.scalar(select(StaffRow).where(StaffRow.service_number == member.service_number))
        if row is not None and not advance(self.session, StaffRow.version, row.id, expected_version):
            raise conflict(self.audit, f"staff {member.service_number}", "staff", member.service_number)
        before = self.get(member.service_number) if row is not None else None
        self.audit.record("change" if before else "add", "staff", member.service_number, before, member)
        values = self._row_values(member)
        qualifications = self._qualification_values(member)
        if row is None:
            row = StaffRow(**values)
            self.session.add(row)
        else:
            for key, value in values.items():
                setattr(row, key, value)
            self.session.execute(delete(QualificationRow).where(QualificationRow.staff_id == row.id))
            self.session.execute(delete(AbsenceRow).where(AbsenceRow.staff_id == row.id))
        self.session.flush()
        self._insert_children([member], {member.service_number: row.id}, [qualifications])

    def remove(self, service_number: str) -> None:
        """Delete a person (their skills, absences and requests go with them)."""
        row = self.session.scalar(select(StaffRow).where(StaffRow.service_number == service_number))
        if row is None:
            raise DomainError(f"staff {service_number}", "service number", "is not in the register")
        self.audit.record("remove", "staff", service_number, before=self.get(service_number))
        self.session.delete(row)
        self.session.flush()

    def get(self, service_number: str) -> StaffMember | None:
        """One person, or None."""
        found = self._load(StaffRow.service_number == service_number)
        return found[0] if found else None

    def all(self) -> list[StaffMember]:
        """The whole register, ordered by service number."""
        return self._load(None)

    def first(self, count: int) -> list[StaffMember]:
        """The first ``count`` people by service number."""
        page = select(StaffRow.id).order_by(StaffRow.service_number).limit(count).scalar_subquery()
        return self._load(StaffRow.id.in_(page))

    def add_requests(self, requests: Iterable[StaffRequest]) -> None:
        """Record staff requests (days off, shifts wanted or not, preferred city)."""
        ids = self.ids()
        values = []
        for r in requests:
            record = f"request of {r.service_number}"
            if r.service_number not in ids:
                raise DomainError(record, "service number", "is not in the register")
            values.append(
                {
                    "staff_id": ids[r.service_number],
                    "kind": r.kind.value,
                    "day": r.day,
                    "shift_label": r.shift_label,
                    "weight": r.weight,
                    "city_id": self.locations.id_of(r.city, record, "city") if r.city else None,
                }
            )
        if values:
            self.session.execute(insert(StaffRequestRow), values)
            self.audit.record("add", "request", f"{len(values)} requests", after=requests)

    def requests(self) -> list[StaffRequest]:
        """Every staff request."""
        numbers = {id_: sn for sn, id_ in self.ids().items()}
        cities = {id_: code for code, id_ in self.locations.ids().items()}
        return [
            StaffRequest(
                numbers[r.staff_id],
                RequestKind(r.kind),
                r.day,
                r.shift_label,
                cities.get(r.city_id) if r.city_id else None,
                r.weight,
            )
            for r in self.session.scalars(select(StaffRequestRow).order_by(StaffRequestRow.id))
        ]

    # -- mapping -------------------------------------------------------------------------

    def _row_values(self, m: StaffMember) -> dict[str, Any]:
        record = f"staff {m.service_number}"
        limits = m.limits
        return {
            "service_number": m.service_number,
            "given_name": m.given_name,
            "family_name": m.family_name,
            "rank_id": self.catalogue.id_of(RankRow, m.rank, record, "rank"),
            "agency_id": self.catalogue.id_of(AgencyRow, m.agency, record, "agency"),
            "home_station_id": self.locations.id_of(m.home_station, record, "home station"),
            "contracted_minutes_per_week": limits.contracted_minutes_per_week,
            "max_minutes_per_week": limits.max_minutes_per_week,
            "max_shifts": limits.max_shifts,
            "min_total_minutes": limits.min_total_minutes,
            "max_total_minutes": limits.max_total_minutes,
            "max_weekends": limits.max_weekends,
            "max_consecutive_days": limits.max_consecutive_days,
            "min_consecutive_days": limits.min_consecutive_days,
            "min_consecutive_days_off": limits.min_consecutive_days_off,
            "max_shifts_by_label": "|".join(f"{k}={v}" for k, v in limits.max_shifts_by_label),
            "can_deploy_away": limits.can_deploy_away,
        }

    def _qualification_values(self, m: StaffMember) -> list[dict[str, Any]]:
        record = f"staff {m.service_number}"
        return [
            {
                "skill_id": self.catalogue.id_of(SkillRow, q.skill, record, "skill"),
                "level": q.level,
                "expires_on": q.expires,
            }
            for q in m.qualifications
        ]

    def _insert_children(
        self, members: list[StaffMember], ids: dict[str, int], qualifications: list[list[dict[str, Any]]]
    ) -> None:
        q_rows = [
            dict(q, staff_id=ids[m.service_number])
            for m, qs in zip(members, qualifications, strict=True)
            for q in qs
        ]
        a_rows = [
            {
                "staff_id": ids[m.service_number],
                "first_day": a.first_day,
                "last_day": a.last_day,
                "kind": a.kind.value,
                "note": a.note,
            }
            for m in members
            for a in m.absences
        ]
        if q_rows:
            self.session.execute(insert(QualificationRow), q_rows)
        if a_rows:
            self.session.execute(insert(AbsenceRow), a_rows)

    def _load(self, where: Any) -> list[StaffMember]:
        # Plain rows, not ORM objects: building 100,000 ORM objects takes seconds at 25,000 staff.
        query = select(*StaffRow.__table__.c).order_by(StaffRow.service_number)
        if where is not None:
            query = query.where(where)
        rows = self.session.execute(query).all()
        if not rows:
            return []
        ranks = self.catalogue.codes(RankRow)
        agencies = self.catalogue.codes(AgencyRow)
        skills = self.catalogue.codes(SkillRow)
        stations = {id_: code for code, id_ in self.locations.ids().items()}
        wanted = [row.id for row in rows] if where is not None else None
        qualifications: dict[int, list[Qualification]] = defaultdict(list)
        q_query = select(*QualificationRow.__table__.c).order_by(QualificationRow.id)
        a_query = select(*AbsenceRow.__table__.c).order_by(AbsenceRow.first_day)
        if wanted is not None:
            q_query = q_query.where(QualificationRow.staff_id.in_(wanted))
            a_query = a_query.where(AbsenceRow.staff_id.in_(wanted))
        for q in self.session.execute(q_query):
            qualifications[q.staff_id].append(Qualification(skills[q.skill_id], q.level, q.expires_on))
        absences: dict[int, list[Absence]] = defaultdict(list)
        for a in self.session.execute(a_query):
            absences[a.staff_id].append(Absence(a.first_day, a.last_day, AbsenceKind(a.kind), a.note))
        return [
            StaffMember(
                service_number=row.service_number,
                given_name=row.given_name,
                family_name=row.family_name,
                rank=ranks[row.rank_id],
                agency=agencies[row.agency_id],
                home_station=stations[row.home_station_id],
                qualifications=tuple(qualifications[row.id]),
                absences=tuple(absences[row.id]),
                limits=EmploymentLimits(
                    contracted_minutes_per_week=row.contracted_minutes_per_week,
                    max_minutes_per_week=row.max_minutes_per_week,
                    max_shifts=row.max_shifts,
                    min_total_minutes=row.min_total_minutes,
                    max_total_minutes=row.max_total_minutes,
                    max_weekends=row.max_weekends,
                    max_consecutive_days=row.max_consecutive_days,
                    min_consecutive_days=row.min_consecutive_days,
                    min_consecutive_days_off=row.min_consecutive_days_off,
                    max_shifts_by_label=_parse_label_limits(row.max_shifts_by_label),
                    can_deploy_away=row.can_deploy_away,
                ),
            )
            for row in rows
        ]


def _parse_label_limits(text: str) -> tuple[tuple[str, int], ...]:
    if not text:
        return ()
    pairs = (item.split("=", 1) for item in text.split("|"))
    return tuple((label, int(limit)) for label, limit in pairs)
