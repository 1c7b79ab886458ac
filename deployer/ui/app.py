"""Starting the desktop application."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from deployer.services.databases import demo_database_url, fill_demo_if_empty
from deployer.store.database import Database, default_database_url
from deployer.ui.main_window import MainWindow
from deployer.ui.review_window import ReviewWindow


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="deployer-gui", description="Deployer desktop application")
    parser.add_argument("--db", metavar="URL", help="database URL (default: the last one used)")
    parser.add_argument(
        "--demo", action="store_true", help="open the demo database, creating it on first run"
    )
    parser.add_argument(
        "--review", metavar="BUNDLE", help="commander's review mode: open an approval bundle, no database"
    )
    return parser.parse_args(argv)


#: How often a Python thread holding the GIL hands it over, in seconds (Python's default: 0.005).
#: Painting calls into Python once per cell; with a background worker busy in Python each call
#: can wait a whole interval, so a shorter one keeps the GUI smooth while the solver works.
GIL_SWITCH_SECONDS = 0.001


def responsive_threads() -> None:
    """Let the GUI thread get the GIL back quickly from background workers."""
    sys.setswitchinterval(GIL_SWITCH_SECONDS)


def main(argv: Sequence[str] | None = None) -> int:
    """Open the main window on the chosen database; returns the exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    responsive_threads()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Deployer")
    app.setApplicationName("Deployer")
    settings = QSettings()
    if args.review:
        return _review(app, Path(args.review))
    url = args.db or (demo_database_url() if args.demo else None)
    url = url or str(settings.value("database/last_url", "")) or default_database_url()
    try:
        db = Database(url)
        if args.demo:
            fill_demo_if_empty(db)
    except Exception as error:  # noqa: BLE001 - the user must see why the app cannot start
        QMessageBox.critical(None, "Deployer", f"Cannot open the database {url}:\n{error}")
        return 1
    settings.setValue("database/last_url", url)
    window = MainWindow(db, settings)
    window.show()
    code = app.exec()
    db.close()
    return code


def _review(app: QCoreApplication, bundle: Path) -> int:
    """Review mode: the bundle alone, no database opened."""
    try:
        window = ReviewWindow(bundle)
    except Exception as error:  # noqa: BLE001 - a refused bundle says why
        QMessageBox.critical(None, "Deployer", f"Cannot open {bundle.name}:\n{error}")
        return 1
    window.show()
    return app.exec()
