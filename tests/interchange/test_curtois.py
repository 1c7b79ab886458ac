"""Curtois & Qu instances: read into ordinary problems, solved, and checked independently."""

from __future__ import annotations

from pathlib import Path

import pytest

from deployer.cli import main
from deployer.domain.errors import DomainError
from deployer.domain.problem import SolveStatus
from deployer.domain.scoring import score
from deployer.domain.validator import hard_breaches, validate
from deployer.interchange.curtois import read_instance, roster_text
from deployer.solver.engine import SolveParameters, solve

SHARED = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "curtois"
needs_instances = pytest.mark.skipif(
    not SHARED.exists(), reason="shared/benchmarks/curtois is not beside the repo"
)


@needs_instances
@pytest.mark.parametrize("number", [1, 2, 3])
def test_small_instances_solve_valid_and_the_objectives_agree(number: int) -> None:
    instance = read_instance(SHARED / f"Instance{number}.txt")
    result = solve(instance.problem, SolveParameters(time_limit=5))
    assert hard_breaches(validate(instance.problem, result.assignments)) == []
    assert result.objective == score(instance.problem, result.assignments).total
    assert result.bound is not None and result.bound <= result.objective


@needs_instances
def test_instance_1_reaches_its_proven_optimum_of_607() -> None:
    instance = read_instance(SHARED / "Instance1.txt")
    # The benchmark's 60 s: CP-SAT's first phase (3 % of it, after the responses) proves it and
    # the solve ends there, in a second or two.
    result = solve(instance.problem, SolveParameters(time_limit=60))
    assert result.objective == 607
    assert result.status is SolveStatus.OPTIMAL


@needs_instances
def test_the_bench_command_prints_the_machine_pace_a_row_and_the_mean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The benchmark's table is read against the machine it ran on, so it starts with its pace."""
    code = main(["bench", "curtois", "--instances", str(SHARED), "--only", "Instance1", "--time-limit", "3"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    pace = float(lines[0].split(":")[1].split("ms")[0])
    assert lines[0].startswith("machine pace:") and pace > 0
    assert lines[3].startswith("| Instance1 | 8 | 14 |") and lines[3].endswith("| 0 | yes | 0 |")
    assert lines[4].startswith("geometric mean of objective / best-known over 1 instances:")


@needs_instances
def test_the_bench_command_runs_each_instance_once_per_seed_and_gives_the_median(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        [
            "bench",
            "curtois",
            "--instances",
            str(SHARED),
            "--only",
            "Instance2",
            "--time-limit",
            "2",
            "--seeds",
            "3",
        ]
    )
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    runs = [line for line in lines if line.startswith("| Instance2 |")]
    assert [line.rsplit("|", 2)[1].strip() for line in runs] == ["0", "1", "2"]
    ratios = sorted(float(line.split("|")[5]) / 828 for line in runs)
    median = float(
        next(line for line in lines if line.startswith("Instance2:")).split("median ")[1].split(",")[0]
    )
    assert median == pytest.approx(ratios[1], abs=1e-4)
    assert lines[-1].startswith("geometric mean of median objective / best-known over 1 instances:")


@needs_instances
def test_every_rule_of_the_format_is_read() -> None:
    p = read_instance(SHARED / "Instance3.txt").problem
    a = p.person("A").limits
    assert (a.max_consecutive_days, a.min_consecutive_days, a.min_consecutive_days_off) == (5, 2, 2)
    assert a.max_total_minutes and a.min_total_minutes and a.max_weekends is not None
    assert p.operation.policy.forbidden_successions
    assert len(p.operation.shifts) == 14 * 3
    assert all(
        line.under_cost == 100 and line.over_cost == 1 for s in p.operation.shifts for line in s.demand
    )
    assert any(person.absences for person in p.staff) and p.requests


def test_roster_file_has_one_line_per_employee_in_order(tmp_path: Path) -> None:
    path = tmp_path / "Instance0.txt"
    path.write_text(
        "SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\n\nSECTION_STAFF\n"
        "B,D=7,4000,0,7,1,1,2\nA,D=7,4000,0,7,1,1,2\n\nSECTION_DAYS_OFF\nA,3\n\n"
        "SECTION_SHIFT_ON_REQUESTS\n\nSECTION_SHIFT_OFF_REQUESTS\n\nSECTION_COVER\n"
        + "".join(f"{d},D,1,100,1\n" for d in range(7))
    )
    instance = read_instance(path)
    result = solve(instance.problem, SolveParameters(time_limit=5))
    lines = roster_text(instance, result.assignments).splitlines()
    assert [line.split("\t")[0] for line in lines] == ["B", "A"]
    assert all(len(line.split("\t")) == 8 for line in lines)
    assert lines[1].split("\t")[4] == "-"  # A's day off (day 3)
    assert result.objective == 0


def test_malformed_number_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "Bad.txt"
    path.write_text("SECTION_HORIZON\nseven\n")
    with pytest.raises(DomainError, match="Bad.txt horizon: value 'seven' is not a whole number"):
        read_instance(path)


def test_an_instance_without_a_roster_shows_no_breaches_and_no_agreement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """B must work 2,400 minutes but may take two 480-minute shifts: no roster can exist. The table
    must not count the missing roster's breaches as if a roster had them, and the command still
    fails (an instance without a roster misses the benchmark's first target)."""
    (tmp_path / "Instance0.txt").write_text(
        "SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\n\nSECTION_STAFF\n"
        "A,D=7,4000,0,7,1,1,2\nB,D=2,4000,2400,7,1,1,2\n\n"
        "SECTION_COVER\n" + "".join(f"{d},D,1,100,1\n" for d in range(7))
    )
    code = main(["bench", "curtois", "--instances", str(tmp_path), "--time-limit", "5"])
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("| Instance0 |"))
    assert code == 1
    assert "| infeasible |" in row and row.endswith("| - | - | 0 |")
