"""solve checkpoints: the best roster so far of a running solve, recoverable after a crash

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "solve_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("started_by", sa.String(length=100), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=True),
        sa.Column("objective", sa.Float(), nullable=True),
        sa.Column("assignments", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operations.id"],
            name=op.f("fk_solve_checkpoints_operation_id_operations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_solve_checkpoints")),
    )
    op.create_index(
        op.f("ix_solve_checkpoints_operation_id"), "solve_checkpoints", ["operation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_solve_checkpoints_operation_id"), table_name="solve_checkpoints")
    op.drop_table("solve_checkpoints")
