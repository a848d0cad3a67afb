"""The chat widget in Debian's chromium: open, chat, press a button, reload, see history.

The gateway runs with uvicorn on a free port against a stand-in Rasa. A screenshot of the
open widget is written to /tmp/chat-widget.png for a visual check.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy.orm import Session

from bot.main import create_app
from bot.settings import GatewaySettings
from crm_bridge.settings import StoreSettings
from tests.bot.helpers import TEST_SECRET, seed_products
from tests.bot.rasa_stand_in import StandInRasa, canned_reply, free_port

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path("/tmp/chat-widget.png")


MUG_CARD = {
    "type": "product_card",
    "product_id": 3,
    "rank": 1,
    "name": "Stoneware Mug",
    "price": "€14.00",
    "image": "/media/products/MUG-001.svg",
    "reason": "Popular with customers who bought Sencha Green Tea",
    "buttons": [
        {"title": "Details", "payload": '/product_details{"product_id": 3}'},
        {"title": "More like this", "payload": '/more_like_this{"product_id": 3}'},
    ],
    "url": None,
}


def _reply_with_offer_image(text: str, metadata: dict[str, Any]) -> dict[str, Any]:
    if text == "What would you recommend?":
        return {
            "messages": [
                {"text": "Here are some ideas under €30:"},
                {"text": None, "custom": MUG_CARD},
                {"text": None, "custom": {**MUG_CARD, "name": "Second Mug", "rank": 2}},
            ],
            "nlu": {"intent": "ask_recommendation", "confidence": 0.99, "entities": []},
        }
    if text == "/show_offers":
        return {
            "messages": [{"text": "Our tea of the week:", "image": "/media/products/TEA-001.svg"}],
            "nlu": {"intent": "show_offers", "confidence": 1.0, "entities": []},
        }
    return canned_reply(text, metadata)


@pytest.fixture
def gateway_url(sqlite_url: str, tmp_path: Path, store: Callable[[], Session]) -> Iterator[str]:
    seed_products(store)
    rasa = StandInRasa(reply=_reply_with_offer_image).start()
    port = free_port()
    app = create_app(
        GatewaySettings(rasa_url=rasa.url, rasa_timeout_seconds=2, session_secret=TEST_SECRET),
        StoreSettings(data_dir=tmp_path, database_url=sqlite_url),
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "gateway did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    rasa.stop()


def test_widget_chats_presses_a_button_and_keeps_history_after_reload(gateway_url: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.goto(gateway_url + "/")
            expect(page.get_by_role("heading", name="Tea", exact=True)).to_be_visible()
            page.get_by_role("button", name="Open chat").click()

            page.get_by_label("Your message").fill("Do you have green tea?")
            page.get_by_label("Your message").press("Enter")
            log = page.get_by_role("log")
            expect(log.locator(".cw-customer")).to_have_text(["Do you have green tea?"])
            expect(log.locator(".cw-bot").last).to_contain_text("You said: Do you have green tea?")

            page.get_by_role("button", name="Show offers").click()
            expect(log.locator(".cw-customer").last).to_have_text("Show offers")
            expect(log.locator(".cw-bot").last).to_contain_text("Our tea of the week:")
            image = log.locator(".cw-bot img").last
            expect(image).to_be_visible()
            assert image.evaluate("img => img.naturalWidth") > 0
            page.screenshot(path=str(SCREENSHOT))

            page.reload()
            # The panel reopens by itself and the server replays the transcript.
            expect(log).to_be_visible()
            expect(log.locator(".cw-customer")).to_have_text(
                ["Do you have green tea?", "Show offers"]
            )
            expect(log.locator(".cw-bot")).to_have_count(2)
            expect(log.locator(".cw-bot").last).to_contain_text("Our tea of the week:")
            page.set_viewport_size({"width": 390, "height": 740})
            page.screenshot(path=str(SCREENSHOT.with_name("chat-widget-narrow.png")))

            page.get_by_label("Your message").fill("Thanks!")
            page.get_by_role("button", name="Send").click()
            expect(log.locator(".cw-bot").last).to_contain_text("You said: Thanks!")
        finally:
            browser.close()


def test_widget_shows_product_cards_and_sends_a_cards_button(gateway_url: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.goto(gateway_url + "/")
            page.get_by_role("button", name="Open chat").click()
            page.get_by_label("Your message").fill("What would you recommend?")
            page.get_by_label("Your message").press("Enter")

            log = page.get_by_role("log")
            cards = log.locator(".cw-card")
            expect(cards).to_have_count(2)
            first = cards.first
            expect(first.locator(".cw-card-name")).to_have_text("Stoneware Mug")
            expect(first.locator(".cw-card-price")).to_have_text("€14.00")
            expect(first.locator(".cw-card-reason")).to_have_text(
                "Popular with customers who bought Sencha Green Tea"
            )
            image = first.locator("img")
            expect(image).to_be_visible()
            assert image.evaluate("img => img.naturalWidth") > 0
            page.screenshot(path=str(SCREENSHOT.with_name("chat-widget-cards.png")))

            first.get_by_role("button", name="More like this").click()
            expect(log.locator(".cw-customer").last).to_have_text("More like this")
            expect(log.locator(".cw-bot").last).to_contain_text(
                'You picked /more_like_this{"product_id": 3}'
            )

            page.reload()
            # After a reload both cards come back from the transcript.
            expect(log.locator(".cw-card")).to_have_count(2)
            expect(log.locator(".cw-card-name")).to_have_text(["Stoneware Mug", "Second Mug"])
        finally:
            browser.close()
