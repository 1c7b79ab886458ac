"""Time the demo generator and the register round trip at increasing sizes.

Usage: python bench/demo_load.py [--sizes 2000,10000,25000] [--db-dir DIR]
Prints, per size: generate (s), write (s), read register (s), read operation (s).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from deployer.services import demo
from deployer.store.database import Database


def measure(staff: int, folder: Path) -> tuple[float, float, float, float]:
    size = demo.DemoSize(staff=staff, days=29, cities=5, sites=40)
    started = time.perf_counter()
    data = demo.build(size)
    generated = time.perf_counter() - started
    db = Database(f"sqlite:///{folder / f'demo-{staff}.sqlite'}")
    started = time.perf_counter()
    with db.unit_of_work() as uow:
        uow.catalogue.add(data.agencies, data.ranks, data.skills)
        uow.locations.add_many(data.locations)
        uow.staff.add_many(data.staff)
        uow.operations.add(data.operation)
    written = time.perf_counter() - started
    started = time.perf_counter()
    with db.unit_of_work() as uow:
        assert len(uow.staff.all()) == staff
    read_staff = time.perf_counter() - started
    started = time.perf_counter()
    with db.unit_of_work() as uow:
        uow.operations.get(size.operation_name)
    read_operation = time.perf_counter() - started
    db.close()
    return generated, written, read_staff, read_operation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,10000,25000")
    args = parser.parse_args()
    print(f"{'staff':>7} {'generate s':>11} {'write s':>8} {'read staff s':>13} {'read op s':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for staff in (int(s) for s in args.sizes.split(",")):
            g, w, r, o = measure(staff, Path(folder))
            print(f"{staff:>7} {g:>11.2f} {w:>8.2f} {r:>13.2f} {o:>10.2f}")


if __name__ == "__main__":
    main()
