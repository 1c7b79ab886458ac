"""The main window opens on a database, shows the register and filters it as the user types."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from deployer.services import demo
from deployer.store.database import Database
from deployer.ui import app as app_module
from deployer.ui.main_window import MainWindow


@pytest.fixture
def demo_db(tmp_path) -> Database:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    demo.load(db, demo.DemoSize(staff=400, days=3, cities=2, sites=4, seed=3))
    yield db
    db.close()


def test_window_shows_the_register_and_operation(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.register_loaded, timeout=10_000):
        window.show()
    assert window.staff_proxy.rowCount() == 400
    assert window.operations.names.count() == 1
    assert "400 staff" in window.status.text()


def test_typing_in_the_search_box_filters_on_every_word(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.register_loaded, timeout=10_000):
        window.show()
    qtbot.keyClicks(window.search, "SGT")
    sergeants = window.staff_proxy.rowCount()
    assert 0 < sergeants < 400
    for row in range(sergeants):
        source = window.staff_proxy.mapToSource(window.staff_proxy.index(row, 0)).row()
        assert window.staff_model.person(source).rank == "SGT"
    qtbot.keyClicks(window.search, " PO")
    assert window.staff_proxy.rowCount() <= sergeants
    qtbot.keyClick(window.search, Qt.Key.Key_Backspace)
    qtbot.keyClick(window.search, Qt.Key.Key_Backspace)
    qtbot.keyClick(window.search, Qt.Key.Key_Backspace)
    assert window.search.text() == "SGT" and window.staff_proxy.rowCount() == sergeants, (
        "deleting widens again"
    )
    window.search.clear()
    assert window.staff_proxy.rowCount() == 400


def test_demo_start_creates_and_opens_the_demo_database(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[MainWindow] = []
    small = demo.DemoSize(staff=50, days=2, cities=1, sites=1)
    monkeypatch.setattr(demo, "DemoSize", lambda: small)
    monkeypatch.setattr(app_module.QApplication, "exec", lambda self: 0)
    monkeypatch.setattr(app_module.MainWindow, "show", lambda self: shown.append(self))
    assert app_module.main(["--demo"]) == 0
    window = shown[0]
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.staff_proxy.rowCount() == 50, timeout=10_000)
