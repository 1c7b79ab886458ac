"""Agencies, ranks and skills."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from deployer.domain.catalogue import Agency, AgencyKind, Catalogue, Rank, Skill
from deployer.domain.errors import DomainError
from deployer.store.models import AgencyRow, RankRow, SkillRow
from deployer.store.repositories.audit import AuditRepository

_WHAT: dict[type, str] = {
    AgencyRow: "a known agency",
    RankRow: "in the rank list",
    SkillRow: "in the skills catalogue",
}


class CatalogueRepository:
    """Reads and writes the catalogue and maps codes to row ids for the other repositories."""

    def __init__(self, session: Session, audit: AuditRepository) -> None:
        self.session = session
        self.audit = audit
        self._ids: dict[type, dict[str, int]] = {}

    def add(self, agencies: list[Agency], ranks: list[Rank], skills: list[Skill]) -> None:
        """Add new catalogue entries; a code that already exists is refused."""
        for row_type, items, kind in (
            (AgencyRow, agencies, "agency"),
            (RankRow, ranks, "rank"),
            (SkillRow, skills, "skill"),
        ):
            existing = self.ids(row_type)
            seen: set[str] = set()
            for item in items:
                if item.code in existing or item.code in seen:
                    raise DomainError(f"{kind} {item.code}", "code", "already exists")
                seen.add(item.code)
            if items:
                self.session.execute(insert(row_type), [_row_values(item) for item in items])
                self.audit.record("add", kind, f"{len(items)} codes", after=items)
            self._ids.pop(row_type, None)

    def save_skills(self, skills: list[Skill]) -> None:
        """Insert new skills and update existing ones by code (codes are kept: records use them)."""
        existing = {r.code: r for r in self.session.scalars(select(SkillRow))}
        before = self.load().skills
        for skill in skills:
            row = existing.get(skill.code)
            if row is None:
                self.session.add(SkillRow(**_row_values(skill)))
                self.audit.record("add", "skill", skill.code, after=skill)
            elif before[skill.code] != skill:
                for key, value in _row_values(skill).items():
                    setattr(row, key, value)
                self.audit.record("change", "skill", skill.code, before[skill.code], skill)
        self.session.flush()
        self._ids.pop(SkillRow, None)

    def load(self) -> Catalogue:
        """The whole catalogue."""
        agencies = [
            Agency(r.code, r.name, AgencyKind(r.kind))
            for r in self.session.scalars(select(AgencyRow).order_by(AgencyRow.code))
        ]
        ranks = [
            Rank(r.code, r.title, r.ladder, r.level)
            for r in self.session.scalars(select(RankRow).order_by(RankRow.ladder, RankRow.level))
        ]
        skills = [
            Skill(r.code, r.name, r.category, r.expires, r.max_level)
            for r in self.session.scalars(select(SkillRow).order_by(SkillRow.code))
        ]
        return Catalogue.of(agencies, ranks, skills)

    def ids(self, row_type: type) -> dict[str, int]:
        """Code -> id for agencies, ranks or skills (cached for the unit of work)."""
        if row_type not in self._ids:
            rows = self.session.execute(select(row_type.code, row_type.id))  # type: ignore[attr-defined]
            self._ids[row_type] = {code: id_ for code, id_ in rows}
        return self._ids[row_type]

    def codes(self, row_type: type) -> dict[int, str]:
        """Id -> code, the inverse of :meth:`ids`."""
        return {id_: code for code, id_ in self.ids(row_type).items()}

    def id_of(self, row_type: type, code: str, record: str, field: str) -> int:
        """The id for ``code``, or a DomainError naming the record and field that used it."""
        ids = self.ids(row_type)
        if code not in ids:
            what = _WHAT[row_type]
            raise DomainError(record, field, f"{code!r} is not {what}")
        return ids[code]


def _row_values(item: Agency | Rank | Skill) -> dict:
    if isinstance(item, Agency):
        return {"code": item.code, "name": item.name, "kind": item.kind.value}
    if isinstance(item, Rank):
        return {"code": item.code, "title": item.title, "ladder": item.ladder, "level": item.level}
    return {
        "code": item.code,
        "name": item.name,
        "category": item.category,
        "expires": item.expires,
        "max_level": item.max_level,
    }
