"""Approval bundles, decision files and key files that are truncated, oversized, crafted, replayed or
reached through path tricks: each is refused with a reason, never half-read, and nothing changes."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from deployer.domain.approval import Role, Verdict
from deployer.domain.roster import PlanStatus
from deployer.interchange import bundle as bundle_files
from deployer.interchange.bundle import FileRefused, read_bundle, read_decision
from deployer.interchange.signing import KeyFileError, load_key, new_key, public_path, read_public
from deployer.services import demo
from deployer.services.approval import (
    DecisionRefused,
    decide,
    export_bundle,
    import_decision,
    register_key,
    submit_plan,
)
from deployer.services.rostering import SolveParameters, solve_operation
from deployer.store.database import Database

SIZE = demo.DemoSize(staff=40, days=2, cities=2, sites=2, seed=6)
PASS = "correct horse battery"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A submitted plan, its bundle, a commander's key and a valid decision file."""
    folder = tmp_path_factory.mktemp("approval")
    db = Database(f"sqlite:///{folder / 'office.sqlite'}")
    demo.load(db, SIZE)
    plan_id = solve_operation(db, SIZE.operation_name, SolveParameters(time_limit=2, workers=1)).plan_id
    assert plan_id is not None
    submit_plan(db, plan_id)
    key = folder / "commander.key"
    new_key("Cmdr Ada", Role.COMMANDER, PASS, key)
    register_key(db, public_path(key))
    bundle = folder / "bundle.json"
    export_bundle(db, plan_id, bundle)
    decision = folder / "decision.json"
    decide(bundle, key, PASS, Verdict.APPROVE, "", decision)
    yield {"db": db, "plan": plan_id, "key": key, "bundle": bundle, "decision": decision, "dir": folder}
    db.close()


def _status(office: dict[str, Any]) -> PlanStatus:
    with office["db"].unit_of_work() as uow:
        return uow.plans.get(office["plan"]).status


def _mutate(data: Any, draw: st.DrawFn) -> Any:
    """``data`` (parsed JSON) with one value somewhere replaced by a value of another kind."""
    if isinstance(data, dict) and data:
        key = draw(st.sampled_from(sorted(data)))
        return {**data, key: _mutate(data[key], draw)}
    if isinstance(data, list) and data:
        at = draw(st.integers(0, len(data) - 1))
        return [*data[:at], _mutate(data[at], draw), *data[at + 1 :]]
    other = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)
    )
    return draw(st.one_of(other, st.lists(st.integers(), max_size=3), st.just({})))


def _damaged_copy(original: Path, crafted: Path, data: st.DataObject) -> Path:
    """``original`` cut short at any byte, or with one value replaced by another kind of value."""
    content = original.read_bytes()
    if data.draw(st.booleans()):
        crafted.write_bytes(content[: data.draw(st.integers(0, len(content) - 1))])
    else:
        document = json.loads(content)
        mutated = _mutate(document, data.draw)
        assume(mutated != document)  # a value replaced by an equal one leaves the genuine file
        crafted.write_text(json.dumps(mutated))
    return crafted


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_truncated_or_crafted_decisions_are_refused_and_change_nothing(
    office: dict[str, Any], tmp_path: Path, data: st.DataObject
) -> None:
    crafted = _damaged_copy(office["decision"], tmp_path / "crafted.json", data)
    with pytest.raises(DecisionRefused):
        import_decision(office["db"], crafted)
    assert _status(office) is PlanStatus.SUBMITTED


@settings(max_examples=max(10, settings.default.max_examples // 4), suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(data=st.data())
def test_truncated_or_crafted_bundles_are_refused_or_flagged(
    office: dict[str, Any], tmp_path: Path, data: st.DataObject
) -> None:
    crafted = _damaged_copy(office["bundle"], tmp_path / "crafted.json", data)
    try:
        decide(crafted, office["key"], PASS, Verdict.APPROVE, "", tmp_path / "d.json")
    except (FileRefused, KeyFileError, ValueError):
        return  # refused with a reason (DomainError is a ValueError)
    # A bundle still decidable after the change was changed only where nothing is signed:
    assert read_bundle(crafted).digest == read_bundle(office["bundle"]).digest


def test_a_replayed_decision_is_refused(office: dict[str, Any], tmp_path: Path) -> None:
    twin = tmp_path / "again.json"
    twin.write_bytes(office["decision"].read_bytes())
    import_decision(office["db"], office["decision"])
    assert _status(office) is PlanStatus.APPROVED
    with pytest.raises(DecisionRefused, match="imported before"):
        import_decision(office["db"], twin)
    assert _status(office) is PlanStatus.APPROVED


def test_oversized_deeply_nested_and_odd_paths_are_refused(
    office: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 50_000 + "]" * 50_000)
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    endless = tmp_path / "endless.json"
    endless.symlink_to("/dev/zero")
    for odd in (deep, fifo, endless, tmp_path, tmp_path / "missing.json", tmp_path / ".." / "missing.json"):
        with pytest.raises(FileRefused):
            read_decision(odd)
        with pytest.raises(FileRefused):
            read_bundle(odd)
        with pytest.raises(KeyFileError):
            load_key(odd, PASS)
        with pytest.raises(KeyFileError):
            read_public(odd)
    monkeypatch.setattr(bundle_files, "MAX_DECISION_BYTES", 100)
    with pytest.raises(FileRefused, match="larger than"):
        read_decision(office["decision"])
    monkeypatch.setattr(bundle_files, "MAX_BUNDLE_BYTES", 100)
    with pytest.raises(FileRefused, match="larger than"):
        read_bundle(office["bundle"])


def test_key_files_are_private_to_their_owner_and_never_overwritten(tmp_path: Path) -> None:
    key = tmp_path / "mine.key"
    new_key("Cmdr Ada", Role.COMMANDER, PASS, key)
    assert key.stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        new_key("Cmdr Eve", Role.COMMANDER, PASS, key)
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        load_key(key, "guess")
