"""Telegram channel and consents: contact source/campaign (deep links), consent history,
processed channel update ids (Telegram retries) and delivery failures.

Plain column types only, like 0001, so this file keeps its meaning when the models change.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENUM = sa.String(16)


def _at(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("source", sa.String(64), nullable=True))
        batch.add_column(sa.Column("campaign", sa.String(64), nullable=True))

    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "contact_id",
            sa.Integer(),
            sa.ForeignKey(
                "contacts.id", name=op.f("fk_consents_contact_id_contacts"), ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("channel", ENUM, nullable=True),
        _at("recorded_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index(
        op.f("ix_consents_contact_id_kind_recorded_at"),
        "consents",
        ["contact_id", "kind", "recorded_at"],
    )

    op.create_table(
        "processed_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", ENUM, nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        _at("received_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processed_updates")),
        sa.UniqueConstraint(
            "channel", "update_id", name=op.f("uq_processed_updates_channel_update_id")
        ),
    )

    op.create_table(
        "delivery_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", ENUM, nullable=False),
        sa.Column("session_key", sa.String(128), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        _at("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_failures")),
    )
    op.create_index(op.f("ix_delivery_failures_session_key"), "delivery_failures", ["session_key"])


def downgrade() -> None:
    op.drop_table("delivery_failures")
    op.drop_table("processed_updates")
    op.drop_table("consents")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("campaign")
        batch.drop_column("source")
