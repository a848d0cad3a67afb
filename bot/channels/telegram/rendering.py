"""Turn the router's `OutboundMessage`s into Telegram sends (pure: no I/O here).

- Text over Telegram's 4,096-character limit is split at a paragraph, line or word
  break; buttons go on the last part.
- A picture becomes `sendPhoto` with the text as caption (1,024 characters at most,
  else the text follows as its own message). Telegram fetches pictures itself, so only
  absolute http(s) URLs of formats it shows work; relative URLs are made absolute with
  TELEGRAM_PUBLIC_URL, and SVGs or pictures without a public address become a text
  message with a link instead.
- Buttons become an inline keyboard; a payload longer than Telegram's 64-byte
  `callback_data` is sent as `h:<digest>` and looked up in the transcript on the press.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import Button, OutboundMessage

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
HASHED_PREFIX = "h:"


@dataclass(frozen=True, slots=True)
class TextOut:
    text: str
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True, slots=True)
class PhotoOut:
    photo: str
    caption: str | None = None
    buttons: tuple[Button, ...] = ()


Send = TextOut | PhotoOut


def render(message: OutboundMessage, *, public_url: str | None = None) -> list[Send]:
    """The sends that show `message` on Telegram, in order (empty when there is nothing)."""
    text, image, buttons, link = _content(message)
    photo = photo_url(image, public_url)
    if photo is None:
        fallback = link or absolute_url(image, public_url)
        if fallback and fallback not in (text or ""):
            text = f"{text}\n{fallback}" if text else fallback
        return _texts(text, buttons)
    if text is None or utf16_length(text) <= CAPTION_LIMIT:
        return [PhotoOut(photo, text, buttons)]
    return [PhotoOut(photo), *_texts(text, buttons)]


def _content(
    message: OutboundMessage,
) -> tuple[str | None, str | None, tuple[Button, ...], str | None]:
    """(text, image, buttons, link), reading a `product_card` custom payload when there is one."""
    custom = message.custom or {}
    if custom.get("type") != "product_card":
        return message.text, message.image, message.buttons, None
    lines = [_card_title(custom), _string(custom.get("reason")), message.text]
    text = "\n".join(line for line in lines if line) or None
    buttons = _card_buttons(custom.get("buttons")) or message.buttons
    return text, _string(custom.get("image")) or message.image, buttons, _string(custom.get("url"))


def _card_title(card: dict[str, Any]) -> str | None:
    name, price = _string(card.get("name")), card.get("price")
    if name and price not in (None, ""):
        return f"{name} - {price}"
    return name


def _card_buttons(raw: Any) -> tuple[Button, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        Button(str(b["title"]), str(b["payload"]))
        for b in raw
        if isinstance(b, dict) and b.get("title") and b.get("payload")
    )


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _texts(text: str | None, buttons: tuple[Button, ...]) -> list[Send]:
    if not text:
        # Buttons need a message to sit on; never drop them silently.
        return [TextOut("Please choose:", buttons)] if buttons else []
    parts = split_text(text)
    return [TextOut(part, buttons if i == len(parts) - 1 else ()) for i, part in enumerate(parts)]


def absolute_url(url: str | None, public_url: str | None) -> str | None:
    """`url` if absolute, made absolute with `public_url` if it starts with `/`, else None."""
    if not url:
        return None
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("/") and public_url:
        return public_url.rstrip("/") + url
    return None


def photo_url(url: str | None, public_url: str | None) -> str | None:
    """An address Telegram can fetch and show as a photo, or None (SVG, no public address)."""
    absolute = absolute_url(url, public_url)
    if absolute is None or absolute.split("?", 1)[0].lower().endswith(".svg"):
        return None
    return absolute


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji may count twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Parts of at most `limit` UTF-16 units, cut at the last paragraph, line or word break
    in the second half of a part, hard-cut only when there is none."""
    parts: list[str] = []
    rest = text.strip()
    while utf16_length(rest) > limit:
        fits = _longest_prefix(rest, limit)
        cut = fits
        for separator in ("\n\n", "\n", " "):
            at = rest.rfind(separator, 0, fits + 1)
            if at > fits // 2:
                cut = at
                break
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _longest_prefix(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def callback_data_for(payload: str) -> str:
    """The payload itself when it fits Telegram's 64 bytes, else a stable digest of it."""
    if len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
        return payload
    return HASHED_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:40]


def keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """One button per row (titles are often long); links open, others call back."""
    if not buttons:
        return None
    rows = []
    for button in buttons:
        if button.payload.startswith(("http://", "https://")):
            rows.append([InlineKeyboardButton(button.title, url=button.payload)])
        else:
            rows.append(
                [
                    InlineKeyboardButton(
                        button.title, callback_data=callback_data_for(button.payload)
                    )
                ]
            )
    return InlineKeyboardMarkup(rows)
