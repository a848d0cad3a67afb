"""Marketing automation: value runs and customer values (RFM, clusters, CLV), saved
rule segments and segment memberships, contact tags, campaigns with their enrolments and
sends, experiments with variants and assignments, marketing costs, and APScheduler's job
table (so the scheduler's schema is Alembic's too).

Plain column types only, like the earlier revisions, so this file keeps its meaning when
the models change.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MONEY = sa.Numeric(12, 2)


def _at(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id(table: str) -> tuple[sa.Column, sa.PrimaryKeyConstraint]:
    return sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint(
        "id", name=op.f(f"pk_{table}")
    )


def _foreign_key(
    table: str, column: str, target: str, ondelete: str, *, nullable: bool
) -> sa.Column:
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey(
            f"{target}.id", name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
        ),
        nullable=nullable,
    )


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns))


def _unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{'_'.join(columns)}"))


def upgrade() -> None:
    _create_value_tables()
    _create_campaign_tables()
    _create_experiment_tables()
    op.create_table(
        "marketing_costs",
        *_id("marketing_costs"),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(60), nullable=False),
        _foreign_key("marketing_costs", "campaign_id", "campaigns", "SET NULL", nullable=True),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(254), nullable=False),
        _at("created_at"),
    )
    _index("marketing_costs", "period_start", "period_end")
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(191), nullable=False),
        sa.Column("next_run_time", sa.Float(25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apscheduler_jobs")),
    )
    _index("apscheduler_jobs", "next_run_time")


def _create_value_tables() -> None:
    op.create_table(
        "value_runs",
        *_id("value_runs"),
        _at("started_at"),
        _at("finished_at", nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("annual_discount_rate", sa.Float(), nullable=False),
        sa.Column("report", JSON, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("triggered_by", sa.String(254), nullable=False),
    )
    op.create_table(
        "customer_values",
        sa.Column(
            "contact_id",
            sa.Integer(),
            sa.ForeignKey(
                "contacts.id",
                name=op.f("fk_customer_values_contact_id_contacts"),
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        _foreign_key("customer_values", "run_id", "value_runs", "CASCADE", nullable=False),
        _at("first_order_at"),
        _at("last_order_at"),
        sa.Column("order_count", sa.Integer(), nullable=False),
        sa.Column("total_spent", MONEY, nullable=False),
        sa.Column("recency_days", sa.Integer(), nullable=False),
        sa.Column("r_score", sa.SmallInteger(), nullable=False),
        sa.Column("f_score", sa.SmallInteger(), nullable=False),
        sa.Column("m_score", sa.SmallInteger(), nullable=False),
        sa.Column("rfm_segment", sa.String(40), nullable=False),
        sa.Column("cluster", sa.String(80), nullable=False),
        sa.Column("p_alive", sa.Float(), nullable=True),
        sa.Column("expected_purchases", sa.Float(), nullable=True),
        sa.Column("expected_order_value", MONEY, nullable=True),
        sa.Column("clv", MONEY, nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        _at("computed_at"),
        sa.PrimaryKeyConstraint("contact_id", name=op.f("pk_customer_values")),
    )
    for column in ("rfm_segment", "cluster", "clv"):
        _index("customer_values", column)

    op.create_table(
        "segments",
        *_id("segments"),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("rules", JSON, nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        _unique("segments", "name"),
    )
    op.create_table(
        "segment_memberships",
        *_id("segment_memberships"),
        sa.Column("segment_key", sa.String(120), nullable=False),
        _foreign_key("segment_memberships", "contact_id", "contacts", "CASCADE", nullable=False),
        _at("entered_at"),
        _at("left_at", nullable=True),
    )
    _index("segment_memberships", "segment_key", "left_at")
    _index("segment_memberships", "contact_id", "left_at")

    op.create_table(
        "contact_tags",
        *_id("contact_tags"),
        _foreign_key("contact_tags", "contact_id", "contacts", "CASCADE", nullable=False),
        sa.Column("tag", sa.String(40), nullable=False),
        sa.Column("added_by", sa.String(254), nullable=False),
        _at("created_at"),
        _unique("contact_tags", "contact_id", "tag"),
    )
    _index("contact_tags", "tag")


def _create_campaign_tables() -> None:
    op.create_table(
        "campaigns",
        *_id("campaigns"),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("trigger", sa.String(32), nullable=False),
        sa.Column("trigger_params", JSON, nullable=False),
        sa.Column("wait_seconds", sa.Integer(), nullable=False),
        sa.Column("conditions", JSON, nullable=False),
        sa.Column("actions", JSON, nullable=False),
        sa.Column("conversion_window_days", sa.Integer(), nullable=False),
        _at("scanned_until", nullable=True),
        sa.Column("created_by", sa.String(254), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        _unique("campaigns", "name"),
    )
    _index("campaigns", "status")

    op.create_table(
        "campaign_enrollments",
        *_id("campaign_enrollments"),
        _foreign_key("campaign_enrollments", "campaign_id", "campaigns", "CASCADE", nullable=False),
        _foreign_key("campaign_enrollments", "contact_id", "contacts", "SET NULL", nullable=True),
        sa.Column("trigger_key", sa.String(160), nullable=False),
        _at("triggered_at"),
        _at("due_at"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claim_token", sa.String(32), nullable=True),
        _at("lease_until", nullable=True),
        _at("finished_at", nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        _at("created_at"),
        _at("updated_at"),
        _unique("campaign_enrollments", "campaign_id", "trigger_key"),
    )
    _index("campaign_enrollments", "contact_id")
    _index("campaign_enrollments", "status", "due_at")

    op.create_table(
        "campaign_sends",
        *_id("campaign_sends"),
        _foreign_key(
            "campaign_sends", "enrollment_id", "campaign_enrollments", "CASCADE", nullable=False
        ),
        _foreign_key("campaign_sends", "campaign_id", "campaigns", "CASCADE", nullable=False),
        _foreign_key("campaign_sends", "contact_id", "contacts", "SET NULL", nullable=True),
        sa.Column("action_index", sa.Integer(), nullable=False),
        sa.Column("action_kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("skip_reason", sa.String(32), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("click_token", sa.String(32), nullable=True),
        _at("sent_at", nullable=True),
        _at("clicked_at", nullable=True),
        _at("created_at"),
        _at("updated_at"),
        _unique("campaign_sends", "enrollment_id", "action_index"),
        _unique("campaign_sends", "click_token"),
    )
    _index("campaign_sends", "contact_id")
    _index("campaign_sends", "campaign_id", "status")


def _create_experiment_tables() -> None:
    op.create_table(
        "experiments",
        *_id("experiments"),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("goal", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("winner_key", sa.String(40), nullable=True),
        sa.Column("created_by", sa.String(254), nullable=False),
        _at("created_at"),
        _at("stopped_at", nullable=True),
        sa.Column("stopped_by", sa.String(254), nullable=True),
    )
    _index("experiments", "key")
    _index("experiments", "status")

    op.create_table(
        "experiment_variants",
        *_id("experiment_variants"),
        _foreign_key(
            "experiment_variants", "experiment_id", "experiments", "CASCADE", nullable=False
        ),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _at("created_at"),
        _unique("experiment_variants", "experiment_id", "key"),
    )
    op.create_table(
        "experiment_assignments",
        *_id("experiment_assignments"),
        _foreign_key(
            "experiment_assignments", "experiment_id", "experiments", "CASCADE", nullable=False
        ),
        _foreign_key(
            "experiment_assignments",
            "variant_id",
            "experiment_variants",
            "CASCADE",
            nullable=False,
        ),
        _foreign_key(
            "experiment_assignments",
            "conversation_id",
            "conversations",
            "CASCADE",
            nullable=False,
        ),
        _at("assigned_at"),
        _unique("experiment_assignments", "experiment_id", "conversation_id"),
    )
    _index("experiment_assignments", "variant_id")
    _index("experiment_assignments", "conversation_id")


def downgrade() -> None:
    for table in (
        "apscheduler_jobs",
        "marketing_costs",
        "experiment_assignments",
        "experiment_variants",
        "experiments",
        "campaign_sends",
        "campaign_enrollments",
        "campaigns",
        "contact_tags",
        "segment_memberships",
        "segments",
        "customer_values",
        "value_runs",
    ):
        op.drop_table(table)
