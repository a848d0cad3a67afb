"""ORM models of the CRM store; the schema itself is created by the Alembic migrations."""

from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from crm_bridge.column_types import JSONType, StrEnumType, UTCDateTime, utcnow
from crm_bridge.enums import (
    Channel,
    ConsentKind,
    ConversationStatus,
    HandoverStatus,
    LeadStatus,
    MessageDirection,
    OrderStatus,
    SenderType,
    SuggestionEventKind,
)

# Stable constraint names, so later migrations can drop or alter them on both backends.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = sa.Numeric(10, 2)


class Base(DeclarativeBase):
    """Declarative base holding the metadata the migrations are checked against."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def _created() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)


def _updated() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False)


class Contact(Base):
    """One person, whatever channels they use; ``external_ref`` is the shop's customer id."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_ref: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    # First touch: where the person first came from (e.g. a Telegram deep link), kept once set.
    source: Mapped[str | None] = mapped_column(sa.String(64))
    campaign: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    identities: Mapped[list["ChannelIdentity"]] = relationship(back_populates="contact")


class ChannelIdentity(Base):
    """A contact as one channel knows them (Chatwoot's contact inbox)."""

    __tablename__ = "channel_identities"
    __table_args__ = (sa.UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel))
    external_id: Mapped[str] = mapped_column(sa.String(128))
    username: Mapped[str | None] = mapped_column(sa.String(128))
    display_name: Mapped[str | None] = mapped_column(sa.String(200))
    language: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = _created()

    contact: Mapped[Contact] = relationship(back_populates="identities")


class Conversation(Base):
    """A chat session; ``session_key`` is the Rasa sender id."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel))
    session_key: Mapped[str] = mapped_column(sa.String(128), unique=True)
    status: Mapped[ConversationStatus] = mapped_column(
        StrEnumType(ConversationStatus), default=ConversationStatus.bot, index=True
    )
    started_at: Mapped[datetime] = _created()
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    contact: Mapped[Contact] = relationship()


class Message(Base):
    """One message of a transcript, with the NLU parse of incoming text."""

    __tablename__ = "messages"
    __table_args__ = (sa.Index(None, "conversation_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE")
    )
    direction: Mapped[MessageDirection] = mapped_column(StrEnumType(MessageDirection))
    sender_type: Mapped[SenderType] = mapped_column(StrEnumType(SenderType))
    text: Mapped[str | None] = mapped_column(sa.Text)
    payload: Mapped[str | None] = mapped_column(sa.Text)
    buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSONType)
    image_url: Mapped[str | None] = mapped_column(sa.String(500))
    custom: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    intent: Mapped[str | None] = mapped_column(sa.String(100))
    confidence: Mapped[float | None] = mapped_column(sa.Float)
    entities: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = _created()


class Product(Base):
    """A catalogue item; ``attributes`` holds facts such as ``consumable`` or ``material``."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[str] = mapped_column(sa.String(100), index=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    stock: Mapped[int] = mapped_column(default=0)
    image_url: Mapped[str | None] = mapped_column(sa.String(500))
    active: Mapped[bool] = mapped_column(default=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class Order(Base):
    """A purchase by a contact; ``external_ref`` is the shop's order number."""

    __tablename__ = "orders"
    __table_args__ = (sa.Index(None, "contact_id", "placed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(sa.ForeignKey("contacts.id", ondelete="CASCADE"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[OrderStatus] = mapped_column(
        StrEnumType(OrderStatus), default=OrderStatus.placed
    )
    total: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    external_ref: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = _created()

    items: Mapped[list["OrderItem"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderItem.id"
    )


class OrderItem(Base):
    """One line of an order, at the price paid then."""

    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        sa.ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(
        sa.ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int]
    unit_price: Mapped[Decimal] = mapped_column(Money)

    order: Mapped[Order] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()


class Lead(Base):
    """A sales lead qualified in a conversation (or entered by staff)."""

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel))
    status: Mapped[LeadStatus] = mapped_column(
        StrEnumType(LeadStatus), default=LeadStatus.new, index=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    score: Mapped[float | None] = mapped_column(sa.Float)
    grade: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class Handover(Base):
    """A request that a person takes over a conversation from the bot."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[HandoverStatus] = mapped_column(
        StrEnumType(HandoverStatus), default=HandoverStatus.requested, index=True
    )
    requested_at: Mapped[datetime] = _created()
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assignee: Mapped[str | None] = mapped_column(sa.String(120))


class Consent(Base):
    """One consent change of a contact; the latest row of a kind is what holds now."""

    __tablename__ = "consents"
    __table_args__ = (sa.Index(None, "contact_id", "kind", "recorded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(sa.ForeignKey("contacts.id", ondelete="CASCADE"))
    kind: Mapped[ConsentKind] = mapped_column(StrEnumType(ConsentKind, length=32))
    granted: Mapped[bool]
    wording: Mapped[str] = mapped_column(sa.Text)
    channel: Mapped[Channel | None] = mapped_column(StrEnumType(Channel))
    recorded_at: Mapped[datetime] = _created()


class ProcessedUpdate(Base):
    """An update id a channel has already handled, so a retried delivery is handled once."""

    __tablename__ = "processed_updates"
    __table_args__ = (sa.UniqueConstraint("channel", "update_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel))
    update_id: Mapped[int] = mapped_column(sa.BigInteger)
    received_at: Mapped[datetime] = _created()


class DeliveryFailure(Base):
    """A reply a channel could not deliver, kept so no failure is silent."""

    __tablename__ = "delivery_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel))
    session_key: Mapped[str] = mapped_column(sa.String(128), index=True)
    text: Mapped[str | None] = mapped_column(sa.Text)
    error: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = _created()


class SuggestionEvent(Base):
    """One step of a product suggestion's life: shown in a chat, clicked, asked about, bought.

    Every row keeps the rank the product was shown at and the model version that chose it,
    so click-through and conversion can be compared between versions and fed back into
    training. ``contact_id`` is None when the contact was deleted or merged away.
    """

    __tablename__ = "suggestion_events"
    __table_args__ = (
        sa.Index(None, "model_version", "kind", "created_at"),
        sa.Index(None, "conversation_id", "product_id"),
        sa.Index(None, "contact_id", "product_id"),
        sa.Index(None, "product_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="SET NULL")
    )
    conversation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="SET NULL")
    )
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id", ondelete="CASCADE"))
    kind: Mapped[SuggestionEventKind] = mapped_column(StrEnumType(SuggestionEventKind))
    rank: Mapped[int]
    model_version: Mapped[str] = mapped_column(sa.String(32))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    # For `bought`: the order that converted the suggestion, so conversions are counted once.
    order_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = _created()
