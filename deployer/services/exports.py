"""Exporting a saved plan: the roster as CSV, Excel, PDF or iCalendar."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from deployer.domain.roster_lines import coverage_lines, roster_lines
from deployer.interchange.roster_export import RosterSheet, write_csv, write_ics, write_xlsx
from deployer.interchange.roster_pdf import write_pdf
from deployer.services.resources import RESOURCES
from deployer.services.rostering import load_problem
from deployer.store.database import Database
from deployer.store.repositories.plans import PlanSummary


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    PDF = "pdf"
    ICS = "ics"


def list_plans(db: Database) -> list[PlanSummary]:
    """Every saved plan, for choosing one to export."""
    with db.unit_of_work() as uow:
        return uow.plans.list()


def roster_sheet(db: Database, plan_id: int) -> RosterSheet:
    """The plan's roster lines and coverage, read in one transaction."""
    with db.unit_of_work() as uow:
        plan = uow.plans.get(plan_id)
        problem = load_problem(uow, plan.operation)
        decided = uow.approvals.accepted(plan_id)
    return RosterSheet(
        operation=plan.operation,
        version=plan.version,
        status=str(plan.status),
        note=plan.note,
        timezone=problem.operation.timezone,
        days=tuple(problem.operation.days),
        lines=tuple(roster_lines(problem, plan.assignments)),
        coverage=tuple(coverage_lines(problem, plan.assignments)),
        approval=decided,
    )


def export_plan(
    db: Database,
    plan_id: int,
    fmt: ExportFormat,
    out: Path,
    *,
    person: str | None = None,
    site: str | None = None,
) -> str:
    """Write plan ``plan_id`` to ``out``; ``person`` or ``site`` narrow a calendar. Returns a summary.

    The file is written beside ``out`` first and renamed into place, so a failed export never
    leaves half a file where the old one was.
    """
    sheet = roster_sheet(db, plan_id)
    partial = out.with_name(out.name + ".partial")
    try:
        if fmt is ExportFormat.CSV:
            write_csv(sheet, partial)
            detail = f"{len(sheet.lines)} assignments"
        elif fmt is ExportFormat.XLSX:
            write_xlsx(sheet, partial)
            detail = f"{len(sheet.lines)} assignments"
        elif fmt is ExportFormat.PDF:
            detail = f"{write_pdf(sheet, partial, RESOURCES / 'fonts')} pages"
        else:
            detail = f"{write_ics(sheet, partial, person, site)} events"
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return f"{out.name}: {sheet.title}, {detail}"
