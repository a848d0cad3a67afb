"""Lead qualification: raw answers, score reasons and dates on leads, and the outbox of
webhook posts that send a qualified lead to an external CRM.

Plain column types only, like the earlier revisions, so this file keeps its meaning when
the models change.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TABLE = "webhook_deliveries"


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("raw_answers", JSON, nullable=False, server_default="{}"))
        batch.add_column(sa.Column("score_reasons", JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("scored_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("qualified_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    # The defaults only filled existing rows; the application always writes both columns.
    with op.batch_alter_table("leads") as batch:
        batch.alter_column("raw_answers", server_default=None)
        batch.alter_column("score_reasons", server_default=None)

    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "lead_id",
            sa.Integer(),
            sa.ForeignKey("leads.id", name=op.f(f"fk_{TABLE}_lead_id_leads"), ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
    )
    op.create_index(op.f(f"ix_{TABLE}_lead_id"), TABLE, ["lead_id"])
    op.create_index(
        op.f(f"ix_{TABLE}_status_next_attempt_at"), TABLE, ["status", "next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_table(TABLE)
    with op.batch_alter_table("leads") as batch:
        for column in ("closed_at", "qualified_at", "scored_by", "score_reasons", "raw_answers"):
            batch.drop_column(column)
