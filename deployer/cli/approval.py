"""Command line for keys, plan submission, approval bundles and decisions, and the audit trail."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from deployer.domain.approval import Role, Verdict, plan_diff
from deployer.services import approval
from deployer.store.database import Database

PASSPHRASE_VARIABLE = "DEPLOYER_PASSPHRASE"


def _passphrase(args: argparse.Namespace, confirm: bool = False) -> str:
    """From --passphrase-file, else $DEPLOYER_PASSPHRASE, else asked without echo."""
    if args.passphrase_file:
        return Path(args.passphrase_file).read_text(encoding="utf-8").rstrip("\r\n")
    if value := os.environ.get(PASSPHRASE_VARIABLE):
        return value
    first = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("Again: ") != first:
        raise SystemExit("error: the passphrases differ")
    return first


def _keys_new(args: argparse.Namespace) -> int:
    public = approval.new_key(args.name, Role(args.role), _passphrase(args, confirm=True), Path(args.out))
    print(f"{args.out}: private key of {public.name} ({public.role}), readable by you only")
    print(f"{args.out}.pub: public key to register; fingerprint {public.fingerprint}")
    return 0


def _keys_register(args: argparse.Namespace) -> int:
    with _db(args) as db:
        key = approval.register_key(db, Path(args.public))
    print(f"registered {key.name} ({key.role}), fingerprint {key.fingerprint}")
    return 0


def _submit(args: argparse.Namespace) -> int:
    with _db(args) as db:
        plan = approval.submit_plan(db, args.plan)
    print(f"plan {args.plan}: {plan.operation} v{plan.version} is {plan.status}; it can no longer change")
    return 0


def _diff(args: argparse.Namespace) -> int:
    with _db(args) as db, db.unit_of_work() as uow:
        older, newer = uow.plans.get(args.plan[0]), uow.plans.get(args.plan[1])
    _print_diff(plan_diff(older, newer), f"v{older.version} → v{newer.version}")
    return 0


def _print_diff(diff: Any, title: str) -> None:
    print(f"changes {title}: {len(diff.added)} assignments added, {len(diff.removed)} removed, "
          f"{len(diff.moved)} people affected")  # fmt: skip
    for a in diff.removed:
        print(f"  - {a.service_number} off {a.shift_key}")
    for a in diff.added:
        print(f"  + {a.service_number} on {a.shift_key}")
    for key, before, after in diff.coverage:
        print(f"  coverage {key}: {before} → {after}")


def _export(args: argparse.Namespace) -> int:
    with _db(args) as db:
        bundle = approval.export_bundle(db, args.plan, Path(args.out))
    print(f"{args.out}: {bundle.plan.operation} v{bundle.plan.version}, digest {bundle.digest[:16]}…")
    return 0


def _review(args: argparse.Namespace) -> int:
    review = approval.review_bundle(Path(args.bundle))
    plan, s = review.bundle.plan, review.summary
    print(f"REVIEW of {plan.operation} v{plan.version} (plan {review.bundle.plan_id}), {plan.status}")
    print(f"  exported by {review.bundle.exported_by} at {review.bundle.exported_at}")
    print(f"  {s['assignments']} assignments, {s['people']} people; cover {s['filled']} of {s['required']}"
          f" ({s['short']} short); objective {s['objective']:.1f}")  # fmt: skip
    for term, value in s["terms"].items():
        print(f"    {term}: {value:g}")
    print(f"  {len(review.hard_findings)} rule breaches, {len(review.findings)} findings in all")
    for f in review.findings:
        kind = "shortfall" if f["shortfall"] else ("soft" if f["soft"] else "BREACH")
        print(f"  [{kind}] {f['rule']}: {f['message']}")
    if review.diff is not None:
        _print_diff(review.diff, f"since approved v{review.bundle.previous.version}")  # type: ignore[union-attr]
    for sign in review.tampering:
        print(f"  TAMPERED: {sign}")
    return 1 if review.tampering else 0


def _decide(args: argparse.Namespace) -> int:
    verdict = Verdict.APPROVE if args.approve else Verdict.REJECT
    decision = approval.decide(
        Path(args.bundle), Path(args.key), _passphrase(args), verdict, args.comment, Path(args.out)
    )
    print(f"{args.out}: {decision.signer} {decision.verdict}s {decision.operation} v{decision.version}")
    return 0


def _import(args: argparse.Namespace) -> int:
    with _db(args) as db:
        try:
            plan = approval.import_decision(db, Path(args.decision))
        except approval.DecisionRefused as refused:
            print(f"refused: {refused}", file=sys.stderr)
            return 1
    print(f"accepted: {plan.operation} v{plan.version} is now {plan.status}")
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    with _db(args) as db, db.unit_of_work() as uow:
        problems = uow.audit.verify()
        count = len(uow.audit.entries())
    for problem in problems:
        print(f"BROKEN: {problem}")
    print(f"{count} audit entries; chain {'broken' if problems else 'intact'}")
    return 1 if problems else 0


class _db:
    """``with _db(args) as db``: open the database named on the command line, close it after."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.db = Database(args.db)

    def __enter__(self) -> Database:
        return self.db

    def __exit__(self, *exc: object) -> None:
        self.db.close()


def add_commands(commands: Any, add_db: Any) -> None:
    """Register keys, plan, approval and audit sub-commands."""
    keys = commands.add_parser("keys", help="signing keys").add_subparsers(dest="keys", required=True)
    p = keys.add_parser("new", help="create a key pair (private key encrypted with a passphrase)")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--out", required=True, metavar="KEYFILE", help="private key file (public: KEYFILE.pub)")
    p.add_argument("--passphrase-file", help=f"else ${PASSPHRASE_VARIABLE}, else asked")
    p.set_defaults(run=_keys_new)
    p = keys.add_parser("register", help="register a planner's or commander's public key")
    p.add_argument("public", metavar="KEYFILE.pub")
    add_db(p)
    p.set_defaults(run=_keys_register)

    plan = commands.add_parser("plan", help="plan versions").add_subparsers(
        dest="plan_command", required=True
    )
    p = plan.add_parser("submit", help="freeze a draft plan for approval")
    add_db(p)
    p.add_argument("--plan", type=int, required=True)
    p.set_defaults(run=_submit)
    p = plan.add_parser("diff", help="who moved where between two plan versions")
    add_db(p)
    p.add_argument("--plan", type=int, nargs=2, required=True, metavar=("OLDER", "NEWER"))
    p.set_defaults(run=_diff)

    appr = commands.add_parser("approval", help="offline approval").add_subparsers(
        dest="approval", required=True
    )
    p = appr.add_parser("export", help="write the approval bundle of a submitted plan")
    add_db(p)
    p.add_argument("--plan", type=int, required=True)
    p.add_argument("--out", required=True, metavar="BUNDLE")
    p.set_defaults(run=_export)
    p = appr.add_parser("review", help="summary and every breach of a bundle (no database needed)")
    p.add_argument("bundle", metavar="BUNDLE")
    p.set_defaults(run=_review)
    p = appr.add_parser("decide", help="sign a commander's decision on a bundle")
    p.add_argument("bundle", metavar="BUNDLE")
    p.add_argument("--key", required=True, metavar="KEYFILE")
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--approve", action="store_true")
    verdict.add_argument("--reject", action="store_true")
    p.add_argument("--comment", default="")
    p.add_argument("--out", required=True, metavar="DECISION")
    p.add_argument("--passphrase-file", help=f"else ${PASSPHRASE_VARIABLE}, else asked")
    p.set_defaults(run=_decide)
    p = appr.add_parser("import", help="apply a signed decision (exit 1 with the reason when refused)")
    p.add_argument("decision", metavar="DECISION")
    add_db(p)
    p.set_defaults(run=_import)

    audit = commands.add_parser("audit", help="audit trail").add_subparsers(dest="audit", required=True)
    p = audit.add_parser("verify", help="check the hash chain; exit 1 naming any break")
    add_db(p)
    p.set_defaults(run=_audit_verify)
