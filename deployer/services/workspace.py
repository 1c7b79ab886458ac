"""A plan opened for work: its problem, roster and breaches, with hand edits saved as they are made.

Every edit is written to the database in its own transaction before the roster in memory
changes, so there is never unsaved work to lose; the validator then checks what the edit
touched (see :func:`deployer.domain.validator.validate_change`).
"""

from __future__ import annotations

from datetime import date

from deployer.domain import roster_edits
from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Assignment, Plan, PlanStatus
from deployer.domain.roster_edits import RosterEdit
from deployer.domain.roster_figures import RosterFigures, roster_figures
from deployer.domain.validator import Breach, validate, validate_change
from deployer.services.rostering import load_problem
from deployer.store.database import Database


class Workspace:
    """One plan of an operation, open for reading and (when a draft) for hand edits."""

    def __init__(self, db: Database, plan_id: int, problem: RosterProblem, plan: Plan, revision: int) -> None:
        self.db = db
        self.plan_id = plan_id
        self.revision = revision
        """The plan's edit counter as this workspace knows it: another planner's edit raises it."""
        self.problem = problem
        self.plan = plan
        self.roster: dict[tuple[str, str], Assignment] = {
            (a.shift_key, a.service_number): a for a in plan.assignments
        }
        self.breaches: list[Breach] = validate(problem, plan.assignments)

    @classmethod
    def open(cls, db: Database, plan_id: int) -> Workspace:
        """Load plan ``plan_id`` with its operation's problem and check it."""
        with db.unit_of_work() as uow:
            plan = uow.plans.get(plan_id)
            problem = load_problem(uow, plan.operation)
            revision = uow.plans.revision(plan_id)
        return cls(db, plan_id, problem, plan, revision)

    @property
    def editable(self) -> bool:
        """Only drafts change; a submitted or decided plan needs a new version."""
        return self.plan.status == PlanStatus.DRAFT

    @property
    def assignments(self) -> list[Assignment]:
        return list(self.roster.values())

    def on_day(self, service_number: str, day: date) -> list[Assignment]:
        """The person's assignments of ``day``."""
        return roster_edits.on_day(self.problem, self.roster, service_number, day)

    def assign(self, service_number: str, shift_key: str) -> RosterEdit:
        """The edit putting a person on a shift (not yet applied)."""
        return roster_edits.assign(self.problem, self.roster, service_number, shift_key)

    def remove(self, service_number: str, day: date) -> RosterEdit:
        """The edit taking a person off ``day`` (not yet applied)."""
        return roster_edits.remove(self.problem, self.roster, service_number, day)

    def swap(self, first: str, second: str, day: date) -> RosterEdit:
        """The edit exchanging two people's shifts of ``day`` (not yet applied)."""
        return roster_edits.swap(self.problem, self.roster, first, second, day)

    def apply(self, edit: RosterEdit) -> list[Breach]:
        """Save ``edit`` to the plan, then apply it here; returns the breaches after it.

        An edit to a plan someone else has edited since it was opened here is refused with
        :class:`EditConflict` (nothing changes): reopen the plan to see theirs.
        """
        with self.db.unit_of_work() as uow:
            self.revision = uow.plans.edit(self.plan_id, edit.removed, edit.added, edit.text, self.revision)
        roster_edits.apply(self.roster, edit)
        self.breaches = validate_change(
            self.problem, self.roster.values(), self.breaches, edit.people, edit.shifts
        )
        return self.breaches

    def figures(self) -> RosterFigures:
        """Cover, travel, lodging, overtime, fatigue and hours of the roster as it now is."""
        return roster_figures(self.problem, self.assignments)
