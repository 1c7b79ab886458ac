"""Fatigue policies and operations with their shifts and demand."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from deployer.domain.errors import DomainError
from deployer.domain.operations import DemandLine, Operation, OperationKind, Shift, SkillNeed
from deployer.domain.policy import FatiguePolicy
from deployer.store.models import (
    AgencyRow,
    AssignmentRow,
    DemandLineRow,
    DemandSkillRow,
    LocationRow,
    OperationRow,
    OperationSiteRow,
    PolicyRow,
    RankRow,
    ShiftRow,
    SkillRow,
)
from deployer.store.repositories.audit import AuditRepository
from deployer.store.repositories.catalogue import CatalogueRepository
from deployer.store.repositories.locations import LocationRepository
from deployer.store.versions import advance, conflict


class OperationRepository:
    """Operations by name, with their policy, sites, shifts and demand lines."""

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

    # -- policies ------------------------------------------------------------------------

    def save_policy(self, policy: FatiguePolicy) -> int:
        """Insert or replace the policy with this name; returns its id."""
        row = self.session.scalar(select(PolicyRow).where(PolicyRow.name == policy.name))
        if row is None:
            row = PolicyRow(name=policy.name, rules=policy.to_dict())
            self.session.add(row)
        else:
            row.rules = policy.to_dict()
        self.session.flush()
        return row.id

    def policies(self) -> list[FatiguePolicy]:
        """Every stored policy, by name."""
        rows = self.session.scalars(select(PolicyRow).order_by(PolicyRow.name))
        return [FatiguePolicy.from_dict(row.rules) for row in rows]

    # -- operations ----------------------------------------------------------------------

    def names(self) -> list[str]:
        """Names of all operations, newest first."""
        query = select(OperationRow.name).order_by(OperationRow.first_day.desc(), OperationRow.name)
        return list(self.session.scalars(query))

    def id_of(self, name: str) -> int:
        """Row id of operation ``name``."""
        id_ = self.session.scalar(select(OperationRow.id).where(OperationRow.name == name))
        if id_ is None:
            raise DomainError(f"operation {name!r}", "name", "does not exist")
        return id_

    def add(self, operation: Operation) -> int:
        """Store a new operation with its shifts and demand; returns its id."""
        record = f"operation {operation.name!r}"
        if self.session.scalar(select(OperationRow.id).where(OperationRow.name == operation.name)):
            raise DomainError(record, "name", "is already used by another operation")
        row = OperationRow(
            name=operation.name,
            kind=operation.kind.value,
            first_day=operation.first_day,
            last_day=operation.last_day,
            timezone=operation.timezone,
            description=operation.description,
            policy_id=self.save_policy(operation.policy),
        )
        self.session.add(row)
        self.session.flush()
        self._add_places(row.id, operation, [])
        self._add_shifts(row.id, operation)
        self.audit.record("add", "operation", operation.name, after=operation)
        return row.id

    def update_demand(self, operation: Operation) -> None:
        """Save the demand of an existing operation: its dates, cities and sites widen to
        ``operation``'s, shifts with a known key get its demand lines, new keys are added, and
        shifts it does not name stay as they are (plans may refer to them)."""
        id_ = self.id_of(operation.name)
        advance(self.session, OperationRow.version, id_, None)  # an editor open on it must reload
        self.audit.record("change", "operation", operation.name, self.get(operation.name), operation)
        row = self.session.get_one(OperationRow, id_)
        row.first_day = min(row.first_day, operation.first_day)
        row.last_day = max(row.last_day, operation.last_day)
        known = self.session.scalars(
            select(LocationRow.code)
            .join(OperationSiteRow, OperationSiteRow.location_id == LocationRow.id)
            .where(OperationSiteRow.operation_id == id_)
        ).all()
        self._add_places(id_, operation, list(known))
        existing = self.shift_ids(id_)
        kept = [s for s in operation.shifts if s.key in existing]
        if kept:
            self._delete_demand([existing[s.key] for s in kept])
            self._add_demand(id_, kept)
        self._add_shifts(
            id_, replace(operation, shifts=tuple(s for s in operation.shifts if s.key not in existing))
        )
        self.session.flush()

    def version(self, name: str) -> int:
        """The version counter of operation ``name``, for a later save to name."""
        return self.session.get_one(OperationRow, self.id_of(name)).version

    def save(self, operation: Operation, expected_version: int | None = None) -> None:
        """Make a stored operation what ``operation`` says: details, dates, places, policy, shifts, demand.

        A shift that a plan still uses cannot go: the error names it (remove it from the plans,
        or keep the day, site and template that make it). With ``expected_version``, an
        operation saved by someone else since is refused with :class:`EditConflict`.
        """
        id_ = self.id_of(operation.name)
        if not advance(self.session, OperationRow.version, id_, expected_version):
            raise conflict(self.audit, f"operation {operation.name!r}", "operation", operation.name)
        before = self.get(operation.name)
        row = self.session.get_one(OperationRow, id_)
        row.kind = operation.kind.value
        row.first_day, row.last_day = operation.first_day, operation.last_day
        row.timezone, row.description = operation.timezone, operation.description
        row.policy_id = self.save_policy(operation.policy)
        existing = self.shift_ids(id_)
        wanted = {s.key for s in operation.shifts}
        gone = [key for key in existing if key not in wanted]
        used = self.session.scalars(
            select(ShiftRow.key)
            .join(AssignmentRow, AssignmentRow.shift_id == ShiftRow.id)
            .where(ShiftRow.id.in_([existing[k] for k in gone]))
            .limit(1)
        ).first()
        if used is not None:
            raise DomainError(
                f"operation {operation.name!r}", f"shift {used}", "is used by a plan and cannot be removed"
            )
        if gone:
            ids = [existing[k] for k in gone]
            self._delete_demand(ids)
            self.session.execute(delete(ShiftRow).where(ShiftRow.id.in_(ids)))
        self.session.execute(delete(OperationSiteRow).where(OperationSiteRow.operation_id == id_))
        self._add_places(id_, operation, [])
        kept = [s for s in operation.shifts if s.key in existing]
        if kept:
            for shift in kept:
                self.session.execute(
                    update(ShiftRow)
                    .where(ShiftRow.id == existing[shift.key])
                    .values(starts_at=shift.start, ends_at=shift.end, label=shift.label)
                )
            self._delete_demand([existing[s.key] for s in kept])
            self._add_demand(id_, kept)
        self._add_shifts(
            id_, replace(operation, shifts=tuple(s for s in operation.shifts if s.key not in existing))
        )
        self.session.flush()
        self.audit.record("change", "operation", operation.name, before, operation)

    def _delete_demand(self, shift_ids: list[int]) -> None:
        """Delete the demand lines (and their skills) of the shifts with these ids."""
        lines = select(DemandLineRow.id).where(DemandLineRow.shift_id.in_(shift_ids))
        self.session.execute(delete(DemandSkillRow).where(DemandSkillRow.line_id.in_(lines)))
        self.session.execute(delete(DemandLineRow).where(DemandLineRow.shift_id.in_(shift_ids)))

    def _add_places(self, operation_id: int, operation: Operation, known: list[str]) -> None:
        """Link the operation's cities and sites not yet in ``known`` (codes), after those."""
        record = f"operation {operation.name!r}"
        places = [c for c in (*operation.cities, *operation.sites) if c not in known]
        places = list(dict.fromkeys(places))
        if places:
            self.session.execute(
                insert(OperationSiteRow),
                [
                    {
                        "operation_id": operation_id,
                        "location_id": self.locations.id_of(code, record, "city/site"),
                        "position": len(known) + i,
                    }
                    for i, code in enumerate(places)
                ],
            )

    def get(self, name: str) -> Operation:
        """The operation called ``name`` with every shift, in local time."""
        row = self.session.scalar(select(OperationRow).where(OperationRow.name == name))
        if row is None:
            raise DomainError(f"operation {name!r}", "name", "does not exist")
        policy = FatiguePolicy.from_dict(self.session.get_one(PolicyRow, row.policy_id).rules)
        places = self.session.execute(
            select(LocationRow.code, LocationRow.kind)
            .join(OperationSiteRow, OperationSiteRow.location_id == LocationRow.id)
            .where(OperationSiteRow.operation_id == row.id)
            .order_by(OperationSiteRow.position)
        ).all()
        operation = Operation(
            name=row.name,
            kind=OperationKind(row.kind),
            first_day=row.first_day,
            last_day=row.last_day,
            timezone=row.timezone,
            description=row.description,
            policy=policy,
            cities=tuple(code for code, kind in places if kind == "city"),
            sites=tuple(code for code, kind in places if kind != "city"),
        )
        shifts = self._load_shifts(row.id, operation)
        return replace(operation, shifts=tuple(shifts))

    def shift_ids(self, operation_id: int) -> dict[str, int]:
        """Shift key -> row id within one operation."""
        query = select(ShiftRow.key, ShiftRow.id).where(ShiftRow.operation_id == operation_id)
        return dict(self.session.execute(query).all())

    def _add_shifts(self, operation_id: int, operation: Operation) -> None:
        """Insert shifts, demand lines and their skills as three executemany batches.

        Ids are read back with one select per table: RETURNING over thousands of rows is
        quadratic in SQLAlchemy's result splicing.
        """
        record = f"operation {operation.name!r}"
        site_ids = {code: self.locations.id_of(code, record, "site") for code in operation.sites}
        if not operation.shifts:
            return
        self.session.execute(
            insert(ShiftRow),
            [
                {
                    "operation_id": operation_id,
                    "key": s.key,
                    "site_id": site_ids[s.site],
                    "starts_at": s.start,
                    "ends_at": s.end,
                    "label": s.label,
                }
                for s in operation.shifts
            ],
        )
        self._add_demand(operation_id, operation.shifts)

    def _add_demand(self, operation_id: int, shifts: tuple[Shift, ...] | list[Shift]) -> None:
        """Insert the demand lines (and their skills) of ``shifts``, already stored."""
        shift_ids = self.shift_ids(operation_id)
        lines, needs = [], {}
        for shift in shifts:
            for position, line in enumerate(shift.demand):
                where = f"shift {shift.key} demand line {position + 1}"
                for agency in line.agencies:
                    self.catalogue.id_of(AgencyRow, agency, where, "agency")
                min_rank = line.min_rank
                lines.append(
                    {
                        "shift_id": shift_ids[shift.key],
                        "position": position,
                        "count": line.count,
                        "min_rank_id": self.catalogue.id_of(RankRow, min_rank, where, "minimum rank")
                        if min_rank
                        else None,
                        "agencies": "|".join(sorted(line.agencies)),
                        "under_cost": line.under_cost,
                        "over_cost": line.over_cost,
                    }
                )
                needs[(shift_ids[shift.key], position)] = [
                    (self.catalogue.id_of(SkillRow, n.skill, where, "skill"), n.min_level)
                    for n in line.skills
                ]
        if not lines:
            return
        self.session.execute(insert(DemandLineRow), lines)
        line_ids = self.session.execute(
            select(DemandLineRow.shift_id, DemandLineRow.position, DemandLineRow.id)
            .join(ShiftRow, ShiftRow.id == DemandLineRow.shift_id)
            .where(ShiftRow.operation_id == operation_id)
        ).all()
        skill_rows = [
            {"line_id": line_id, "skill_id": skill_id, "min_level": level}
            for shift_id, position, line_id in line_ids
            for skill_id, level in needs.get((shift_id, position), [])
        ]
        if skill_rows:
            self.session.execute(insert(DemandSkillRow), skill_rows)

    def _load_shifts(self, operation_id: int, operation: Operation) -> list[Shift]:
        tz = operation.tz
        ranks = self.catalogue.codes(RankRow)
        skills = self.catalogue.codes(SkillRow)
        sites = {id_: code for code, id_ in self.locations.ids().items()}
        rows = self.session.scalars(
            select(ShiftRow)
            .where(ShiftRow.operation_id == operation_id)
            .order_by(ShiftRow.starts_at, ShiftRow.key)
        ).all()
        line_rows = self.session.scalars(
            select(DemandLineRow)
            .join(ShiftRow, ShiftRow.id == DemandLineRow.shift_id)
            .where(ShiftRow.operation_id == operation_id)
            .order_by(DemandLineRow.position)
        ).all()
        needs: dict[int, set[SkillNeed]] = defaultdict(set)
        for need in self.session.scalars(
            select(DemandSkillRow)
            .join(DemandLineRow, DemandLineRow.id == DemandSkillRow.line_id)
            .join(ShiftRow, ShiftRow.id == DemandLineRow.shift_id)
            .where(ShiftRow.operation_id == operation_id)
        ):
            needs[need.line_id].add(SkillNeed(skills[need.skill_id], need.min_level))
        demand: dict[int, list[DemandLine]] = defaultdict(list)
        for line in line_rows:
            demand[line.shift_id].append(
                DemandLine(
                    count=line.count,
                    min_rank=ranks[line.min_rank_id] if line.min_rank_id else None,
                    skills=frozenset(needs[line.id]),
                    agencies=frozenset(a for a in line.agencies.split("|") if a),
                    under_cost=line.under_cost,
                    over_cost=line.over_cost,
                )
            )
        return [
            Shift(
                key=row.key,
                site=sites[row.site_id],
                start=row.starts_at.astimezone(tz),
                end=row.ends_at.astimezone(tz),
                label=row.label,
                demand=tuple(demand[row.id]),
            )
            for row in rows
        ]
