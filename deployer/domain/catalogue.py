"""Agencies, rank ladders and the skills catalogue: the vocabulary every other record uses."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from deployer.domain.errors import require


class AgencyKind(StrEnum):
    """What sort of organisation a person belongs to."""

    POLICE = "police"
    PROTECTIVE = "protective services"
    PARTNER = "partner"


@dataclass(frozen=True, slots=True)
class Agency:
    """An organisation that supplies people (Victoria Police, VICSES, an interstate force...)."""

    code: str
    name: str
    kind: AgencyKind = AgencyKind.POLICE

    def __post_init__(self) -> None:
        require(bool(self.code.strip()), f"agency {self.name!r}", "code", "is empty")
        require(bool(self.name.strip()), f"agency {self.code}", "name", "is empty")


@dataclass(frozen=True, slots=True)
class Rank:
    """A rank on a ladder; ranks compare only within their ladder (police, pso, ses, fire)."""

    code: str
    title: str
    ladder: str
    level: int

    def __post_init__(self) -> None:
        require(bool(self.code.strip()), f"rank {self.title!r}", "code", "is empty")
        require(self.level >= 1, f"rank {self.code}", "level", f"must be 1 or more, not {self.level}")

    def meets(self, minimum: Rank) -> bool:
        """True when this rank is at least ``minimum`` on the same ladder."""
        return self.ladder == minimum.ladder and self.level >= minimum.level


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill or certification; certifications expire, plain skills do not."""

    code: str
    name: str
    category: str = "general"
    expires: bool = False
    max_level: int = 1

    def __post_init__(self) -> None:
        require(bool(self.code.strip()), f"skill {self.name!r}", "code", "is empty")
        require(bool(self.name.strip()), f"skill {self.code}", "name", "is empty")
        require(self.max_level >= 1, f"skill {self.code}", "max_level", "must be 1 or more")


@dataclass(frozen=True)
class Catalogue:
    """Look-up of agencies, ranks and skills by code, with checks that name what is unknown."""

    agencies: dict[str, Agency]
    ranks: dict[str, Rank]
    skills: dict[str, Skill]

    @classmethod
    def of(cls, agencies: list[Agency], ranks: list[Rank], skills: list[Skill]) -> Catalogue:
        """Build a catalogue from lists, refusing duplicate codes."""
        return cls(
            agencies=_unique(agencies, "agency"),
            ranks=_unique(ranks, "rank"),
            skills=_unique(skills, "skill"),
        )

    def rank(self, code: str, record: str = "record") -> Rank:
        """The rank with ``code``; a :class:`DomainError` naming ``record`` when unknown."""
        require(code in self.ranks, record, "rank", f"{code!r} is not in the rank list")
        return self.ranks[code]

    def agency(self, code: str, record: str = "record") -> Agency:
        """The agency with ``code``; a :class:`DomainError` naming ``record`` when unknown."""
        require(code in self.agencies, record, "agency", f"{code!r} is not a known agency")
        return self.agencies[code]

    def skill(self, code: str, record: str = "record") -> Skill:
        """The skill with ``code``; a :class:`DomainError` naming ``record`` when unknown."""
        require(code in self.skills, record, "skill", f"{code!r} is not in the skills catalogue")
        return self.skills[code]


def _unique(items: list, kind: str) -> dict:
    out: dict = {}
    for item in items:
        require(item.code not in out, f"{kind} {item.code}", "code", "appears twice")
        out[item.code] = item
    return out
