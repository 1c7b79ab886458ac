"""Games-scale rostering benchmark: generated operations of growing size, solved as a planner would.

Usage: python bench/games.py [--sizes 1000,4000,8000] [--days 29] [--cities 5] [--sites 40]
                             [--time-limit 120] [--checkpoints 30,120] [--workers 2]

Each size runs in its own process (so peak memory is that size's alone) and prints one row:
staff, shifts, demand (person-shifts), model size (demand lines, and candidate assignments: the
person-line pairs left once qualification, leave and reach have ruled the rest out, one boolean
each in a whole-operation model), search mode, time to the first validated roster, objective at
each checkpoint, final objective, bound and gap (where the search has one), unfilled demand,
hard breaches found by the validator (must be 0), and peak memory (taken before the model size
is counted, which the solve did not need).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from deployer.domain.validator import hard_breaches, validate
from deployer.services import demo
from deployer.solver.candidates import Candidates
from deployer.solver.engine import Progress, SolveParameters, solve


def run_one(staff: int, args: argparse.Namespace) -> dict:
    size = demo.DemoSize(staff=staff, days=args.days, cities=args.cities, sites=args.sites, seed=args.seed)
    problem = demo.build(size).problem()
    params = SolveParameters(time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    history: list[Progress] = []
    started = time.perf_counter()
    result = solve(problem, params, on_progress=history.append)
    wall = time.perf_counter() - started
    checkpoints = {}
    for mark in args.checkpoints:
        reached = [p.objective for p in history if p.elapsed <= mark]
        checkpoints[f"obj@{mark:g}s"] = round(reached[-1], 1) if reached else None
    full = staff * len(problem.operation.shifts) <= params.full_model_limit
    breaches = len(hard_breaches(validate(problem, result.assignments)))
    peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return {
        "staff": staff,
        "shifts": len(problem.operation.shifts),
        "demand": sum(s.required for s in problem.operation.shifts),
        "lines": sum(len(s.demand) for s in problem.operation.shifts),
        "candidates": Candidates(problem, people=[]).count(),
        "mode": "full model" if full else "neighbourhoods",
        "first_s": round(history[0].elapsed, 1) if history else None,
        **checkpoints,
        "objective": round(result.objective, 1) if result.objective is not None else None,
        "bound": round(result.bound, 1) if result.bound is not None else None,
        "gap": round(result.gap, 4) if result.gap is not None else None,
        "unfilled": result.unfilled,
        "hard_breaches": breaches,
        "wall_s": round(wall, 1),
        "peak_mb": peak_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,4000,8000")
    parser.add_argument("--days", type=int, default=29)
    parser.add_argument("--cities", type=int, default=5)
    parser.add_argument("--sites", type=int, default=40)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--checkpoints", default="30,120")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.checkpoints = [float(c) for c in args.checkpoints.split(",")]
    if args.one:
        print(json.dumps(run_one(args.one, args)))
        return
    rows = []
    for staff in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, __file__, "--one", str(staff)] + [
            a for a in sys.argv[1:] if not a.startswith("--sizes") and a != args.sizes
        ]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    headers = list(rows[0])
    print()
    print("| " + " | ".join(headers) + " |")
    print("|" + "---|" * len(headers))
    for row in rows:
        print("| " + " | ".join("-" if row[h] is None else str(row[h]) for h in headers) + " |")


if __name__ == "__main__":
    main()
