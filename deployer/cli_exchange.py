"""Command line for files: ``import KIND FILE`` and ``export --plan ID --format ...``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from deployer.services.imports import ImportKind, apply_import, preview_import
from deployer.store.database import Database


def _import(args: argparse.Namespace) -> int:
    db = Database(args.db)
    try:
        preview = preview_import(db, ImportKind(args.kind), Path(args.file), args.sheet)
        if args.dry_run:
            print(f"{preview.path.name}: would import {preview.changes.summary()} (nothing saved)")
        else:
            print(apply_import(db, preview))
    finally:
        db.close()
    return 0


def add_commands(commands: Any, add_db: Any) -> None:
    """Register the exchange sub-commands on the main parser's sub-parsers."""
    p = commands.add_parser(
        "import", help="import staff, skills or leave from CSV/XLSX (all or nothing; exit 2 listing problems)"
    )
    p.add_argument("kind", choices=[k.value for k in ImportKind], help="what the file holds")
    p.add_argument("file", help=".csv or .xlsx file (templates in resources/templates)")
    add_db(p)
    p.add_argument("--sheet", help="read only this sheet of a workbook (default: every sheet)")
    p.add_argument("--dry-run", action="store_true", help="check and show what would change; save nothing")
    p.set_defaults(run=_import)
