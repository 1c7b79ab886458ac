"""The one error type the domain raises, so callers can show the user what to fix."""


class DomainError(ValueError):
    """Invalid data, naming the record and the field so a planner can find and fix it."""

    def __init__(self, record: str, field: str, problem: str) -> None:
        self.record = record
        self.field = field
        self.problem = problem
        super().__init__(f"{record}: {field} {problem}")


def require(condition: bool, record: str, field: str, problem: str) -> None:
    """Raise :class:`DomainError` unless ``condition`` holds."""
    if not condition:
        raise DomainError(record, field, problem)


class EditConflict(DomainError):
    """Someone else saved the record after it was read here: this save was refused, nothing changed.

    ``by``, ``at`` and ``what`` say who changed it, when and what they changed, so the planner can
    reload and redo their change knowingly instead of overwriting the other one.
    """

    def __init__(self, record: str, by: str, at: str, what: str) -> None:
        self.by, self.at, self.what = by, at, what
        changed = f"{by} changed it at {at}" + (f" ({what})" if what else "")
        super().__init__(
            record,
            "was changed by someone else since you opened it:",
            f"{changed}. Your change was not saved; reload to see theirs and make it again.",
        )
