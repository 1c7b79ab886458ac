"""Running long work off the GUI thread, reporting back by signals."""

from __future__ import annotations

import gc
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class WorkerSignals(QObject):
    """Signals of a :class:`Worker`; they live on a QObject because QRunnable cannot emit."""

    started = Signal()
    progress = Signal(object)
    returned = Signal(object)
    errored = Signal(str, str)
    failed = Signal(object)
    """The exception itself, for callers that show some kinds differently."""
    finished = Signal()


class Worker(QRunnable):
    """Runs ``task(report, cancelled)`` in the thread pool.

    ``report(value)`` emits ``progress``; ``cancelled()`` tells the task to stop early.
    """

    def __init__(self, task: Callable[[Callable[[Any], None], Callable[[], bool]], Any]) -> None:
        super().__init__()
        self.task = task
        self.signals = WorkerSignals()
        self._cancel = threading.Event()
        self.setAutoDelete(False)

    def cancel(self) -> None:
        """Ask the task to stop at its next check."""
        self._cancel.set()

    def run(self) -> None:
        self.signals.started.emit()
        try:
            result = self.task(self.signals.progress.emit, self._cancel.is_set)
        except Exception as error:  # noqa: BLE001 - reported to the user, not swallowed
            self.signals.failed.emit(error)
            self.signals.errored.emit(str(error), traceback.format_exc())
        else:
            self.signals.returned.emit(result)
        finally:
            self.signals.finished.emit()


def start(worker: Worker) -> Worker:
    """Queue ``worker`` on the global thread pool and return it."""
    QThreadPool.globalInstance().start(worker)
    return worker


def keep_long_lived() -> None:
    """Leave what is loaded now (a register, an open plan) out of Python's full collections.

    A full collection walks every live object and holds the GIL while it does: with 25,000
    people loaded it paused the GUI for a few hundred milliseconds at random keystrokes. These
    records hold no reference cycles, so they are still freed when the window lets go of them.
    """
    gc.freeze()


_paused = 0
_paused_lock = threading.Lock()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Build long-lived data (a register, an opened plan) with Python's cycle collector paused.

    Opening a 4,000-person plan allocates millions of objects, and the collector answered with
    one full collection after another (100-200 ms each, holding the GIL: the window froze). With
    it paused, what was built is frozen as it stands (it lives on anyway) and the collector
    resumes. The few cyclic leftovers frozen with it (under a hundred objects per plan) are not
    worth a collection. Nested and concurrent uses resume the collector when the last one ends.
    """
    global _paused
    with _paused_lock:
        _paused += 1
        gc.disable()
    try:
        yield
    finally:
        with _paused_lock:
            _paused -= 1
            gc.freeze()
            if not _paused:
                gc.enable()
