"""Command line: ``python -m deployer COMMAND ...`` for scripting every step without the GUI."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from deployer.cli import approval, exchange
from deployer.domain.errors import DomainError
from deployer.services import curtois_bench, demo, recovery
from deployer.services.approval import FileRefused, KeyFileError
from deployer.services.imports import ImportRejected
from deployer.services.rostering import CHECKPOINT_EVERY, SolveParameters, check_plan, solve_operation
from deployer.store.database import Database

Command = Callable[[argparse.Namespace], int]


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="SQLAlchemy database URL (default: $DEPLOYER_DB or the user data file)",
    )


def _demo(args: argparse.Namespace) -> int:
    size = demo.DemoSize(
        staff=args.staff, days=args.days, cities=args.cities, sites=args.sites, seed=args.seed
    )
    db = Database(args.db)
    try:
        print(demo.load(db, size))
    finally:
        db.close()
    return 0


def _solve(args: argparse.Namespace) -> int:
    params = SolveParameters(
        time_limit=args.time_limit, workers=args.workers, seed=args.seed, hard_coverage=args.no_shortfall
    )
    db = Database(args.db)
    try:
        solved = solve_operation(
            db, args.operation, params, reroster_of=args.reroster, checkpoint_every=args.checkpoint_every
        )
    finally:
        db.close()
    result = solved.result
    summary = {
        "plan_id": solved.plan_id,
        "status": str(result.status),
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "wall_seconds": round(result.wall_seconds, 3),
        "assignments": len(result.assignments),
        "unfilled": result.unfilled,
        "changes": result.changes,
        "breakdown": result.breakdown,
        "explanation": list(result.explanation),
    }
    if args.json:
        print(json.dumps(summary))
    else:
        for key in (
            "plan_id",
            "status",
            "objective",
            "bound",
            "gap",
            "wall_seconds",
            "assignments",
            "unfilled",
            "changes",
        ):
            print(f"{key:>13}: {summary[key]}")
        for term, value in result.breakdown.items():
            print(f"{'':>13}  {term}: {value:g}")
        for line in result.explanation:
            print(f"  - {line}")
    return 0 if solved.plan_id is not None else 1


def _recover(args: argparse.Namespace) -> int:
    db = Database(args.db)
    try:
        if args.keep is not None:
            print(f"saved as plan {recovery.recover_solve(db, args.keep)}")
        elif args.discard is not None:
            recovery.discard_solve(db, args.discard)
            print(f"discarded {args.discard}")
        else:
            for c in recovery.interrupted_solves(db):
                print(f"{c.id}: {c.operation} · {c.started_by} · saved {c.saved_at:%Y-%m-%d %H:%M} UTC"
                      f" · objective {c.objective or 0:.1f} · {len(c.assignments)} assignments")  # fmt: skip
    finally:
        db.close()
    return 0


def _check(args: argparse.Namespace) -> int:
    db = Database(args.db)
    try:
        checked = check_plan(db, args.plan)
    finally:
        db.close()
    if args.json:
        print(
            json.dumps(
                {
                    "plan_id": args.plan,
                    "operation": checked.plan.operation,
                    "version": checked.plan.version,
                    "objective": checked.score.total,
                    "breaches": [
                        {
                            "rule": b.rule,
                            "message": b.message,
                            "service_number": b.service_number,
                            "shifts": list(b.shift_keys),
                            "day": b.day.isoformat() if b.day else None,
                            "amount": b.amount,
                            "soft": b.soft,
                            "shortfall": b.is_shortfall,
                        }
                        for b in checked.breaches
                    ],
                }
            )
        )
    else:
        print(
            f"plan {args.plan}: {checked.plan.operation} v{checked.plan.version}, "
            f"{len(checked.plan.assignments)} assignments, objective {checked.score.total:g}"
        )
        for b in checked.breaches:
            kind = "shortfall" if b.is_shortfall else ("soft" if b.soft else "BREACH")
            print(f"  [{kind}] {b.rule}: {b.message}")
        print(f"{len(checked.breaches)} findings")
    return 1 if checked.breaches else 0


def _bench_curtois(args: argparse.Namespace) -> int:
    params = SolveParameters(
        time_limit=args.time_limit, workers=args.workers, neighbourhoods=not args.cp_sat_only
    )
    print(f"machine pace: {curtois_bench.machine_pace():.1f} ms for a fixed Python loop (sum of a million)")
    print("| " + " | ".join(curtois_bench.HEADER) + " |")
    print("|" + "---|" * len(curtois_bench.HEADER), flush=True)
    rows = curtois_bench.run(
        Path(args.instances),
        params,
        Path(args.out) if args.out else None,
        only=set(args.only.split(",")) if args.only else None,
        report=lambda row: print(curtois_bench.format_row(row), flush=True),
        seeds=args.seeds,
    )
    spreads = curtois_bench.median_ratios(rows)
    if args.seeds > 1:
        for name, (median, low, high) in spreads.items():
            print(f"{name}: objective / best-known median {median:.4f}, lowest {low:.4f}, highest {high:.4f}")
    if spreads:
        medians = [median for median, _, _ in spreads.values()]
        print(
            f"geometric mean of {'median ' if args.seeds > 1 else ''}objective / best-known over "
            f"{len(medians)} instances: {math.prod(medians) ** (1 / len(medians)):.4f}"
        )
    return 0 if all(r.breaches == 0 and r.agrees for r in rows) else 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="deployer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("demo", help="fill an empty database with a generated demo")
    _add_db(p)
    p.add_argument("--staff", type=int, default=2000, help="people in the register (up to 25000)")
    p.add_argument("--days", type=int, default=14, help="length of the operation in days")
    p.add_argument("--cities", type=int, default=5, help="cities taking part")
    p.add_argument("--sites", type=int, default=20, help="sites across those cities")
    p.add_argument("--seed", type=int, default=1, help="random seed: same seed, same data")
    p.set_defaults(run=_demo)

    p = commands.add_parser("solve", help="build a roster for an operation and save it as a plan")
    _add_db(p)
    p.add_argument("--operation", required=True, help="operation name")
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds to search (default 60)")
    p.add_argument("--workers", type=int, default=2, help="search threads (default 2)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--reroster",
        type=int,
        metavar="PLAN_ID",
        help="re-roster: keep as much of this plan as the new facts allow",
    )
    p.add_argument(
        "--no-shortfall", action="store_true", help="treat unfilled demand as infeasible and explain it"
    )
    p.add_argument(
        "--checkpoint-every",
        type=float,
        default=CHECKPOINT_EVERY,
        metavar="SECONDS",
        help=f"save the best roster so far this often, for `recover` after a crash ({CHECKPOINT_EVERY:g})",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=_solve)

    p = commands.add_parser(
        "recover", help="list solves killed before saving, or keep one's roster as a plan"
    )
    _add_db(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--keep", type=int, metavar="ID", help="save this interrupted solve's roster as a plan"
    )
    which.add_argument("--discard", type=int, metavar="ID", help="forget this interrupted solve's roster")
    p.set_defaults(run=_recover)

    p = commands.add_parser("check", help="validate a saved plan; exit 1 when anything is found")
    _add_db(p)
    p.add_argument("--plan", type=int, required=True, help="plan id")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=_check)

    bench = commands.add_parser("bench", help="benchmarks").add_subparsers(dest="benchmark", required=True)
    p = bench.add_parser("curtois", help="solve Curtois & Qu instances and compare with best-known values")
    p.add_argument("--instances", required=True, metavar="DIR", help="folder of Instance*.txt files")
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance (default 60)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--out", metavar="DIR", help="write each roster as InstanceN.roster")
    p.add_argument(
        "--seeds", type=int, default=1, help="runs per instance, seeds 0, 1, ...: medians and spread"
    )
    p.add_argument(
        "--only", metavar="NAMES", help="comma-separated instance names, e.g. Instance7,Instance10"
    )
    p.add_argument(
        "--cp-sat-only",
        action="store_true",
        help="no neighbourhood search: CP-SAT on the whole model throughout",
    )
    p.set_defaults(run=_bench_curtois)
    exchange.add_commands(commands, _add_db)
    approval.add_commands(commands, _add_db)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors a user can fix print as one line and exit 2."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except DomainError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (FileRefused, KeyFileError) as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    except ImportRejected as rejected:
        print(f"error: nothing imported; {len(rejected.problems)} problem(s):", file=sys.stderr)
        for problem in rejected.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except OSError as error:  # a file that cannot be written: disk full, no permission, no folder
        print(f"error: {error.filename or 'a file'}: {error.strerror or error}", file=sys.stderr)
        return 2
