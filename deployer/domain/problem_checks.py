"""Checks on a roster problem before any solving: bad input gets a clear error, not a solver status."""

from __future__ import annotations

from deployer.domain.errors import DomainError
from deployer.domain.problem import RosterProblem


def problem_errors(problem: RosterProblem) -> list[DomainError]:
    """Everything wrong with the problem's data, each naming the record and field."""
    op, catalogue = problem.operation, problem.catalogue
    errors: list[DomainError] = []
    name = f"operation {op.name!r}"
    if not problem.staff:
        errors.append(DomainError(name, "staff", "is empty: there is nobody to roster"))
    if not op.shifts:
        errors.append(DomainError(name, "shifts", "are empty: the operation has no shifts to roster"))
    elif not any(s.required for s in op.shifts):
        errors.append(DomainError(name, "demand", "is zero on every shift: there is nothing to roster"))
    locations = problem.travel.locations
    for site in op.sites:
        if site not in locations:
            errors.append(DomainError(name, "site", f"{site!r} is not a known location"))
    for shift in op.shifts:
        for i, line in enumerate(shift.demand, start=1):
            record = f"shift {shift.key} demand line {i}"
            if line.min_rank and line.min_rank not in catalogue.ranks:
                errors.append(
                    DomainError(record, "minimum rank", f"{line.min_rank!r} is not in the rank list")
                )
            for need in line.skills:
                if need.skill not in catalogue.skills:
                    errors.append(
                        DomainError(record, "skill", f"{need.skill!r} is not in the skills catalogue")
                    )
            for agency in line.agencies:
                if agency not in catalogue.agencies:
                    errors.append(DomainError(record, "agency", f"{agency!r} is not a known agency"))
    for person in problem.staff:
        if person.home_station not in locations:
            errors.append(
                DomainError(
                    f"staff {person.service_number}",
                    "home station",
                    f"{person.home_station!r} is not a known location",
                )
            )
    return errors


def check_problem(problem: RosterProblem) -> None:
    """Raise the first problem found, mentioning how many more there are."""
    errors = problem_errors(problem)
    if not errors:
        return
    first = errors[0]
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    raise DomainError(first.record, first.field, first.problem + more)
