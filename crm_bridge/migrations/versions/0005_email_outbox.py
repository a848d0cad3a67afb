"""Email: the outbox of messages to send (one idempotency key each), every send attempt,
and the addresses that hard-bounced and get no more mail.

Plain column types only, like the earlier revisions, so this file keeps its meaning when
the models change.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
ENUM = sa.String(16)
OUTBOX = "email_outbox"
ATTEMPTS = "email_attempts"
SUPPRESSIONS = "email_suppressions"


def _at(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _foreign_key(table: str, column: str, target: str, ondelete: str, *, nullable: bool):
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey(
            f"{target}.id", name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
        ),
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        OUTBOX,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("category", ENUM, nullable=False),
        sa.Column("template", sa.String(64), nullable=False),
        _foreign_key(OUTBOX, "contact_id", "contacts", "SET NULL", nullable=True),
        sa.Column("to_address", sa.String(254), nullable=True),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("headers", JSON, nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("status", ENUM, nullable=False),
        sa.Column("skip_reason", ENUM, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("interruptions", sa.Integer(), nullable=False),
        _at("next_attempt_at"),
        sa.Column("claim_token", sa.String(32), nullable=True),
        _at("lease_until", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_smtp_code", sa.Integer(), nullable=True),
        _at("sent_at", nullable=True),
        _at("created_at"),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{OUTBOX}")),
        sa.UniqueConstraint("idempotency_key", name=op.f(f"uq_{OUTBOX}_idempotency_key")),
    )
    op.create_index(op.f(f"ix_{OUTBOX}_contact_id"), OUTBOX, ["contact_id"])
    op.create_index(
        op.f(f"ix_{OUTBOX}_status_next_attempt_at"), OUTBOX, ["status", "next_attempt_at"]
    )

    op.create_table(
        ATTEMPTS,
        sa.Column("id", sa.Integer(), nullable=False),
        _foreign_key(ATTEMPTS, "outbox_id", OUTBOX, "CASCADE", nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("smtp_code", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        _at("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{ATTEMPTS}")),
    )
    op.create_index(op.f(f"ix_{ATTEMPTS}_outbox_id"), ATTEMPTS, ["outbox_id"])

    op.create_table(
        SUPPRESSIONS,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(254), nullable=False),
        sa.Column("reason", ENUM, nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        _foreign_key(SUPPRESSIONS, "outbox_id", OUTBOX, "SET NULL", nullable=True),
        _at("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{SUPPRESSIONS}")),
        sa.UniqueConstraint("address", name=op.f(f"uq_{SUPPRESSIONS}_address")),
    )


def downgrade() -> None:
    op.drop_table(SUPPRESSIONS)
    op.drop_table(ATTEMPTS)
    op.drop_table(OUTBOX)
