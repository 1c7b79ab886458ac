"""The register as a planner uses it: filter by field, edit a person, add a skill to the catalogue."""

from __future__ import annotations

import pytest

from deployer.services import demo
from deployer.ui.main_window import MainWindow


@pytest.fixture
def window(demo_window) -> MainWindow:  # type: ignore[no-untyped-def]
    return demo_window(demo.DemoSize(staff=300, days=2, cities=2, sites=2, seed=2))


def _shown(window: MainWindow) -> list:  # type: ignore[type-arg]
    proxy = window.staff_proxy
    return [
        window.staff_model.person(proxy.mapToSource(proxy.index(r, 0)).row()) for r in range(proxy.rowCount())
    ]


def test_field_filters_combine_with_the_search(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = window.register
    panel.rank.setCurrentIndex(panel.rank.findData("SGT"))
    sergeants = _shown(window)
    assert sergeants and all(p.rank == "SGT" for p in sergeants)
    panel.skill.setCurrentIndex(panel.skill.findData("PO"))
    assert all("PO" in {q.skill for q in p.qualifications} for p in _shown(window))
    assert len(_shown(window)) <= len(sergeants)
    assert panel.shown.text() == f"{len(_shown(window))} of 300 shown"
    panel.rank.setCurrentIndex(0)
    panel.skill.setCurrentIndex(0)
    panel.expiring.setChecked(True)
    panel.days.setValue(365)
    soon = _shown(window)
    limit = window.staff_proxy.today.toordinal() + 365
    assert all(any(q.expires and q.expires.toordinal() <= limit for q in p.qualifications) for p in soon)
    assert len(soon) < 300


def test_editing_a_person_checks_every_field_and_saves_only_good_input(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    person = window.staff_model.person(0)
    dialog = window.register.edit_person(0)
    dialog.family_name.setText("Nguyen-Smith")
    dialog.skills.add_row(("FA", "1", "31/12/2027"))
    dialog.save()
    assert "Skills row" in dialog.error.text() and "YYYY-MM-DD" in dialog.error.text()
    assert dialog.isVisible(), "a refused save keeps the dialog and what was typed"
    with window.db.unit_of_work() as uow:
        assert uow.staff.get(person.service_number).family_name == person.family_name
    dialog.skills.remove_row(len(dialog.skills.rows) - 1)
    dialog.leave.add_row(("2027-03-09", "2027-03-08", "leave", ""))
    dialog.save()
    assert "ends (2027-03-08) before it starts" in dialog.error.text()
    dialog.leave.set_rows([("2027-03-08", "2027-03-10", "leave", "family")])
    with qtbot.waitSignal(window.register_loaded, timeout=10_000):
        dialog.save()
    assert not dialog.isVisible()
    with window.db.unit_of_work() as uow:
        saved = uow.staff.get(person.service_number)
    assert saved.family_name == "Nguyen-Smith" and saved.absences[0].note == "family"
    qtbot.keyClicks(window.search, "Nguyen-Smith")
    assert [p.service_number for p in _shown(window)] == [person.service_number]


def test_a_new_person_cannot_take_a_service_number_in_use(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    taken = window.staff_model.person(0).service_number
    dialog = window.register.new_person()
    dialog.service_number.setText(taken)
    dialog.family_name.setText("Doe")
    dialog.save()
    assert "already in the register" in dialog.error.text()
    dialog.service_number.setText("NEW-1")
    with qtbot.waitSignal(window.register_loaded, timeout=10_000):
        dialog.save()
    assert window.staff_model.rowCount() == 301


def test_the_skills_catalogue_takes_a_new_skill_and_keeps_codes(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = window.register.edit_skills()
    dialog.model.add_row(("DRONE", "Drone pilot", "aviation", "maybe", "2"))
    dialog.save()
    assert "should be yes or no" in dialog.error.text()
    dialog.model.setData(dialog.model.index(len(dialog.model.rows) - 1, 3), "yes")
    first = dialog.model.rows[0][0]
    dialog.model.setData(dialog.model.index(0, 0), "RENAMED")
    dialog.save()
    assert "cannot be changed" in dialog.error.text()
    dialog.model.setData(dialog.model.index(0, 0), first)
    with qtbot.waitSignal(window.register_loaded, timeout=10_000):
        dialog.save()
    with window.db.unit_of_work() as uow:
        drone = uow.catalogue.load().skills["DRONE"]
    assert drone.expires and drone.max_level == 2
    assert window.register.skill.findData("DRONE") >= 0


def test_a_big_register_shows_its_first_page_while_the_rest_is_read(  # type: ignore[no-untyped-def]
    qtbot, demo_window, monkeypatch
) -> None:
    monkeypatch.setattr("deployer.ui.main_window.FIRST_PAGE", 50)
    window = demo_window(demo.DemoSize(staff=300, days=2, cities=2, sites=2, seed=2))
    sizes: list[int] = []
    window.staff_model.modelReset.connect(lambda: sizes.append(window.staff_model.rowCount()))
    with qtbot.waitSignal(window.register_loaded, timeout=10_000):
        window.reload()
    assert sizes == [50, 300]
    numbers = [window.staff_model.person(r).service_number for r in range(300)]
    assert sorted(numbers) == sorted({*numbers}), "nobody twice"
