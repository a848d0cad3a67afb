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
    """Where a sales lead is in the follow-up pipeline."""

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
