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
