"""Take the README's screenshot: the main window with a solved demo roster, in a real X window.

Run under Xvfb (or any X display) from the repository root:
    Xvfb :99 -screen 0 1600x1000x24 &
    DISPLAY=:99 .venv/bin/python docs/screenshots/take.py docs/screenshots/main-window.png
It builds the demo in a temporary folder, solves it for 30 s, opens a person's timeline and
saves what the screen shows.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from deployer.services.databases import fill_demo_if_empty
from deployer.store.database import Database
from deployer.ui.main_window import MainWindow


def main(out: Path) -> int:
    folder = Path(tempfile.mkdtemp(prefix="deployer-shot-"))
    os.environ["XDG_CONFIG_HOME"] = str(folder)
    app = QApplication(sys.argv[:1])
    db = Database(f"sqlite:///{folder / 'demo.sqlite'}")
    fill_demo_if_empty(db)
    window = MainWindow(db, QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1580, 960)
    window.move(0, 0)
    window.show()
    window.solve_panel.time_limit.setValue(30)

    def shown(workspace: object) -> None:
        if workspace is None or not window.solve_panel.summary.text():
            return  # not yet the solved plan
        grid = window.workspace.grid
        model = grid.model()
        busy = next(r for r in range(model.rowCount()) if float(model.index(r, 2).data() or 0) >= 80)
        QTimer.singleShot(1000, lambda: grid.setCurrentIndex(model.index(busy, 6)))
        QTimer.singleShot(4000, shoot)

    def shoot() -> None:
        app.primaryScreen().grabWindow(0).save(str(out))
        print(f"saved {out}")
        app.quit()

    window.register_loaded.connect(lambda: QTimer.singleShot(1000, window.solve_panel.start))
    window.workspace.plan_opened.connect(shown)
    code = app.exec()
    db.close()
    return code


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "main-window.png")))
