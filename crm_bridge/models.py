"""ORM models of the CRM store; the schema itself is created by the Alembic migrations."""

from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from crm_bridge.column_types import JSONType, StrEnumType, UTCDateTime, utcnow
from crm_bridge.enums import (
    AuditAction,
    Channel,
    ConsentKind,
    ConversationStatus,
    EmailAttemptOutcome,
    EmailCategory,
    EmailSkipReason,
    EmailStatus,
    HandoverStatus,
    LeadStatus,
    MessageDirection,
    OrderStatus,
    SenderType,
    StaffRole,
    SuggestionEventKind,
    SuppressionReason,
    WebhookDeliveryStatus,
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
    # Staff review (console): when and by whom (the staff email) the transcript was reviewed.
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by: Mapped[str | None] = mapped_column(sa.String(254))

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
    # What the customer typed for each field, exactly, before parsing: {"budget": ["5k"]}.
    raw_answers: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    score: Mapped[float | None] = mapped_column(sa.Float)
    grade: Mapped[str | None] = mapped_column(sa.String(16))
    # The top reasons for the score in words, for staff; and which model (or "rules") gave it.
    score_reasons: Mapped[list[str]] = mapped_column(JSONType, default=list, nullable=False)
    scored_by: Mapped[str | None] = mapped_column(sa.String(64))
    qualified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
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


class WebhookDelivery(Base):
    """One JSON post to an external system (a lead to an outside CRM), kept until delivered.

    The row is written in the same transaction as the lead, so a crash never loses a post;
    a worker sends it, retrying with back-off, and records every failure.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (sa.Index(None, "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    event: Mapped[str] = mapped_column(sa.String(64))
    url: Mapped[str] = mapped_column(sa.String(500))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)
    status: Mapped[WebhookDeliveryStatus] = mapped_column(
        StrEnumType(WebhookDeliveryStatus), default=WebhookDeliveryStatus.pending
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    last_status_code: Mapped[int | None]
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = _created()


class EmailMessage(Base):
    """One email in the outbox, rendered when queued, sent by the mail worker.

    ``idempotency_key`` is unique, so queueing the same message twice keeps one row; the
    ``Message-ID`` header is fixed at queueing time, so a re-send after a crash carries the
    same id. ``claim_token`` and ``lease_until`` belong to the worker sending it right now.
    """

    __tablename__ = "email_outbox"
    __table_args__ = (sa.Index(None, "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    category: Mapped[EmailCategory] = mapped_column(StrEnumType(EmailCategory))
    template: Mapped[str] = mapped_column(sa.String(64))
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str | None] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str] = mapped_column(sa.Text)
    headers: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict, nullable=False)
    message_id: Mapped[str] = mapped_column(sa.String(255))
    status: Mapped[EmailStatus] = mapped_column(
        StrEnumType(EmailStatus), default=EmailStatus.pending
    )
    skip_reason: Mapped[EmailSkipReason | None] = mapped_column(StrEnumType(EmailSkipReason))
    attempts: Mapped[int] = mapped_column(default=0)
    # How often a worker died (or lost its lease) while sending this message.
    interruptions: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    last_smtp_code: Mapped[int | None]
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class EmailAttempt(Base):
    """One hand-over of an outbox message to the mail server and what came of it."""

    __tablename__ = "email_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(
        sa.ForeignKey("email_outbox.id", ondelete="CASCADE"), index=True
    )
    attempt: Mapped[int]
    outcome: Mapped[EmailAttemptOutcome] = mapped_column(
        StrEnumType(EmailAttemptOutcome, length=32)
    )
    smtp_code: Mapped[int | None]
    detail: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = _created()


class EmailSuppression(Base):
    """An address (stored lower-case) that gets no more email, e.g. after a hard bounce."""

    __tablename__ = "email_suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(sa.String(254), unique=True)
    reason: Mapped[SuppressionReason] = mapped_column(StrEnumType(SuppressionReason))
    detail: Mapped[str | None] = mapped_column(sa.Text)
    outbox_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("email_outbox.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = _created()


class StaffAccount(Base):
    """A person who works in the staff console; ``email`` is stored lower-case."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[StaffRole] = mapped_column(StrEnumType(StaffRole))
    # An argon2 hash (PHC string); the password itself is never stored.
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class StaffSession(Base):
    """A signed-in console session, kept server-side so logout and deactivation end it at once.

    The cookie holds a random token; only its SHA-256 is stored, so a leaked table does not
    give anyone a session. ``csrf_token`` is the synchronizer token of this session.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_accounts.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(sa.String(64))
    client_address: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = _created()
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The absolute end of the session, whatever the activity.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginAttempt(Base):
    """One console sign-in attempt; failures within a window throttle further attempts."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        sa.Index(None, "email", "created_at"),
        sa.Index(None, "client_address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    client_address: Mapped[str] = mapped_column(sa.String(64))
    succeeded: Mapped[bool]
    created_at: Mapped[datetime] = _created()


class AuditEvent(Base):
    """One staff action; ``actor`` keeps the email even after the account is gone."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_accounts.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[AuditAction] = mapped_column(StrEnumType(AuditAction, length=32), index=True)
    conversation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    target: Mapped[str | None] = mapped_column(sa.String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    client_address: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, nullable=False, index=True
    )


class ConversationTag(Base):
    """A label staff put on a conversation (``refund``, ``bug``...), stored lower-case."""

    __tablename__ = "conversation_tags"
    __table_args__ = (sa.UniqueConstraint("conversation_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE")
    )
    tag: Mapped[str] = mapped_column(sa.String(40), index=True)
    added_by: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = _created()


class ConversationNote(Base):
    """An internal note on a conversation; staff only, never shown to the customer."""

    __tablename__ = "conversation_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_accounts.id", ondelete="SET NULL")
    )
    author: Mapped[str] = mapped_column(sa.String(254))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = _created()


class IntentCorrection(Base):
    """The intent a customer message should have had, as reviewed by staff; exported as NLU
    training data. One per message: correcting again replaces it."""

    __tablename__ = "intent_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("messages.id", ondelete="CASCADE"), unique=True
    )
    # The example as the customer wrote it, kept with the correction for the export.
    text: Mapped[str] = mapped_column(sa.Text)
    original_intent: Mapped[str | None] = mapped_column(sa.String(100))
    corrected_intent: Mapped[str] = mapped_column(sa.String(100), index=True)
    corrected_by: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()
