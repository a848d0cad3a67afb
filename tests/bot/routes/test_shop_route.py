"""The demo shop page."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.bot.helpers import seed_products
from tests.bot.rasa_stand_in import StandInRasa


def test_shop_lists_products_by_category_with_widget(
    client: TestClient, store: Callable[[], Session]
) -> None:
    seed_products(store)
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert html.index(">Kitchen</h2>") < html.index(">Tea</h2>")
    for name in ("Sencha Green Tea", "Earl Grey Classic", "Stoneware Mug"):
        assert name in html
    assert "€8.90" in html and "In stock (25)" in html and "Out of stock" in html
    assert 'src="/media/products/TEA-001.svg"' in html
    assert '/static/widget/chat-widget.js" defer></script>' in html


def test_shop_serves_the_widget_assets(client: TestClient) -> None:
    script = client.get("/static/widget/chat-widget.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert "/ws/chat" in script.text
    assert client.get("/static/widget/chat-widget.css").status_code == 200


def test_shop_page_degrades_when_the_store_is_down(
    make_client: Callable[..., TestClient], rasa: StandInRasa
) -> None:
    client = make_client(rasa.url, database_url="postgresql://nobody:pw@127.0.0.1:1/crm")
    response = client.get("/")
    assert response.status_code == 503
    assert "unavailable" in response.text
    assert "chat-widget.js" in response.text
