"""GUI tests fail, rather than hang, if the code under test opens a modal message box."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from deployer.services import demo
from deployer.store.database import Database
from deployer.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _no_modal_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a modal message box was opened: {args[2:3]}")

    for name in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, refuse)


@pytest.fixture
def demo_window(qtbot, tmp_path: Path) -> Iterator[Callable[[demo.DemoSize], MainWindow]]:  # type: ignore[no-untyped-def]
    """Opens the main window on a fresh demo database of the size asked, register loaded."""
    databases: list[Database] = []

    def open_window(size: demo.DemoSize) -> MainWindow:
        db = Database(f"sqlite:///{tmp_path / 'demo.sqlite'}")
        databases.append(db)
        demo.load(db, size)
        window = MainWindow(db)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.register_loaded, timeout=10_000):
            window.show()
        return window

    yield open_window
    for db in databases:
        db.close()
