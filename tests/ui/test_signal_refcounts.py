"""Delivering signals to Python slots must not leak or drop references.

PySide6 6.12.0 drops a reference to None on each slot call; on Python 3.11 the application then
aborts after a few thousand signals (a solve's progress, a timer). This pins that down.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer


def test_a_thousand_slot_calls_leave_none_alone(qapp) -> None:  # type: ignore[no-untyped-def]
    calls = []
    timer = QTimer(interval=0)
    timer.timeout.connect(lambda: calls.append(1))
    timer.start()
    QCoreApplication.processEvents()
    before = sys.getrefcount(None)
    while len(calls) < 1000:
        QCoreApplication.processEvents()
    timer.stop()
    after = sys.getrefcount(None)
    assert abs(after - before) < 50, f"None's reference count went from {before} to {after}"
