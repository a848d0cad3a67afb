"""Parsers for single CSV cells; each returns a clean value or raises ValueError(reason).

The reasons are written for the person who made the file: they end up in messages such as
"orders.csv row 7, column quantity: must be a positive whole number".
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

MAX_PRICE = Decimal("99999999.99")  # what Numeric(10, 2) holds
MAX_INT = 2**31 - 1

_PRICE = re.compile(r"[0-9]+(\.[0-9]+)?|\.[0-9]+")
_WHOLE = re.compile(r"[+-]?[0-9]+")
# The top-level domain is letters, or punycode for the non-Latin ones (xn--...).
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.([a-z]{2,}|xn--[a-z0-9-]+)", re.IGNORECASE)
_CURRENCY = re.compile(r"[A-Za-z]{3}")
_PHONE = re.compile(r"\+?[0-9][0-9 ().-]{3,38}")
_YES = frozenset({"true", "yes", "1"})
_NO = frozenset({"false", "no", "0", ""})


def parse_text(text: str, *, max_length: int) -> str:
    """Return the trimmed text; empty or too long is an error."""
    value = text.strip()
    if not value:
        raise ValueError("is required")
    if len(value) > max_length:
        raise ValueError(f"is longer than {max_length} characters")
    return value


def parse_optional_text(text: str, *, max_length: int) -> str | None:
    """Return the trimmed text, or None for an empty cell."""
    return parse_text(text, max_length=max_length) if text.strip() else None


def parse_identifier(text: str, *, max_length: int = 64) -> str:
    """Return an id such as a SKU or an order number: required, no spaces inside."""
    value = parse_text(text, max_length=max_length)
    if any(char.isspace() for char in value):
        raise ValueError("must not contain spaces")
    return value


def parse_price(text: str) -> Decimal:
    """Return a non-negative amount with at most two decimals, written with a dot."""
    value = text.strip()
    if not value:
        raise ValueError("is required")
    if value.startswith("-") and _PRICE.fullmatch(value[1:]):
        raise ValueError("must not be negative")
    if not _PRICE.fullmatch(value):
        hint = " (use a dot for decimals)" if "," in value else ""
        raise ValueError(f"must be a number like 12.50{hint}")
    amount = Decimal(value)
    if amount > MAX_PRICE:  # checked first: quantizing a huge number overflows
        raise ValueError(f"must be at most {MAX_PRICE}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("must have at most 2 decimal places")
    return amount.quantize(Decimal("0.01"))


def parse_quantity(text: str) -> int:
    """Return a whole number of at least 1."""
    return _parse_whole(text, minimum=1, reason="must be a positive whole number")


def parse_stock(text: str) -> int:
    """Return a whole number of at least 0 (0 means sold out)."""
    return _parse_whole(text, minimum=0, reason="must be a whole number, 0 or more")


def parse_email(text: str) -> str:
    """Return the address lower-cased; only the shape is checked, not that it exists."""
    value = text.strip()
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        raise ValueError("is not a valid email address")
    return value.lower()


def parse_phone(text: str) -> str:
    """Return a phone number made of digits, spaces, + ( ) . and -."""
    value = text.strip()
    if not _PHONE.fullmatch(value):
        raise ValueError("is not a phone number (digits, spaces, + ( ) - only)")
    return value


def parse_currency(text: str) -> str:
    """Return a three-letter currency code in capitals."""
    value = text.strip()
    if not _CURRENCY.fullmatch(value):
        raise ValueError("must be a 3-letter currency code like EUR")
    return value.upper()


def parse_yes_no(text: str) -> bool:
    """Return True for true/yes/1 and False for false/no/0 or an empty cell, in any case."""
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError("must be true or false (yes/no and 1/0 also work)")


def parse_datetime(text: str) -> datetime:
    """Return an aware UTC time from an ISO 8601 date or date-time; no zone means UTC."""
    value = text.strip()
    reason = "must be a date like 2025-03-14 or a time like 2025-03-14T09:30:00Z"
    if not value:
        raise ValueError("is required")
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(value)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(reason) from None


def _parse_whole(text: str, *, minimum: int, reason: str) -> int:
    value = text.strip()
    if not _WHOLE.fullmatch(value):
        raise ValueError(reason)
    number = int(value)
    if number < minimum:
        raise ValueError(reason)
    if number > MAX_INT:
        raise ValueError(f"must be at most {MAX_INT}")
    return number
