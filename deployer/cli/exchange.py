"""Command line for files: ``import KIND FILE`` and ``export --plan ID --format ...``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from deployer.services.exports import ExportFormat, export_plan
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


def _export(args: argparse.Namespace) -> int:
    db = Database(args.db)
    try:
        print(
            export_plan(
                db, args.plan, ExportFormat(args.format), Path(args.out), person=args.person, site=args.site
            )
        )
    finally:
        db.close()
    return 0


def add_commands(commands: Any, add_db: Any) -> None:
    """Register the exchange sub-commands on the main parser's sub-parsers."""
    p = commands.add_parser(
        "import",
        help="import register, places or demand from CSV/XLSX (all or nothing; exit 2 listing problems)",
    )
    p.add_argument("kind", choices=[k.value for k in ImportKind], help="what the file holds")
    p.add_argument("file", help=".csv or .xlsx file (templates in resources/templates)")
    add_db(p)
    p.add_argument("--sheet", help="read only this sheet of a workbook (default: every sheet)")
    p.add_argument("--dry-run", action="store_true", help="check and show what would change; save nothing")
    p.set_defaults(run=_import)

    p = commands.add_parser("export", help="write a saved plan's roster as xlsx, csv, pdf or ics")
    add_db(p)
    p.add_argument("--plan", type=int, required=True, help="plan id")
    p.add_argument("--format", required=True, choices=[f.value for f in ExportFormat])
    p.add_argument("--out", required=True, metavar="PATH", help="file to write")
    p.add_argument("--person", metavar="SERVICE_NUMBER", help="ics: only this person's shifts")
    p.add_argument("--site", metavar="CODE", help="ics: only this site's team")
    p.set_defaults(run=_export)
