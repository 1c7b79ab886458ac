"""plans: an edit counter for optimistic concurrency between planners

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Two planners may hand-edit the same draft plan; each edit names the revision it was based on and
raises it, so an edit made on a stale view is refused instead of silently mixing two rosters.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plans", sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    op.drop_column("plans", "revision")  # SQLite 3.35+ drops in place, keeping the plans' triggers
