"""Product pictures at /media/products/{sku}.svg."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.bot.helpers import seed_products


def test_media_serves_a_cached_svg_with_initials(
    client: TestClient, store: Callable[[], Session]
) -> None:
    seed_products(store)
    response = client.get("/media/products/TEA-001.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "max-age" in response.headers["cache-control"]
    assert ">SG</text>" in response.text
    again = client.get(
        "/media/products/TEA-001.svg", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


def test_media_unknown_sku_is_404(client: TestClient, store: Callable[[], Session]) -> None:
    assert client.get("/media/products/NOPE-1.svg").status_code == 404
