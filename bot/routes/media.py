"""`GET /media/products/{sku}.svg`: the generated picture of a product."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy.orm import Session

from bot.deps import ServicesDep
from bot.placeholders import product_svg, svg_etag
from bot.store import run_in_session
from crm_bridge import products
from crm_bridge.errors import StoreUnavailable

router = APIRouter()

CACHE_CONTROL = "public, max-age=86400"


def _name_and_category(session: Session, sku: str) -> tuple[str, str] | None:
    product = products.get_by_sku(session, sku)
    return None if product is None else (product.name, product.category)


@router.get("/media/products/{sku}.svg")
async def product_image(sku: str, request: Request, services: ServicesDep) -> Response:
    """The product's SVG; 304 when the browser's copy is current, 404 for unknown SKUs."""
    try:
        found = await run_in_session(services.session_factory, lambda s: _name_and_category(s, sku))
    except StoreUnavailable as error:
        raise HTTPException(status_code=503, detail="catalogue unavailable") from error
    if found is None:
        raise HTTPException(status_code=404, detail="unknown product")
    etag = svg_etag(*found)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(product_svg(*found), media_type="image/svg+xml", headers=headers)
