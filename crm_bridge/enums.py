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
    # Sees and runs segments, campaigns, experiments and analytics; not the inbox admin.
    marketing = "marketing"
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
    segment_saved = "segment_saved"
    segment_deleted = "segment_deleted"
    campaign_saved = "campaign_saved"
    campaign_status_changed = "campaign_status_changed"
    experiment_saved = "experiment_saved"
    experiment_stopped = "experiment_stopped"
    cost_entered = "cost_entered"
    cost_deleted = "cost_deleted"
    values_recomputed = "values_recomputed"


class CampaignStatus(StrEnum):
    """Life of a campaign: only ``active`` campaigns enrol contacts and send."""

    draft = "draft"
    active = "active"
    paused = "paused"
    archived = "archived"


class CampaignTrigger(StrEnum):
    """The event that enrols a contact in a campaign (parameters in ``trigger_params``)."""

    lead_qualified = "lead_qualified"
    lead_abandoned = "lead_abandoned"
    # A suggestion was clicked but the product not bought within ``days``.
    suggestion_not_bought = "suggestion_not_bought"
    # The contact entered ``segment`` (a key such as ``rfm:at_risk`` or ``rule:3``).
    entered_segment = "entered_segment"
    # No message and no order for ``days``.
    inactive = "inactive"


class CampaignActionKind(StrEnum):
    """What a campaign does for an enrolled contact, in order."""

    telegram_message = "telegram_message"
    email = "email"
    notify_staff = "notify_staff"
    tag_contact = "tag_contact"
    webhook = "webhook"


class EnrollmentStatus(StrEnum):
    """One contact's run through a campaign; ``running`` is claimed by a worker under a lease."""

    waiting = "waiting"
    running = "running"
    done = "done"
    # The conditions no longer held when the wait was over.
    skipped = "skipped"
    failed = "failed"
    cancelled = "cancelled"


class CampaignSendStatus(StrEnum):
    """Outcome of one campaign action for one contact.

    ``sending`` is written (and committed) before a message leaves, so a crash leaves a
    trace and the message is never sent twice; ``deferred`` waits for quiet hours to end.
    """

    sending = "sending"
    sent = "sent"
    deferred = "deferred"
    skipped = "skipped"
    failed = "failed"


class CampaignSkipReason(StrEnum):
    """Why a campaign action was not carried out for a contact."""

    no_consent = "no_consent"
    opted_out = "opted_out"
    quiet_hours = "quiet_hours"
    no_channel = "no_channel"
    conditions_failed = "conditions_failed"
    # A worker died while sending: the message may or may not have left, so it is not resent.
    interrupted = "interrupted"


class ExperimentGoal(StrEnum):
    """The conversion an experiment's variants compete on, counted from the CRM store."""

    suggestion_click = "suggestion_click"
    lead_created = "lead_created"


class ExperimentStatus(StrEnum):
    """A ``running`` experiment assigns variants by Thompson sampling; a ``stopped`` one
    always shows its winner."""

    running = "running"
    stopped = "stopped"
