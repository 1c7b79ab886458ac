"""Solving Curtois & Qu benchmark instances and comparing with the published best-known values."""

from __future__ import annotations

import csv
import math
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from deployer.domain.scoring import score
from deployer.domain.validator import hard_breaches, validate
from deployer.interchange.curtois import Instance, read_instance, roster_text
from deployer.solver.engine import SolveParameters, solve


@dataclass(frozen=True)
class BenchRow:
    """One instance's figures."""

    instance: str
    staff: int
    days: int
    status: str
    objective: float | None
    bound: float | None
    best_known: float | None
    wall_seconds: float
    breaches: int | None
    """Hard breaches the validator finds in the roster (None: the engine gave no roster)."""
    agrees: bool | None
    """The validator's independent objective equals the solver's (None: no roster)."""
    seed: int = 0

    @property
    def gap_to_best(self) -> float | None:
        if self.objective is None or not self.best_known:
            return None
        return (self.objective - self.best_known) / self.best_known


def machine_pace() -> float:
    """Milliseconds this machine takes for a fixed pure-Python loop (best of five): figures from
    machines of the same kind differ threefold (Curtois Instance 23's first roster: 5 s on one,
    20 s on another), so a table is read against its machine's pace."""
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        sum(range(1_000_000))
        best = min(best, time.perf_counter() - start)
    return 1000 * best


def instance_files(folder: Path) -> list[Path]:
    """``Instance*.txt`` files in numeric order."""
    files = folder.glob("Instance*.txt")
    return sorted(files, key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))


def best_known(folder: Path) -> dict[str, float]:
    """Best-known objective values from ``best_known.csv`` beside the instances, when present."""
    path = folder / "best_known.csv"
    if not path.exists():
        return {}
    with path.open(newline="") as handle:
        return {row["instance"]: float(row["best_known_upper_bound"]) for row in csv.DictReader(handle)}


def run(
    folder: Path,
    params: SolveParameters,
    out: Path | None = None,
    report: Callable[[BenchRow], None] | None = None,
    only: set[str] | None = None,
    seeds: int = 1,
) -> list[BenchRow]:
    """Solve every instance in ``folder`` (or those named in ``only``) ``seeds`` times, from seed
    ``params.seed`` on (single runs of the same code spread by 15-30 % on the harder instances);
    write the rosters of the last run to ``out``."""
    known = best_known(folder)
    rows = []
    instances = (read_instance(p) for p in instance_files(folder) if only is None or p.stem in only)
    for instance in instances:
        for seed in range(params.seed, params.seed + seeds):
            rows.append(_run_once(instance, replace(params, seed=seed), known, out))
            if report is not None:
                report(rows[-1])
    return rows


def _run_once(
    instance: Instance, params: SolveParameters, known: dict[str, float], out: Path | None
) -> BenchRow:
    """One solve of ``instance``, checked by the validator and the scorer; its roster written to ``out``."""
    result = solve(instance.problem, params)
    breaches: int | None = None
    agrees: bool | None = None
    if result.objective is not None:  # a roster to check (an infeasible instance has none)
        breaches = len(hard_breaches(validate(instance.problem, result.assignments)))
        agrees = abs(score(instance.problem, result.assignments).total - result.objective) < 1e-6
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{instance.name}.roster").write_text(roster_text(instance, result.assignments))
    return BenchRow(
        instance=instance.name,
        staff=len(instance.problem.staff),
        days=instance.days,
        status=str(result.status),
        objective=result.objective,
        bound=result.bound,
        best_known=known.get(instance.name),
        wall_seconds=result.wall_seconds,
        breaches=breaches,
        agrees=agrees,
        seed=params.seed,
    )


HEADER = (
    "instance",
    "staff",
    "days",
    "status",
    "objective",
    "bound",
    "best-known",
    "gap",
    "seconds",
    "breaches",
    "agrees",
    "seed",
)


def format_row(row: BenchRow) -> str:
    """A markdown table row."""

    def number(value: float | None) -> str:
        return "-" if value is None else f"{value:g}"

    gap = "-" if row.gap_to_best is None else f"{100 * row.gap_to_best:.2f} %"
    cells = (
        row.instance,
        str(row.staff),
        str(row.days),
        row.status,
        number(row.objective),
        number(row.bound),
        number(row.best_known),
        gap,
        f"{row.wall_seconds:.1f}",
        "-" if row.breaches is None else str(row.breaches),
        "-" if row.agrees is None else "yes" if row.agrees else "NO",
        str(row.seed),
    )
    return "| " + " | ".join(cells) + " |"


def median_ratios(rows: list[BenchRow]) -> dict[str, tuple[float, float, float]]:
    """Per instance with a best-known value: the median, lowest and highest objective / best-known
    over its runs."""
    ratios: dict[str, list[float]] = {}
    for r in rows:
        if r.objective is not None and r.best_known:
            ratios.setdefault(r.instance, []).append(r.objective / r.best_known)
    return {name: (statistics.median(v), min(v), max(v)) for name, v in ratios.items()}
