"""Command line: ``python -m deployer COMMAND ...`` for scripting every step without the GUI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from deployer.domain.errors import DomainError
from deployer.services import demo
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors a user can fix print as one line and exit 2."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except DomainError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
