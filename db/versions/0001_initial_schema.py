"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("code", name=op.f("uq_agencies_code")),
    )
    op.create_table(
        "fatigue_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fatigue_policies")),
        sa.UniqueConstraint("name", name=op.f("uq_fatigue_policies_name")),
    )
    op.create_table(
        "locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("site_kind", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["city_id"], ["locations.id"], name=op.f("fk_locations_city_id_locations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
        sa.UniqueConstraint("code", name=op.f("uq_locations_code")),
    )
    op.create_table(
        "ranks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("ladder", sa.String(length=32), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ranks")),
        sa.UniqueConstraint("code", name=op.f("uq_ranks_code")),
    )
    op.create_table(
        "skills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("expires", sa.Boolean(), nullable=False),
        sa.Column("max_level", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skills")),
        sa.UniqueConstraint("code", name=op.f("uq_skills_code")),
    )
    op.create_table(
        "operations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["fatigue_policies.id"],
            name=op.f("fk_operations_policy_id_fatigue_policies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations")),
        sa.UniqueConstraint("name", name=op.f("uq_operations_name")),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_number", sa.String(length=32), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("rank_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("home_station_id", sa.Integer(), nullable=False),
        sa.Column("contracted_minutes_per_week", sa.Integer(), nullable=False),
        sa.Column("max_minutes_per_week", sa.Integer(), nullable=True),
        sa.Column("max_shifts", sa.Integer(), nullable=True),
        sa.Column("min_total_minutes", sa.Integer(), nullable=True),
        sa.Column("max_total_minutes", sa.Integer(), nullable=True),
        sa.Column("max_weekends", sa.Integer(), nullable=True),
        sa.Column("max_consecutive_days", sa.Integer(), nullable=True),
        sa.Column("min_consecutive_days", sa.Integer(), nullable=True),
        sa.Column("min_consecutive_days_off", sa.Integer(), nullable=True),
        sa.Column("max_shifts_by_label", sa.Text(), nullable=False),
        sa.Column("can_deploy_away", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_staff_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["home_station_id"], ["locations.id"], name=op.f("fk_staff_home_station_id_locations")
        ),
        sa.ForeignKeyConstraint(["rank_id"], ["ranks.id"], name=op.f("fk_staff_rank_id_ranks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("service_number", name=op.f("uq_staff_service_number")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_home_station_id"), ["home_station_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_rank_id"), ["rank_id"], unique=False)

    op.create_table(
        "travel_legs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin_id", sa.Integer(), nullable=False),
        sa.Column("destination_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("km", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["destination_id"],
            ["locations.id"],
            name=op.f("fk_travel_legs_destination_id_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["origin_id"],
            ["locations.id"],
            name=op.f("fk_travel_legs_origin_id_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_travel_legs")),
        sa.UniqueConstraint("origin_id", "destination_id", name=op.f("uq_travel_legs_origin_id")),
    )
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_absences_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
    )
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absences_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "operation_locations",
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_operation_locations_location_id_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operations.id"],
            name=op.f("fk_operation_locations_operation_id_operations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("operation_id", "location_id", name=op.f("pk_operation_locations")),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operations.id"],
            name=op.f("fk_plans_operation_id_operations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("operation_id", "version", name=op.f("uq_plans_operation_id")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plans_operation_id"), ["operation_id"], unique=False)

    op.create_table(
        "qualifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["skill_id"], ["skills.id"], name=op.f("fk_qualifications_skill_id_skills")),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_qualifications_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualifications")),
        sa.UniqueConstraint("staff_id", "skill_id", name=op.f("uq_qualifications_staff_id")),
    )
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_qualifications_skill_id"), ["skill_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_qualifications_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operations.id"],
            name=op.f("fk_shifts_operation_id_operations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["site_id"], ["locations.id"], name=op.f("fk_shifts_site_id_locations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
        sa.UniqueConstraint("operation_id", "key", name=op.f("uq_shifts_operation_id")),
    )
    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shifts_operation_id"), ["operation_id"], unique=False)

    op.create_table(
        "staff_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("shift_label", sa.String(length=32), nullable=True),
        sa.Column("city_id", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["city_id"], ["locations.id"], name=op.f("fk_staff_requests_city_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_requests_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_requests")),
    )
    with op.batch_alter_table("staff_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_requests_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_assignments_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["shift_id"], ["shifts.id"], name=op.f("fk_assignments_shift_id_shifts")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_assignments_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint("plan_id", "shift_id", "staff_id", name=op.f("uq_assignments_plan_id")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_shift_id"), ["shift_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "demand_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("min_rank_id", sa.Integer(), nullable=True),
        sa.Column("agencies", sa.String(length=300), nullable=False),
        sa.Column("under_cost", sa.Integer(), nullable=True),
        sa.Column("over_cost", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["min_rank_id"], ["ranks.id"], name=op.f("fk_demand_lines_min_rank_id_ranks")
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name=op.f("fk_demand_lines_shift_id_shifts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_lines")),
        sa.UniqueConstraint("shift_id", "position", name=op.f("uq_demand_lines_shift_id")),
    )
    with op.batch_alter_table("demand_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demand_lines_shift_id"), ["shift_id"], unique=False)

    op.create_table(
        "demand_skills",
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("min_level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["demand_lines.id"],
            name=op.f("fk_demand_skills_line_id_demand_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["skill_id"], ["skills.id"], name=op.f("fk_demand_skills_skill_id_skills")),
        sa.PrimaryKeyConstraint("line_id", "skill_id", name=op.f("pk_demand_skills")),
    )


def downgrade() -> None:
    op.drop_table("demand_skills")
    with op.batch_alter_table("demand_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_lines_shift_id"))

    op.drop_table("demand_lines")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_staff_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_shift_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_plan_id"))

    op.drop_table("assignments")
    with op.batch_alter_table("staff_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_requests_staff_id"))

    op.drop_table("staff_requests")
    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shifts_operation_id"))

    op.drop_table("shifts")
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_qualifications_staff_id"))
        batch_op.drop_index(batch_op.f("ix_qualifications_skill_id"))

    op.drop_table("qualifications")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plans_operation_id"))

    op.drop_table("plans")
    op.drop_table("operation_locations")
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absences_staff_id"))

    op.drop_table("absences")
    op.drop_table("travel_legs")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_rank_id"))
        batch_op.drop_index(batch_op.f("ix_staff_home_station_id"))
        batch_op.drop_index(batch_op.f("ix_staff_agency_id"))

    op.drop_table("staff")
    op.drop_table("operations")
    op.drop_table("skills")
    op.drop_table("ranks")
    op.drop_table("locations")
    op.drop_table("fatigue_policies")
    op.drop_table("agencies")
