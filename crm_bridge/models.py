"""ORM models of the CRM store; the schema itself is created by the Alembic migrations."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from crm_bridge.column_types import JSONType, StrEnumType, UTCDateTime, utcnow
from crm_bridge.enums import (
    AuditAction,
    CampaignActionKind,
    CampaignSendStatus,
    CampaignSkipReason,
    CampaignStatus,
    CampaignTrigger,
    Channel,
    ConsentKind,
    ConversationStatus,
    EmailAttemptOutcome,
    EmailCategory,
    EmailSkipReason,
    EmailStatus,
    EnrollmentStatus,
    ExperimentGoal,
    ExperimentStatus,
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


# --- Marketing automation: customer value, segments, campaigns, experiments, costs ---------


class ValueRun(Base):
    """One recomputation of RFM scores, clusters and lifetime values over all customers.

    ``report`` keeps what a marketer needs to trust the run: the clusters (sizes, centroids,
    names), the silhouette score per k tried, the fitted CLV parameters, or why the CLV
    model fell back.
    """

    __tablename__ = "value_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = _created()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "ok", "failed" (nothing was replaced) or "running".
    status: Mapped[str] = mapped_column(sa.String(16), default="running")
    customers: Mapped[int] = mapped_column(default=0)
    horizon_days: Mapped[int] = mapped_column(default=365)
    annual_discount_rate: Mapped[float] = mapped_column(sa.Float, default=0.1)
    report: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    error: Mapped[str | None] = mapped_column(sa.Text)
    triggered_by: Mapped[str] = mapped_column(sa.String(254), default="schedule")


class CustomerValue(Base):
    """A customer's latest RFM scores, behavioural cluster and lifetime value (one row each).

    Replaced as a whole by every value run; only contacts with at least one order have one.
    """

    __tablename__ = "customer_values"

    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("value_runs.id", ondelete="CASCADE"))
    first_order_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_order_at: Mapped[datetime] = mapped_column(UTCDateTime())
    order_count: Mapped[int]
    total_spent: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    recency_days: Mapped[int]
    r_score: Mapped[int] = mapped_column(sa.SmallInteger)
    f_score: Mapped[int] = mapped_column(sa.SmallInteger)
    m_score: Mapped[int] = mapped_column(sa.SmallInteger)
    # A key of marketing.segmentation's RFM grid, e.g. "champions", "at_risk".
    rfm_segment: Mapped[str] = mapped_column(sa.String(40), index=True)
    cluster: Mapped[str] = mapped_column(sa.String(80), index=True)
    # None where the CLV model could not be fitted (too little repeat history).
    p_alive: Mapped[float | None] = mapped_column(sa.Float)
    expected_purchases: Mapped[float | None] = mapped_column(sa.Float)
    expected_order_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    clv: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2), index=True)
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    computed_at: Mapped[datetime] = _created()


class Segment(Base):
    """A rule-based segment saved by staff; ``rules`` is the filter language of
    ``crm_bridge.segment_rules`` (contact fields, consents, lead grade, events)."""

    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    rules: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    created_by: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class SegmentMembership(Base):
    """A contact's time in a segment: ``left_at`` is None while they are in it.

    ``segment_key`` names any kind of segment: ``rfm:<name>``, ``cluster:<name>``,
    ``rule:<segment id>``; entering one is a campaign trigger.
    """

    __tablename__ = "segment_memberships"
    __table_args__ = (
        sa.Index(None, "segment_key", "left_at"),
        sa.Index(None, "contact_id", "left_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_key: Mapped[str] = mapped_column(sa.String(120))
    contact_id: Mapped[int] = mapped_column(sa.ForeignKey("contacts.id", ondelete="CASCADE"))
    entered_at: Mapped[datetime] = _created()
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ContactTag(Base):
    """A label on a contact (``vip``, ``winback-sent``), by staff or a campaign; lower-case."""

    __tablename__ = "contact_tags"
    __table_args__ = (sa.UniqueConstraint("contact_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(sa.ForeignKey("contacts.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(sa.String(40), index=True)
    # A staff email, or "campaign:<id>".
    added_by: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = _created()


class Campaign(Base):
    """An automated follow-up: a trigger, a wait, conditions, then actions in order.

    ``conditions`` uses the segment rule language and is checked when the wait is over;
    ``actions`` is a list of ``{"kind": CampaignActionKind, ...}`` objects (a message
    template, a tag, a URL). ``scanned_until`` is how far the trigger scan has looked.
    """

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    status: Mapped[CampaignStatus] = mapped_column(
        StrEnumType(CampaignStatus), default=CampaignStatus.draft, index=True
    )
    trigger: Mapped[CampaignTrigger] = mapped_column(StrEnumType(CampaignTrigger, length=32))
    trigger_params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    wait_seconds: Mapped[int] = mapped_column(default=0)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list, nullable=False)
    # An order or a converted lead within this many days of a send counts as a conversion.
    conversion_window_days: Mapped[int] = mapped_column(default=7)
    scanned_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class CampaignEnrollment(Base):
    """One contact's run through a campaign, started by one trigger event.

    ``trigger_key`` names the event (``lead:42``, ``click:977``, ``segment:rfm:at_risk:5``),
    unique per campaign, so scanning the same event twice enrols once.
    """

    __tablename__ = "campaign_enrollments"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "trigger_key"),
        sa.Index(None, "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    trigger_key: Mapped[str] = mapped_column(sa.String(160))
    triggered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[EnrollmentStatus] = mapped_column(
        StrEnumType(EnrollmentStatus), default=EnrollmentStatus.waiting
    )
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    detail: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class CampaignSend(Base):
    """What one campaign action did for one enrolment: sent, skipped (and why) or failed.

    Unique per (enrolment, action), which is what makes a retried enrolment idempotent.
    ``click_token`` goes into tracked links; the first click is kept in ``clicked_at``.
    """

    __tablename__ = "campaign_sends"
    __table_args__ = (
        sa.UniqueConstraint("enrollment_id", "action_index"),
        sa.Index(None, "campaign_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign_enrollments.id", ondelete="CASCADE")
    )
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    action_index: Mapped[int]
    action_kind: Mapped[CampaignActionKind] = mapped_column(
        StrEnumType(CampaignActionKind, length=32)
    )
    status: Mapped[CampaignSendStatus] = mapped_column(StrEnumType(CampaignSendStatus))
    skip_reason: Mapped[CampaignSkipReason | None] = mapped_column(
        StrEnumType(CampaignSkipReason, length=32)
    )
    detail: Mapped[str | None] = mapped_column(sa.Text)
    click_token: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    clicked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class Experiment(Base):
    """An A/B/n test of an assistant message (``key`` names the place, e.g. ``greeting``).

    Variants are assigned per conversation by Thompson sampling on ``goal``; once stopped,
    the variant ``winner_key`` is shown to everyone.
    """

    __tablename__ = "experiments"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    goal: Mapped[ExperimentGoal] = mapped_column(StrEnumType(ExperimentGoal, length=32))
    status: Mapped[ExperimentStatus] = mapped_column(
        StrEnumType(ExperimentStatus), default=ExperimentStatus.running, index=True
    )
    # The ``key`` of the variant fixed as the winner when the experiment was stopped.
    winner_key: Mapped[str | None] = mapped_column(sa.String(40))
    created_by: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = _created()
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    stopped_by: Mapped[str | None] = mapped_column(sa.String(254))


class ExperimentVariant(Base):
    """One version of the message under test; ``text`` is what the assistant says."""

    __tablename__ = "experiment_variants"
    __table_args__ = (sa.UniqueConstraint("experiment_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(sa.ForeignKey("experiments.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(40))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = _created()


class ExperimentAssignment(Base):
    """Which variant a conversation saw; conversions are counted from the CRM store."""

    __tablename__ = "experiment_assignments"
    __table_args__ = (sa.UniqueConstraint("experiment_id", "conversation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(sa.ForeignKey("experiments.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("experiment_variants.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    assigned_at: Mapped[datetime] = _created()


class MarketingCost(Base):
    """Marketing spend entered by staff for a period, for CAC and ROI."""

    __tablename__ = "marketing_costs"
    __table_args__ = (sa.Index(None, "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    # Where the money went: "telegram ads", "newsletter"...; optional link to a campaign.
    channel: Mapped[str] = mapped_column(sa.String(60), default="")
    campaign_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="SET NULL")
    )
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    entered_by: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = _created()


# APScheduler's job table (campaign waits, trigger scans, value recomputation). Created by
# our migration so the schema stays Alembic's; APScheduler's SQLAlchemyJobStore reads and
# writes it with its own columns, which these mirror.
scheduler_jobs = sa.Table(
    "apscheduler_jobs",
    Base.metadata,
    sa.Column("id", sa.Unicode(191), primary_key=True),
    sa.Column("next_run_time", sa.Float(25), index=True),
    sa.Column("job_state", sa.LargeBinary, nullable=False),
)
