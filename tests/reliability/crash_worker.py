"""A process for the crash tests to kill: it saves plan after plan, saying which ones committed.

``python -m tests.reliability.crash_worker URL OPERATION`` saves draft plans of OPERATION, each
with every person on one shift a day, in a transaction of its own, and prints
``committed <version> <assignments>`` once each commit has returned.
"""

from __future__ import annotations

import itertools
import sys

from deployer.domain.roster import Assignment, Plan
from deployer.store.database import Database


def save_plans_forever(url: str, operation: str) -> None:
    db = Database(url, actor="crash-worker", migrate=False)
    with db.unit_of_work() as uow:
        op = uow.operations.get(operation)
        people = [p.service_number for p in uow.staff.all()]
        first = uow.plans.next_version(operation)
    by_day: dict[object, list[str]] = {}
    for shift in op.shifts:
        by_day.setdefault(shift.day, []).append(shift.key)
    roster = tuple(
        Assignment(keys[i % len(keys)], number) for keys in by_day.values() for i, number in enumerate(people)
    )
    for version in itertools.count(first):
        with db.unit_of_work() as uow:
            uow.plans.add(Plan(operation, version, roster))
        print(f"committed {version} {len(roster)}", flush=True)


if __name__ == "__main__":
    save_plans_forever(sys.argv[1], sys.argv[2])
