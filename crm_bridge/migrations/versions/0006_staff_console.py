"""Staff console: staff accounts and their server-side sessions, sign-in attempts for
throttling, the audit log, review data (tags, notes, reviewed mark, intent corrections).

Plain column types only, like the earlier revisions, so this file keeps its meaning when
the models change. The two review columns on `conversations` are nullable, so SQLite adds
them in place (no table rebuild).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _at(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id(table: str) -> tuple[sa.Column, sa.PrimaryKeyConstraint]:
    return sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint(
        "id", name=op.f(f"pk_{table}")
    )


def _foreign_key(table: str, column: str, target: str, ondelete: str, *, nullable: bool):
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey(
            f"{target}.id", name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
        ),
        nullable=nullable,
    )


def _index(table: str, *columns: str, unique: bool = False) -> None:
    prefix = "uq" if unique else "ix"
    op.create_index(op.f(f"{prefix}_{table}_{'_'.join(columns)}"), table, list(columns))


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(_at("reviewed_at", nullable=True))
        batch.add_column(sa.Column("reviewed_by", sa.String(254), nullable=True))

    op.create_table(
        "staff_accounts",
        *_id("staff_accounts"),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _at("last_login_at", nullable=True),
        _at("created_at"),
        _at("updated_at"),
        sa.UniqueConstraint("email", name=op.f("uq_staff_accounts_email")),
    )

    op.create_table(
        "staff_sessions",
        *_id("staff_sessions"),
        sa.Column("token_hash", sa.String(64), nullable=False),
        _foreign_key("staff_sessions", "staff_id", "staff_accounts", "CASCADE", nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("client_address", sa.String(64), nullable=True),
        _at("created_at"),
        _at("last_seen_at"),
        _at("expires_at"),
        _at("ended_at", nullable=True),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_sessions_token_hash")),
    )
    _index("staff_sessions", "staff_id")

    op.create_table(
        "login_attempts",
        *_id("login_attempts"),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("client_address", sa.String(64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        _at("created_at"),
    )
    _index("login_attempts", "email", "created_at")
    _index("login_attempts", "client_address", "created_at")

    op.create_table(
        "audit_events",
        *_id("audit_events"),
        _foreign_key("audit_events", "staff_id", "staff_accounts", "SET NULL", nullable=True),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        _foreign_key("audit_events", "conversation_id", "conversations", "SET NULL", nullable=True),
        sa.Column("target", sa.String(200), nullable=True),
        sa.Column("detail", JSON, nullable=False),
        sa.Column("client_address", sa.String(64), nullable=True),
        _at("created_at"),
    )
    for column in ("staff_id", "action", "conversation_id", "created_at"):
        _index("audit_events", column)

    op.create_table(
        "conversation_tags",
        *_id("conversation_tags"),
        _foreign_key(
            "conversation_tags", "conversation_id", "conversations", "CASCADE", nullable=False
        ),
        sa.Column("tag", sa.String(40), nullable=False),
        sa.Column("added_by", sa.String(254), nullable=False),
        _at("created_at"),
        sa.UniqueConstraint(
            "conversation_id", "tag", name=op.f("uq_conversation_tags_conversation_id_tag")
        ),
    )
    _index("conversation_tags", "tag")

    op.create_table(
        "conversation_notes",
        *_id("conversation_notes"),
        _foreign_key(
            "conversation_notes", "conversation_id", "conversations", "CASCADE", nullable=False
        ),
        _foreign_key("conversation_notes", "staff_id", "staff_accounts", "SET NULL", nullable=True),
        sa.Column("author", sa.String(254), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _at("created_at"),
    )
    _index("conversation_notes", "conversation_id")

    op.create_table(
        "intent_corrections",
        *_id("intent_corrections"),
        _foreign_key("intent_corrections", "message_id", "messages", "CASCADE", nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("original_intent", sa.String(100), nullable=True),
        sa.Column("corrected_intent", sa.String(100), nullable=False),
        sa.Column("corrected_by", sa.String(254), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        sa.UniqueConstraint("message_id", name=op.f("uq_intent_corrections_message_id")),
    )
    _index("intent_corrections", "corrected_intent")


def downgrade() -> None:
    for table in (
        "intent_corrections",
        "conversation_notes",
        "conversation_tags",
        "audit_events",
        "login_attempts",
        "staff_sessions",
        "staff_accounts",
    ):
        op.drop_table(table)
    # Plain ALTER TABLE (SQLite 3.35+ drops columns in place): rebuilding `conversations`
    # would cascade-delete its messages while foreign keys are on.
    op.drop_column("conversations", "reviewed_by")
    op.drop_column("conversations", "reviewed_at")
