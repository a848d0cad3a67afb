"""Turn PTB `Update`s into what the gateway understands.

Each update the gateway acts on becomes one `Event`: a customer message for the
assistant (`say`, `press`, `start`), a command the gateway answers itself (`help`,
`stop`), or something it answers politely without understanding (`edited`,
`unsupported`). Everything else (channel posts, polls, inline queries...) is `None`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from telegram import CallbackQuery, Message, Update, User

from bot.messages import InboundMessage
from crm_bridge.enums import Channel

# Deep-link parameters may hold A-Z, a-z, 0-9, _ and -, at most 64 characters.
_START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")
_CAMPAIGN_SEPARATOR = "__"
_COMMAND = re.compile(r"^/([A-Za-z0-9_]+)(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)
_UNSUPPORTED_KINDS = (
    "sticker",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "document",
    "photo",
    "location",
    "contact",
    "poll",
    "dice",
)


class EventKind(StrEnum):
    say = "say"
    press = "press"
    start = "start"
    help = "help"
    stop = "stop"
    edited = "edited"
    unsupported = "unsupported"


@dataclass(frozen=True, slots=True)
class Event:
    """One update, ready for the router. `callback_query_id` is set for button presses."""

    kind: EventKind
    chat_id: int
    inbound: InboundMessage
    callback_query_id: str | None = None
    source: str | None = None
    campaign: str | None = None


def session_key_for(chat_id: int) -> str:
    """The Rasa sender id of a Telegram chat."""
    return f"telegram-{chat_id}"


def chat_id_for(session_key: str) -> int | None:
    """The chat of a session key made by `session_key_for`, or None for another channel's."""
    prefix, _, number = session_key.partition("-")
    if prefix != "telegram" or not number.lstrip("-").isdigit():
        return None
    return int(number)


def parse_start_parameter(parameter: str | None) -> tuple[str | None, str | None]:
    """`/start <source>` or `/start <source>__<campaign>` -> (source, campaign).

    Anything Telegram would not put in a deep link is ignored rather than stored.
    """
    if not parameter or _START_PARAMETER.fullmatch(parameter) is None:
        return None, None
    source, _, campaign = parameter.partition(_CAMPAIGN_SEPARATOR)
    return source or None, campaign or None


def parse_update(update: Update) -> Event | None:
    """The event for `update`, or None when the gateway has nothing to do with it."""
    if update.callback_query is not None:
        return _press(update.callback_query)
    if update.edited_message is not None:
        return _from_message(update.edited_message, edited=True)
    if update.message is not None:
        return _from_message(update.message, edited=False)
    return None


def _from_message(message: Message, *, edited: bool) -> Event | None:
    user = message.from_user
    if user is None:  # channel posts and anonymous group admins
        return None
    chat_id = message.chat.id
    if edited:
        text = f"(edited) {message.text or message.caption or ''}".strip()
        return Event(EventKind.edited, chat_id, _inbound(user, chat_id, text))
    if message.text is None:
        kind = next((k for k in _UNSUPPORTED_KINDS if getattr(message, k, None)), "message")
        return Event(EventKind.unsupported, chat_id, _inbound(user, chat_id, f"[{kind}]"))
    text = message.text.strip()
    if not text:
        return None
    command = _COMMAND.match(text)
    name = command.group(1).lower() if command else None
    if name == "start":
        source, campaign = parse_start_parameter((command.group(2) or "").strip() or None)
        inbound = _inbound(user, chat_id, text, payload="/greet")
        return Event(EventKind.start, chat_id, inbound, source=source, campaign=campaign)
    if name in ("help", "stop"):
        return Event(EventKind(name), chat_id, _inbound(user, chat_id, text))
    return Event(EventKind.say, chat_id, _inbound(user, chat_id, text))


def _press(query: CallbackQuery) -> Event | None:
    if not query.data:
        return None
    message = query.message
    chat_id = message.chat.id if message is not None else query.from_user.id
    title = _button_title(query) or query.data
    inbound = _inbound(query.from_user, chat_id, title, payload=query.data)
    return Event(EventKind.press, chat_id, inbound, callback_query_id=query.id)


def _button_title(query: CallbackQuery) -> str | None:
    """The text of the pressed button, read from the keyboard it was pressed on."""
    message = query.message
    markup = getattr(message, "reply_markup", None) if message is not None else None
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == query.data:
                return button.text
    return None


def _inbound(user: User, chat_id: int, text: str, payload: str | None = None) -> InboundMessage:
    return InboundMessage(
        channel=Channel.telegram,
        external_id=str(user.id),
        session_key=session_key_for(chat_id),
        text=text,
        payload=payload,
        display_name=user.full_name or None,
        username=user.username,
        language=user.language_code,
    )
