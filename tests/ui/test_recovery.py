"""The window offers back the best roster of a solve that was killed before saving its plan."""

from __future__ import annotations

import socket
import subprocess
import sys

from deployer.domain.roster import Assignment
from deployer.services import demo
from deployer.ui.main_window import MainWindow

SIZE = demo.DemoSize(staff=40, days=2, cities=2, sites=2, seed=5)


def _leave_checkpoint(window: MainWindow) -> tuple[Assignment, ...]:
    """A checkpoint as a killed solve leaves it: a roster, and a process id no longer running."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with window.db.unit_of_work() as uow:
        op = uow.operations.get(SIZE.operation_name)
        roster = (Assignment(op.shifts[0].key, uow.staff.all()[0].service_number),)
        checkpoint = uow.checkpoints.start(SIZE.operation_name, "planner", socket.gethostname(), gone.pid)
        uow.checkpoints.save(checkpoint, 123.0, roster)
    return roster


def test_recover_an_interrupted_solve_as_a_draft_plan(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    window = demo_window(SIZE)
    panel = window.solve_panel
    assert not panel.recovery.isVisible()
    roster = _leave_checkpoint(window)
    window.reload()
    qtbot.waitUntil(panel.recovery.isVisible)
    assert "objective 123" in panel.recovery_text.text() and "1 assignments" in panel.recovery_text.text()
    with qtbot.waitSignal(window.workspace.plan_opened, timeout=10_000) as opened:
        panel.recover()
    assert tuple(opened.args[0].assignments) == roster
    assert opened.args[0].plan.note.startswith("Recovered")
    assert not panel.recovery.isVisible()
