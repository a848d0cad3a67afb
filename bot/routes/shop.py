"""`GET /`: the demo shop page, the catalogue of the CRM store with the chat widget."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from bot.deps import ServicesDep
from bot.store import run_in_session
from crm_bridge import products
from crm_bridge.errors import StoreUnavailable

router = APIRouter()
templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")

_CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@dataclass(frozen=True, slots=True)
class ProductCard:
    """What the page shows of a product (plain values: rendered after the session closed)."""

    sku: str
    name: str
    description: str
    price: str
    stock: int
    image_url: str


def format_price(amount: Decimal, currency: str) -> str:
    """ "€12.90" for known currencies, "12.90 CHF" otherwise."""
    symbol = _CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency.upper()}"


def _catalogue(session: Session) -> dict[str, list[ProductCard]]:
    grouped: dict[str, list[ProductCard]] = {}
    for product in products.list_products(session):
        grouped.setdefault(product.category, []).append(
            ProductCard(
                sku=product.sku,
                name=product.name,
                description=product.description or "",
                price=format_price(product.price, product.currency),
                stock=product.stock,
                image_url=product.image_url or f"/media/products/{product.sku}.svg",
            )
        )
    return dict(sorted(grouped.items()))


@router.get("/", response_class=HTMLResponse)
async def shop_page(request: Request, services: ServicesDep) -> HTMLResponse:
    """The shop front; still renders (without products) when the store is down."""
    try:
        catalogue = await run_in_session(services.session_factory, _catalogue)
        status_code = 200
    except StoreUnavailable:
        catalogue, status_code = {}, 503
    return templates.TemplateResponse(
        request,
        "shop.html",
        {"catalogue": catalogue, "unavailable": status_code != 200},
        status_code=status_code,
    )
