"""Hostile text for names and notes, and a register whose people carry it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from deployer.domain.staff import Absence, AbsenceKind
from deployer.services import demo
from deployer.services.register import load_register, save_person
from deployer.store.database import Database

HOSTILE = [
    "Robert'); DROP TABLE staff;--",
    "<b>Bold</b><script>alert(1)</script>",
    '=HYPERLINK("http://evil","click")',
    "+61 400 000 000",
    "-1+2",
    "@SUM(A1:A9)",
    "\tTabbed",
    'O\'Brien & Sons "quoted"',
    "Zoë 名前 \u202eevil",
]
SIZE = demo.DemoSize(staff=60, days=2, cities=2, sites=2, seed=13)


def hostile_people(db: Database) -> dict[str, tuple[str, str]]:
    """Give the first people hostile names (and one a hostile leave note); returns number -> names."""
    snapshot = load_register(db)
    named = {}
    for person, text in zip(snapshot.staff, HOSTILE, strict=False):
        note = Absence(date(2030, 1, 1), date(2030, 1, 2), AbsenceKind.LEAVE, text)
        changed = replace(person, given_name=text, family_name=text[::-1], absences=(*person.absences, note))
        save_person(db, changed, new=False, based_on=snapshot.versions[person.service_number])
        named[person.service_number] = (changed.given_name, changed.family_name)
    return named
