"""The whole approval flow from the command line, as planner and commander would script it."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from deployer.cli import main as cli
from deployer.domain.roster import PlanStatus
from deployer.services import demo
from deployer.services.approval import new_version
from deployer.services.exports import roster_sheet
from deployer.services.rostering import SolveParameters, solve_operation
from deployer.store.database import Database

SIZE = demo.DemoSize(staff=120, days=2, cities=2, sites=2, seed=5)
PASS = "correct horse battery"


@pytest.fixture
def office(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """A solved demo plan, a registered commander and planner, and their key files."""
    monkeypatch.setenv("DEPLOYER_PASSPHRASE", PASS)
    demo.load(db, SIZE)
    plan_id = solve_operation(db, SIZE.operation_name, SolveParameters(time_limit=2)).plan_id
    keys = {}
    for name, role in (("Cmdr Ada", "commander"), ("Plnr Bo", "planner")):
        key = tmp_path / f"{role}.key"
        assert cli(["keys", "new", "--name", name, "--role", role, "--out", str(key)]) == 0
        assert cli(["keys", "register", f"{key}.pub", "--db", db.url]) == 0
        keys[role] = key
    return {"db": db, "plan": plan_id, "keys": keys, "dir": tmp_path}


def status(db: Database, plan_id: int) -> PlanStatus:
    with db.unit_of_work() as uow:
        return uow.plans.get(plan_id).status


def submit_and_export(office: dict, name: str = "bundle.json") -> Path:  # type: ignore[type-arg]
    db, plan_id, folder = office["db"], office["plan"], office["dir"]
    if status(db, plan_id) is PlanStatus.DRAFT:
        assert cli(["plan", "submit", "--db", db.url, "--plan", str(plan_id)]) == 0
    bundle = folder / name
    assert cli(["approval", "export", "--db", db.url, "--plan", str(plan_id), "--out", str(bundle)]) == 0
    return bundle


def decide(
    office: dict, bundle: Path, *flags: str, key: str = "commander", out: str = "decision.json"
) -> Path:  # type: ignore[type-arg]
    decision = office["dir"] / out
    code = cli(
        ["approval", "decide", str(bundle), "--key", str(office["keys"][key]), *flags, "--out", str(decision)]
    )
    assert code == 0
    return decision


def test_submit_review_approve_import(office: dict, capsys) -> None:  # type: ignore[no-untyped-def, type-arg]
    db, plan_id = office["db"], office["plan"]
    key_mode = stat.S_IMODE(os.stat(office["keys"]["commander"]).st_mode)
    assert key_mode == 0o600
    bundle = submit_and_export(office)
    capsys.readouterr()
    assert cli(["approval", "review", str(bundle)]) == 0
    review = capsys.readouterr().out
    assert f"REVIEW of {SIZE.operation_name} v1" in review and "rule breaches" in review
    decision = decide(office, bundle, "--approve", "--comment", "Good to go")
    assert cli(["approval", "import", str(decision), "--db", db.url]) == 0
    assert status(db, plan_id) is PlanStatus.APPROVED
    assert cli(["audit", "verify", "--db", db.url]) == 0
    sheet = roster_sheet(db, plan_id)
    assert sheet.status == "approved" and sheet.approval.startswith("approved by Cmdr Ada on ")
    assert sheet.approval.endswith("signature verified — Good to go")
    with db.unit_of_work() as uow:
        actions = [(e.action, e.entity) for e in uow.audit.entries()]
    assert ("accept decision", "approval") in actions and ("status", "plan") in actions


def test_rejection_needs_a_comment_and_is_recorded(office: dict, capsys) -> None:  # type: ignore[no-untyped-def, type-arg]
    bundle = submit_and_export(office)
    code = cli(["approval", "decide", str(bundle), "--key", str(office["keys"]["commander"]), "--reject",
                "--out", str(office["dir"] / "d.json")])  # fmt: skip
    assert code == 2 and "comment is required" in capsys.readouterr().err
    decision = decide(office, bundle, "--reject", "--comment", "Too few sergeants at night")
    assert cli(["approval", "import", str(decision), "--db", office["db"].url]) == 0
    assert status(office["db"], office["plan"]) is PlanStatus.REJECTED


def refused(office: dict, decision: Path, capsys) -> str:  # type: ignore[no-untyped-def, type-arg]
    capsys.readouterr()
    assert cli(["approval", "import", str(decision), "--db", office["db"].url]) == 1
    return capsys.readouterr().err


def test_edited_decision_is_refused(office: dict, capsys) -> None:  # type: ignore[no-untyped-def, type-arg]
    decision = decide(office, submit_and_export(office), "--reject", "--comment", "No")
    data = json.loads(decision.read_text())
    data["decision"]["verdict"] = "approve"
    decision.write_text(json.dumps(data))
    assert "signature does not verify" in refused(office, decision, capsys)
    assert status(office["db"], office["plan"]) is PlanStatus.SUBMITTED


def test_edited_bundle_cannot_be_decided_and_its_decision_would_not_match(office: dict, capsys) -> None:  # type: ignore[no-untyped-def, type-arg]
    bundle = submit_and_export(office)
    data = json.loads(bundle.read_text())
    data["plan"]["assignments"] = data["plan"]["assignments"][1:]
    bundle.write_text(json.dumps(data))
    capsys.readouterr()
    assert cli(["approval", "review", str(bundle)]) == 1
    assert "TAMPERED: the plan, its shifts or its rules do not match" in capsys.readouterr().out
    code = cli(["approval", "decide", str(bundle), "--key", str(office["keys"]["commander"]), "--approve",
                "--out", str(office["dir"] / "d.json")])  # fmt: skip
    assert code == 2 and "was edited after export" in capsys.readouterr().err
    # Even with the digest recomputed to hide the edit, the stored plan does not match it.
    from deployer.domain.approval import plan_digest
    from deployer.domain.codec import decode
    from deployer.interchange.bundle import Bundle

    forged = decode(Bundle, {k: v for k, v in data.items() if k not in ("format", "version")})
    data["digest"] = plan_digest(forged.plan, forged.problem.operation)
    data["findings"] = []
    data["summary"] = {}
    bundle.write_text(json.dumps(data))
    from deployer.services.approval import review_bundle

    review = review_bundle(bundle)
    data["findings"], data["summary"] = review.findings, review.summary
    bundle.write_text(json.dumps(data))
    decision = decide(office, bundle, "--approve")
    assert "signed content does not match" in refused(office, decision, capsys)


def test_planner_key_unknown_key_other_version_and_replay(office: dict, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def, type-arg]
    db = office["db"]
    bundle = submit_and_export(office)
    capsys.readouterr()
    code = cli(["approval", "decide", str(bundle), "--key", str(office["keys"]["planner"]), "--approve",
                "--out", str(tmp_path / "p.json")])  # fmt: skip
    assert code == 2 and "only a commander can decide" in capsys.readouterr().err

    stranger = tmp_path / "stranger.key"
    assert cli(["keys", "new", "--name", "Cmdr Eve", "--role", "commander", "--out", str(stranger)]) == 0
    office["keys"]["stranger"] = stranger
    unknown = decide(office, bundle, "--approve", key="stranger", out="unknown.json")
    assert "not registered" in refused(office, unknown, capsys)

    good = decide(office, bundle, "--approve", out="good.json")
    other = json.loads(good.read_text())
    other["decision"]["plan_id"] = 999
    (tmp_path / "other.json").write_text(json.dumps(other))
    assert "signature does not verify" in refused(office, tmp_path / "other.json", capsys)

    assert cli(["approval", "import", str(good), "--db", db.url]) == 0
    assert "imported before" in refused(office, good, capsys)
    with db.unit_of_work() as uow:
        outcomes = [e.action for e in uow.audit.entries("approval")]
    assert outcomes.count("refuse decision") == 3 and outcomes.count("accept decision") == 1


def test_a_later_approval_supersedes_and_decisions_for_old_versions_fail(office: dict, capsys) -> None:  # type: ignore[no-untyped-def, type-arg]
    db = office["db"]
    first = decide(office, submit_and_export(office), "--approve", out="first.json")
    assert cli(["approval", "import", str(first), "--db", db.url]) == 0
    second_id = solve_operation(db, SIZE.operation_name, SolveParameters(time_limit=2)).plan_id
    office2 = dict(office, plan=second_id)
    bundle = submit_and_export(office2, "second.json")
    capsys.readouterr()
    assert cli(["approval", "review", str(bundle)]) == 0
    assert "since approved v1" in capsys.readouterr().out
    second = decide(office2, bundle, "--approve", out="second-decision.json")
    assert cli(["approval", "import", str(second), "--db", db.url]) == 0
    assert status(db, office["plan"]) is PlanStatus.SUPERSEDED
    assert status(db, second_id) is PlanStatus.APPROVED


def test_approved_plans_cannot_be_changed_even_by_direct_sql(office: dict) -> None:  # type: ignore[type-arg]
    db, plan_id = office["db"], office["plan"]
    decision = decide(office, submit_and_export(office), "--approve")
    assert cli(["approval", "import", str(decision), "--db", db.url]) == 0
    with db.unit_of_work() as uow:
        before = uow.plans.get(plan_id)
    for statement in (
        "UPDATE plans SET note = 'edited' WHERE id = :id",
        "UPDATE plans SET status = 'draft' WHERE id = :id",
        "DELETE FROM plans WHERE id = :id",
        "DELETE FROM assignments WHERE plan_id = :id",
        "UPDATE assignments SET line = line + 1 WHERE plan_id = :id",
        "INSERT INTO assignments (plan_id, shift_id, staff_id, line, pinned) "
        "SELECT plan_id, shift_id, (SELECT MAX(id) FROM staff), 0, false FROM assignments "
        "WHERE plan_id = :id LIMIT 1",
    ):
        with pytest.raises(Exception, match="plan is frozen|status cannot change"):
            with db.engine.begin() as connection:
                connection.execute(text(statement), {"id": plan_id})
    with db.unit_of_work() as uow:
        assert uow.plans.get(plan_id) == before
    draft = new_version(db, plan_id)
    with db.unit_of_work() as uow:
        copy = uow.plans.get(draft)
    assert copy.status is PlanStatus.DRAFT and copy.assignments == before.assignments


def test_audit_tampering_is_detected(office: dict, capsys) -> None:  # type: ignore[no-untyped-def, type-arg]
    db = office["db"]
    assert cli(["audit", "verify", "--db", db.url]) == 0
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"))
    capsys.readouterr()
    assert cli(["audit", "verify", "--db", db.url]) == 1
    out = capsys.readouterr().out
    assert "BROKEN: entry 2" in out and "was altered" in out and "chain broken" in out
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    with db.unit_of_work() as uow:
        problems = uow.audit.verify()
    assert any("entries 3 to 3 are missing" in p for p in problems)
    with db.engine.begin() as connection:
        last = connection.execute(text("SELECT MAX(seq) FROM audit_log")).scalar()
        connection.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": last})
    with db.unit_of_work() as uow:
        problems = uow.audit.verify()
    assert any("removed from the end" in p for p in problems)
