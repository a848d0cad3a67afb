"""Turning catalogue facts into short customer-facing phrases and buttons."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

Button = dict[str, str]

_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}
LOW_STOCK = 5


def format_price(amount: Decimal, currency: str = "EUR") -> str:
    """`€26.99` for known currencies, `26.99 CHF` otherwise."""
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    symbol = _SYMBOLS.get(currency.upper())
    return f"{symbol}{value}" if symbol else f"{value} {currency.upper()}"


def stock_phrase(name: str, stock: int) -> str:
    """One sentence on availability, precise when stock runs low."""
    if stock <= 0:
        return f"Sorry, the {name} is out of stock at the moment."
    if stock <= LOW_STOCK:
        return f"The {name} is in stock, but only {stock} left."
    return f"Yes, the {name} is in stock ({stock} available)."


def button(title: str, payload: str) -> Button:
    """A button in the shape the gateway stores and sends."""
    return {"title": title, "payload": payload}


def stock_button(name: str) -> Button:
    """A product button that asks about its availability (prices are shown beside it)."""
    return button(name, f"Is the {name} in stock?")


def price_button(name: str) -> Button:
    """A product button that asks for its price, for "did you mean" suggestions."""
    return button(name, f"How much is the {name}?")


def category_button(category: str) -> Button:
    """A button that browses one category."""
    return button(category.capitalize(), f"Show me {category}")
