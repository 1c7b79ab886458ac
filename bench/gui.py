"""GUI speed at full scale: register, search, roster grid, and the event loop during a solve.

Usage: python bench/gui.py [--register 25000] [--roster 4000] [--days 29] [--time-limit 60]

Runs offscreen unless QT_QPA_PLATFORM says otherwise. Prints, in seconds or milliseconds:
- register: read 25,000 people from SQLite, fill the table model, first paint of the window;
- search: each keystroke of a typed name, the filter over every row (ms);
- roster grid: 4,000 people x 29 days shown and painted; scrolling page by page (worst page, ms);
- solve: the longest wait of a 10 ms timer while the 4,000-person operation is solved (ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from deployer.services import demo  # noqa: E402
from deployer.services.register import load_register  # noqa: E402
from deployer.services.workspace import Workspace  # noqa: E402
from deployer.store.database import Database  # noqa: E402
from deployer.ui.app import responsive_threads  # noqa: E402
from deployer.ui.main_window import MainWindow  # noqa: E402
from deployer.ui.roster_grid_model import RosterGrid  # noqa: E402
from deployer.ui.roster_workspace import RosterWorkspace  # noqa: E402


def settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def bench_register(app: QApplication, folder: Path, staff: int) -> None:
    db = Database(f"sqlite:///{folder / 'register.sqlite'}")
    demo.load(db, demo.DemoSize(staff=staff, days=2, cities=5, sites=10))
    started = time.perf_counter()
    load_register(db)
    read = time.perf_counter() - started
    loaded: list[float] = []
    started = time.perf_counter()
    window = MainWindow(db, QSettings(str(folder / "gui.ini"), QSettings.Format.IniFormat))
    window.register_loaded.connect(lambda: loaded.append(time.perf_counter() - started))
    window.show()
    first = None
    while not loaded:
        app.processEvents()
        if first is None and window.staff_model.rowCount():
            settle(app)
            first = time.perf_counter() - started
        time.sleep(0.001)
    settle(app)
    first = first if first is not None else loaded[0]
    print(
        f"register  {staff:,} staff: window opened to first people shown {first:.2f} s, to the whole "
        f"register shown {loaded[0]:.2f} s (reading all of it alone: {read:.2f} s)"
    )
    times = []
    typed = ""
    for letter in "smith":
        typed += letter
        started = time.perf_counter()
        window.search.setText(typed)
        settle(app)
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"search    keystrokes 's','sm',…,'smith': {', '.join(f'{t:.0f}' for t in times)} ms "
        f"(worst {max(times):.0f} ms; {window.staff_proxy.rowCount():,} rows left)"
    )
    window.close()
    db.close()


def bench_roster(app: QApplication, folder: Path, staff: int, days: int, limit: float) -> None:
    size = demo.DemoSize(staff=staff, days=days, cities=5, sites=40)
    db = Database(f"sqlite:///{folder / 'roster.sqlite'}")
    demo.load(db, size)
    gaps: list[tuple[float, float]] = []  # (wait in ms, seconds since the start when it ended)
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(((now - last[0]) * 1000, now - started))
        last[0] = now

    probe = QTimer(interval=10)
    probe.timeout.connect(tick)
    window = MainWindow(db, QSettings(str(folder / "gui2.ini"), QSettings.Format.IniFormat))
    window.show()
    panel = window.solve_panel
    while not panel.start_button.isEnabled():  # the register and operations load in the background
        app.processEvents()
        time.sleep(0.01)
    panel.time_limit.setValue(int(limit))
    outcome: list = []

    def solved(result: object) -> None:
        outcome.append(result)
        solved_at.append(time.perf_counter() - started)

    solved_at: list[float] = []

    panel.solved.connect(solved)
    started = time.perf_counter()
    last[0] = started
    probe.start()
    panel.start()
    while not outcome or window.workspace.workspace is not outcome[0].workspace:
        app.processEvents()  # until the new plan is in the grid
        time.sleep(0.001)
    settle(app)
    probe.stop()
    solve_wall = time.perf_counter() - started
    search_seconds = outcome[0].solved.result.wall_seconds
    during = sorted(g for g, at in gaps if at <= solved_at[0])
    worst_at = max((g, at) for g, at in gaps if at <= solved_at[0])[1]
    shown = max(g for g, at in gaps if at > solved_at[0])
    print(
        f"solve     {staff:,} staff x {days} days: until the solve ended ({solved_at[0]:.0f} s, search "
        f"{search_seconds:.1f} s, then saved by the solving process and read and checked by the window) "
        f"the event loop waited median {statistics.median(during):.0f} ms, p99 "
        f"{during[int(len(during) * 0.99)]:.0f} ms, worst {during[-1]:.0f} ms at {worst_at:.1f} s over "
        f"{len(during):,} ticks; showing the new plan then took the loop {shown:.0f} ms "
        f"({solve_wall:.0f} s in all)"
    )
    plan_id = outcome[0].solved.plan_id
    window.close()
    workspace = Workspace.open(db, plan_id)
    view = RosterWorkspace(db)
    view.resize(1500, 900)
    view.show()
    settle(app)
    started = time.perf_counter()
    laid_out = RosterGrid(workspace.problem, workspace.assignments, workspace.breaches)
    layout_seconds = time.perf_counter() - started
    started = time.perf_counter()
    view._show(workspace, laid_out)
    settle(app)
    opened = time.perf_counter() - started
    print(
        f"grid      {staff:,} people x {days} days ({len(workspace.roster):,} assignments): laid out in "
        f"{layout_seconds:.2f} s (background thread), shown and painted {opened:.2f} s"
    )
    grid: QTableView = view.grid
    bar = grid.verticalScrollBar()
    pages = []
    for value in range(0, bar.maximum(), max(1, bar.pageStep())):
        started = time.perf_counter()
        bar.setValue(value)
        grid.viewport().repaint()
        pages.append((time.perf_counter() - started) * 1000)
    print(
        f"scroll    {len(pages)} pages: median {statistics.median(pages):.1f} ms, worst {max(pages):.1f} ms"
    )
    started = time.perf_counter()
    edit = workspace.remove(
        *next(
            (a.service_number, workspace.problem.operation.shift(a.shift_key).day)
            for a in workspace.assignments
        )
    )
    view.make(lambda: edit)
    settle(app)
    print(
        f"edit      remove a shift, save, re-check, repaint: {(time.perf_counter() - started) * 1000:.0f} ms"
    )
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--register", type=int, default=25_000)
    parser.add_argument("--roster", type=int, default=4_000)
    parser.add_argument("--days", type=int, default=29)
    parser.add_argument("--time-limit", type=float, default=60)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    responsive_threads()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp
        bench_register(app, Path(tmp), args.register)
        bench_roster(app, Path(tmp), args.roster, args.days, args.time_limit)


if __name__ == "__main__":
    main()
