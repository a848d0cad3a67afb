"""Enumerations stored as short strings, so the database stays readable without the code."""

from enum import StrEnum


class Channel(StrEnum):
    """Where a customer talks to us."""

    web = "web"
    telegram = "telegram"


class ConversationStatus(StrEnum):
    """Who owns a conversation; ``waiting`` means a hand-over is asked but the bot still answers."""

    bot = "bot"
    waiting = "waiting"
    human = "human"
    closed = "closed"


class MessageDirection(StrEnum):
    """Seen from the shop: ``incoming`` from the customer, ``outgoing`` to the customer."""

    incoming = "incoming"
    outgoing = "outgoing"


class SenderType(StrEnum):
    """Who wrote a message, so transcripts show the bot apart from staff."""

    customer = "customer"
    bot = "bot"
    agent = "agent"
    system = "system"


class LeadStatus(StrEnum):
    """Where a sales lead is in the follow-up pipeline.

    ``draft`` while the customer is still answering the lead form, ``abandoned`` when they
    stopped it (the answers are kept and the form resumes from them), ``qualified`` when
    the form is complete; ``converted`` and ``lost`` are the outcomes scoring learns from.
    """

    draft = "draft"
    abandoned = "abandoned"
    new = "new"
    qualified = "qualified"
    contacted = "contacted"
    converted = "converted"
    lost = "lost"


class HandoverStatus(StrEnum):
    """Life of a request to pass a conversation to a person."""

    requested = "requested"
    accepted = "accepted"
    resolved = "resolved"
    cancelled = "cancelled"


class OrderStatus(StrEnum):
    """State of a shop order; only some states count as a purchase for recommendations."""

    placed = "placed"
    paid = "paid"
    shipped = "shipped"
    delivered = "delivered"
    cancelled = "cancelled"
    returned = "returned"


class ConsentKind(StrEnum):
    """What a contact agreed to (or withdrew); each change is its own row, never an overwrite."""

    proactive_messages = "proactive_messages"
    marketing = "marketing"


class SuggestionEventKind(StrEnum):
    """What happened to a product the assistant suggested: the funnel CTR is measured on."""

    shown = "shown"
    clicked = "clicked"
    asked = "asked"
    bought = "bought"


class WebhookDeliveryStatus(StrEnum):
    """State of one outbound webhook post; ``failed`` only after every retry was used."""

    pending = "pending"
    delivered = "delivered"
    failed = "failed"


class EmailCategory(StrEnum):
    """Why an email is sent: only ``marketing`` needs marketing consent and an unsubscribe link."""

    transactional = "transactional"
    notification = "notification"
    marketing = "marketing"


class EmailStatus(StrEnum):
    """State of one outbox message; ``sending`` means claimed by a worker under a lease."""

    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    skipped = "skipped"


class EmailSkipReason(StrEnum):
    """Why a message was recorded but never handed to the mail server."""

    no_consent = "no_consent"
    suppressed = "suppressed"
    email_off = "email_off"
    no_address = "no_address"


class EmailAttemptOutcome(StrEnum):
    """What one hand-over of a message to the mail server came to."""

    sent = "sent"
    temporary_failure = "temporary_failure"
    permanent_failure = "permanent_failure"
    interrupted = "interrupted"


class SuppressionReason(StrEnum):
    """Why an address gets no more mail."""

    hard_bounce = "hard_bounce"
    manual = "manual"


class StaffRole(StrEnum):
    """What a staff member may do in the console: agents work conversations, admins also
    manage staff accounts and read the audit log."""

    agent = "agent"
    admin = "admin"


class AuditAction(StrEnum):
    """A staff action kept in the audit log, so admins can see who did what and when."""

    login = "login"
    login_failed = "login_failed"
    login_throttled = "login_throttled"
    logout = "logout"
    view_transcript = "view_transcript"
    take_over = "take_over"
    return_to_bot = "return_to_bot"
    close = "close"
    export = "export"
    erase = "erase"
    account_created = "account_created"
    role_changed = "role_changed"
    account_deactivated = "account_deactivated"
    account_reactivated = "account_reactivated"
    password_reset = "password_reset"
    reviewed = "reviewed"
    intent_corrected = "intent_corrected"
