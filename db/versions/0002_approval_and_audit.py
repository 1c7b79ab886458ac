"""approval: signing keys, decisions, hash-chained audit trail, frozen plans

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Plans that have left the draft state are frozen by triggers, so that no code path (nor a direct
SQL statement through the application's connection) can change an approved roster: only the
status may move along the lifecycle, and their assignments cannot be added, changed or removed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ALLOWED = (
    "(OLD.status = NEW.status"
    " OR (OLD.status = 'draft' AND NEW.status = 'submitted')"
    " OR (OLD.status = 'submitted' AND NEW.status IN ('approved', 'rejected', 'superseded'))"
    " OR (OLD.status = 'approved' AND NEW.status = 'superseded'))"
)
FROZEN_FIELDS = ("operation_id", "version", "note", "created_at", "created_by")
FROZEN = "plan is frozen: only a draft plan can be changed"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER plans_lifecycle BEFORE UPDATE OF status ON plans WHEN NOT {ALLOWED}
    BEGIN SELECT RAISE(ABORT, 'plan status cannot change that way'); END""",
    f"""CREATE TRIGGER plans_frozen BEFORE UPDATE ON plans WHEN OLD.status <> 'draft' AND ({
        " OR ".join(f"NEW.{f} IS NOT OLD.{f}" for f in FROZEN_FIELDS)
    })
    BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    f"""CREATE TRIGGER plans_kept BEFORE DELETE ON plans WHEN OLD.status <> 'draft'
    BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    *(
        f"""CREATE TRIGGER assignments_frozen_{event.lower()} BEFORE {event} ON assignments
        WHEN (SELECT status FROM plans WHERE id = {row}.plan_id) <> 'draft'
        BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END"""
        for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))
    ),
]

POSTGRES_TRIGGERS = [
    f"""CREATE FUNCTION deployer_plan_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.status <> 'draft' THEN RAISE EXCEPTION '{FROZEN}'; END IF;
            RETURN OLD;
        END IF;
        IF NOT {ALLOWED} THEN RAISE EXCEPTION 'plan status cannot change that way'; END IF;
        IF OLD.status <> 'draft' AND ({", ".join(f"NEW.{f}" for f in FROZEN_FIELDS)})
            IS DISTINCT FROM ({", ".join(f"OLD.{f}" for f in FROZEN_FIELDS)}) THEN
            RAISE EXCEPTION '{FROZEN}';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER plans_guard BEFORE UPDATE OR DELETE ON plans
    FOR EACH ROW EXECUTE FUNCTION deployer_plan_guard()""",
    f"""CREATE FUNCTION deployer_assignment_guard() RETURNS trigger AS $$
    DECLARE plan_status text;
    BEGIN
        SELECT status INTO plan_status FROM plans
        WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.plan_id ELSE OLD.plan_id END;
        IF plan_status IS NOT NULL AND plan_status <> 'draft' THEN RAISE EXCEPTION '{FROZEN}'; END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER assignments_guard BEFORE INSERT OR UPDATE OR DELETE ON assignments
    FOR EACH ROW EXECUTE FUNCTION deployer_assignment_guard()""",
]


def upgrade() -> None:
    op.create_table(
        "signing_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_keys")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_signing_keys_fingerprint")),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("signer", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_decisions_plan_id_plans"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    op.create_index(op.f("ix_decisions_plan_id"), "decisions", ["plan_id"], unique=False)
    op.create_index(op.f("ix_decisions_nonce"), "decisions", ["nonce"], unique=False)
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("seq", name=op.f("uq_audit_log_seq")),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    for statement in POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER assignments_guard ON assignments")
        op.execute("DROP TRIGGER plans_guard ON plans")
        op.execute("DROP FUNCTION deployer_assignment_guard()")
        op.execute("DROP FUNCTION deployer_plan_guard()")
    else:
        for statement in SQLITE_TRIGGERS:
            name = statement.split()[2]  # CREATE TRIGGER <name> ...
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("audit_head")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_decisions_nonce"), table_name="decisions")
    op.drop_index(op.f("ix_decisions_plan_id"), table_name="decisions")
    op.drop_table("decisions")
    op.drop_table("signing_keys")
