"""Initial schema: contacts, channel identities, conversations, messages, products, orders,
order items, leads and hand-overs.

Written by hand from an autogenerate draft; plain column types only (no imports from the
application), so this file keeps meaning the same thing when the models change later.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
ENUM = sa.String(16)
MONEY = sa.Numeric(10, 2)


def _at(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(
    table: str, column: str, target: str, ondelete: str, *, nullable: bool = False
) -> sa.Column:
    """An integer foreign key column, its constraint named as the models' convention does."""
    name = op.f(f"fk_{table}_{column}_{target}")
    fk = sa.ForeignKey(f"{target}.id", name=name, ondelete=ondelete)
    return sa.Column(column, sa.Integer(), fk, nullable=nullable)


def _table(name: str, *items: sa.Column | sa.Constraint) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        *items,
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns))


def upgrade() -> None:
    _table(
        "contacts",
        sa.Column("external_ref", sa.String(64), nullable=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("attributes", JSON, nullable=False),
        _at("created_at"),
        _at("updated_at"),
        sa.UniqueConstraint("external_ref", name=op.f("uq_contacts_external_ref")),
    )
    _index("contacts", "email")

    _table(
        "products",
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("price", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("image_url", sa.String(500), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("attributes", JSON, nullable=False),
        _at("created_at"),
        _at("updated_at"),
        sa.UniqueConstraint("sku", name=op.f("uq_products_sku")),
    )
    _index("products", "category")

    _table(
        "channel_identities",
        _fk("channel_identities", "contact_id", "contacts", "CASCADE"),
        sa.Column("channel", ENUM, nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("username", sa.String(128), nullable=True),
        sa.Column("display_name", sa.String(200), nullable=True),
        sa.Column("language", sa.String(16), nullable=True),
        _at("created_at"),
        sa.UniqueConstraint(
            "channel", "external_id", name=op.f("uq_channel_identities_channel_external_id")
        ),
    )
    _index("channel_identities", "contact_id")

    _table(
        "conversations",
        _fk("conversations", "contact_id", "contacts", "CASCADE"),
        sa.Column("channel", ENUM, nullable=False),
        sa.Column("session_key", sa.String(128), nullable=False),
        sa.Column("status", ENUM, nullable=False),
        _at("started_at"),
        _at("last_message_at", nullable=True),
        _at("closed_at", nullable=True),
        sa.UniqueConstraint("session_key", name=op.f("uq_conversations_session_key")),
    )
    _index("conversations", "contact_id")
    _index("conversations", "status")

    _table(
        "messages",
        _fk("messages", "conversation_id", "conversations", "CASCADE"),
        sa.Column("direction", ENUM, nullable=False),
        sa.Column("sender_type", ENUM, nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("buttons", JSON, nullable=True),
        sa.Column("image_url", sa.String(500), nullable=True),
        sa.Column("custom", JSON, nullable=True),
        sa.Column("intent", sa.String(100), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("entities", JSON, nullable=True),
        _at("created_at"),
    )
    _index("messages", "conversation_id", "created_at")

    _table(
        "orders",
        _fk("orders", "contact_id", "contacts", "CASCADE"),
        _at("placed_at"),
        sa.Column("status", ENUM, nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("external_ref", sa.String(64), nullable=True),
        _at("created_at"),
        sa.UniqueConstraint("external_ref", name=op.f("uq_orders_external_ref")),
    )
    _index("orders", "contact_id", "placed_at")

    _table(
        "order_items",
        _fk("order_items", "order_id", "orders", "CASCADE"),
        _fk("order_items", "product_id", "products", "RESTRICT"),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", MONEY, nullable=False),
    )
    _index("order_items", "order_id")
    _index("order_items", "product_id")

    _table(
        "leads",
        _fk("leads", "contact_id", "contacts", "CASCADE"),
        _fk("leads", "conversation_id", "conversations", "SET NULL", nullable=True),
        sa.Column("channel", ENUM, nullable=False),
        sa.Column("status", ENUM, nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(16), nullable=True),
        _at("created_at"),
        _at("updated_at"),
    )
    _index("leads", "contact_id")
    _index("leads", "conversation_id")
    _index("leads", "status")

    _table(
        "handovers",
        _fk("handovers", "conversation_id", "conversations", "CASCADE"),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("status", ENUM, nullable=False),
        _at("requested_at"),
        _at("accepted_at", nullable=True),
        _at("resolved_at", nullable=True),
        sa.Column("assignee", sa.String(120), nullable=True),
    )
    _index("handovers", "conversation_id")
    _index("handovers", "status")


def downgrade() -> None:
    for table in (
        "handovers",
        "leads",
        "order_items",
        "orders",
        "messages",
        "conversations",
        "channel_identities",
        "products",
        "contacts",
    ):
        op.drop_table(table)
