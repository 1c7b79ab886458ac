"""Approval bundle and decision files: what travels between the planner's and the commander's laptops.

A bundle is one JSON file holding the plan, the whole problem it was checked against (register
extract, operation, rules, travel), the validator's findings and summary figures, and the digest
the commander's decision will sign. A decision is a small JSON file: the signed decision and its
Ed25519 signature. Reading either checks size and shape first, so a truncated, oversized or
crafted file is refused with a reason, never half-read.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deployer.domain.approval import Decision
from deployer.domain.codec import canonical, decode, encode
from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Plan

BUNDLE_FORMAT = "deployer-approval-bundle"
DECISION_FORMAT = "deployer-decision"
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
MAX_DECISION_BYTES = 64 * 1024


class FileRefused(Exception):
    """A bundle or decision file that cannot be used; the message says why."""


@dataclass(frozen=True)
class Bundle:
    plan_id: int
    digest: str
    plan: Plan
    problem: RosterProblem
    previous: Plan | None
    """The operation's last approved version, for the diff (None when there is none)."""
    findings: list[dict[str, Any]]
    summary: dict[str, Any]
    exported_by: str
    exported_at: str


@dataclass(frozen=True)
class SignedDecision:
    decision: Decision
    signature: str

    @property
    def payload(self) -> bytes:
        """The bytes the signature covers."""
        return canonical(self.decision)


def write_bundle(bundle: Bundle, path: Path) -> None:
    document = {"format": BUNDLE_FORMAT, "version": 1, **encode(bundle)}
    _write(path, json.dumps(document, ensure_ascii=False).encode())


def read_bundle(path: Path) -> Bundle:
    data = _read(path, BUNDLE_FORMAT, MAX_BUNDLE_BYTES)
    try:
        return decode(Bundle, data)  # type: ignore[no-any-return]
    except Exception as error:  # noqa: BLE001 - any shape error means the same to the user
        raise FileRefused(f"{path.name} is not a valid approval bundle ({error})") from None


def write_decision(signed: SignedDecision, path: Path) -> None:
    document = {"format": DECISION_FORMAT, "decision": encode(signed.decision), "signature": signed.signature}
    _write(path, json.dumps(document, indent=1, ensure_ascii=False).encode())


def read_decision(path: Path) -> SignedDecision:
    data = _read(path, DECISION_FORMAT, MAX_DECISION_BYTES)
    try:
        signature = data["signature"]
        if not isinstance(signature, str):
            raise ValueError("the signature is not text")
        return SignedDecision(decode(Decision, data["decision"]), signature)
    except Exception as error:  # noqa: BLE001
        raise FileRefused(f"{path.name} is not a valid decision file ({error})") from None


def _read(path: Path, expected: str, limit: int) -> dict[str, Any]:
    try:
        if not path.is_file():
            raise FileRefused(f"{path.name} is not a file")
        if path.stat().st_size > limit:
            raise FileRefused(f"{path.name} is larger than any {expected.replace('-', ' ')} file can be")
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileRefused:
        raise
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise FileRefused(f"{path.name} cannot be read (truncated or damaged?): {error}") from None
    if not isinstance(data, dict) or data.get("format") != expected:
        raise FileRefused(f"{path.name} is not a {expected.replace('-', ' ')} file")
    return data


def _write(path: Path, content: bytes) -> None:
    """Write beside ``path`` and rename into place: a failure never leaves half a file."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
