"""Catalogue: ranks compare within their ladder only; unknown codes are named."""

import pytest

from deployer.domain.catalogue import Catalogue, Rank
from deployer.domain.errors import DomainError


def test_rank_meets_minimum_only_on_the_same_ladder(ranks) -> None:  # type: ignore[no-untyped-def]
    const, sgt, ses = ranks
    assert sgt.meets(const)
    assert not const.meets(sgt)
    assert not ses.meets(const)


def test_duplicate_codes_are_refused(ranks) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="rank SGT: code appears twice"):
        Catalogue.of([], [*ranks, Rank("SGT", "Sergeant again", "police", 4)], [])


def test_unknown_skill_names_the_record(agencies, ranks, skills) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue.of(agencies, ranks, skills)
    with pytest.raises(DomainError, match="staff 1: skill 'BOAT' is not in the skills catalogue"):
        catalogue.skill("BOAT", "staff 1")
