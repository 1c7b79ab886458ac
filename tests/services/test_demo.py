"""The demo generator: deterministic, sized as asked, realistic, and loadable on both back-ends."""

from __future__ import annotations

from collections import Counter

import pytest

from deployer.cli import main as cli
from deployer.domain.errors import DomainError
from deployer.domain.locations import LocationKind
from deployer.services import demo
from deployer.store.database import Database

SMALL = demo.DemoSize(staff=300, days=7, cities=3, sites=9, seed=4)


def test_same_seed_gives_the_same_data() -> None:
    first, second = demo.build(SMALL), demo.build(SMALL)
    assert first.staff == second.staff
    assert first.operation == second.operation
    assert first.requests == second.requests


def test_another_seed_gives_other_people() -> None:
    other = demo.build(demo.DemoSize(staff=300, days=7, cities=3, sites=9, seed=5))
    assert other.staff != demo.build(SMALL).staff


def test_demo_has_the_size_asked_for() -> None:
    data = demo.build(SMALL)
    op = data.operation
    assert len(data.staff) == 300
    assert len(op.days) == 7 and len(op.cities) == 3 and len(op.sites) == 9
    assert len(op.shifts) == 7 * 9 * 3  # three shifts a day at every site
    sites = {loc.code: loc for loc in data.locations if loc.kind is LocationKind.SITE}
    assert Counter(sites[s].city for s in op.sites) == {c: 3 for c in op.cities}


def test_demo_mixes_agencies_ranks_and_skills_like_a_state_force() -> None:
    data = demo.build(demo.DemoSize(staff=3000, days=7, seed=2))
    agencies = Counter(p.agency for p in data.staff)
    assert agencies["VICPOL"] > 0.7 * 3000
    assert {"PSO", "VICSES", "CFA"} <= set(agencies)
    assert sum(1 for p in data.staff if p.rank == "SGT") > 200
    with_po = sum(1 for p in data.staff if any(q.skill == "PO" for q in p.qualifications))
    assert 300 < with_po < 900
    assert any(p.absences for p in data.staff)


def test_demand_lines_use_only_catalogue_codes() -> None:
    data = demo.build(SMALL)
    skills = {s.code for s in data.skills}
    ranks = {r.code for r in data.ranks}
    for shift in data.operation.shifts:
        assert shift.required >= 1
        for line in shift.demand:
            assert {n.skill for n in line.skills} <= skills
            assert line.min_rank is None or line.min_rank in ranks


def test_size_limits_are_clear_errors() -> None:
    with pytest.raises(DomainError, match="staff must be between 1 and 25000"):
        demo.DemoSize(staff=25_001)
    with pytest.raises(DomainError, match="sites must be at least one per city"):
        demo.DemoSize(cities=5, sites=3)


def test_load_writes_everything_and_refuses_a_second_time(db: Database) -> None:
    name = demo.load(db, SMALL)
    with db.unit_of_work() as uow:
        assert uow.staff.count() == 300
        assert uow.operations.get(name) == demo.build(SMALL).operation
    with pytest.raises(DomainError, match="already holds data"):
        demo.load(db, SMALL)


def test_command_line_prints_the_operation_name(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    code = cli(
        ["demo", "--db", url, "--staff", "120", "--days", "3", "--cities", "2", "--sites", "4", "--seed", "9"]
    )
    assert code == 0
    assert capsys.readouterr().out.strip() == demo.DemoSize(120, 3, 2, 4, 9).operation_name


def test_command_line_reports_bad_sizes_without_a_traceback(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = cli(["demo", "--db", f"sqlite:///{tmp_path / 'x.sqlite'}", "--staff", "0"])
    assert code == 2
    assert "staff must be between" in capsys.readouterr().err
