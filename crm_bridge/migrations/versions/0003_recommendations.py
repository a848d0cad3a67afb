"""Product suggestions in the chat: one row per shown, clicked, asked-about or bought event,
with the rank and the model version, for click-through and conversion figures.

Plain column types only, like 0001 and 0002, so this file keeps its meaning when the
models change.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "suggestion_events"


def _foreign_key(column: str, table: str, ondelete: str, *, nullable: bool) -> sa.Column:
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey(f"{table}.id", name=op.f(f"fk_{TABLE}_{column}_{table}"), ondelete=ondelete),
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        _foreign_key("contact_id", "contacts", "SET NULL", nullable=True),
        _foreign_key("conversation_id", "conversations", "SET NULL", nullable=True),
        _foreign_key("product_id", "products", "CASCADE", nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        _foreign_key("order_id", "orders", "CASCADE", nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
    )
    for columns in (
        ["model_version", "kind", "created_at"],
        ["conversation_id", "product_id"],
        ["contact_id", "product_id"],
        ["product_id", "kind"],
        ["order_id"],
    ):
        op.create_index(op.f(f"ix_{TABLE}_{'_'.join(columns)}"), TABLE, columns)


def downgrade() -> None:
    op.drop_table(TABLE)
