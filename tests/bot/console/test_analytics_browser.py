"""The analytics dashboard in Debian's chromium: charts draw, the filter changes the numbers,
a CSV link downloads the table.

The gateway runs with uvicorn on a free port against a migrated SQLite store seeded with a
small history; a marketing user signs in through the form. A screenshot goes to
/tmp/analytics-dashboard.png for a visual check.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy.orm import Session

from bot.main import create_app
from bot.settings import GatewaySettings, TelegramSettings
from crm_bridge import marketing_costs
from crm_bridge.analytics.periods import day_start
from crm_bridge.column_types import utcnow
from crm_bridge.enums import Channel, LeadStatus, StaffRole
from crm_bridge.settings import StoreSettings
from tests.bot.console.conftest import console_settings
from tests.bot.console.helpers import PASSWORD, make_staff
from tests.bot.helpers import TEST_SECRET
from tests.bot.rasa_stand_in import StandInRasa, free_port
from tests.bot.test_widget_browser import CHROMIUM, CHROMIUM_ARGS
from tests.crm_bridge.analytics.data import conversation, lead, order, say
from tests.utils.factories import make_contact

pytestmark = pytest.mark.browser

MARKETING = "mia@shop.test"
SCREENSHOT = Path("/tmp/analytics-dashboard.png")
TODAY = utcnow().date()


def _seed(store: Callable[[], Session]) -> None:
    """Conversations on three days of the last month, intents, a lead, orders and a cost."""
    noon = day_start(TODAY) + timedelta(hours=12)
    with store() as session:
        for days_ago, channel, intents in (
            (0, Channel.web, [("greet", 0.97), ("ask_price", 0.81)]),
            (0, Channel.telegram, [("ask_stock", 0.66)]),
            (1, Channel.web, [("greet", 0.92), ("nlu_fallback", 0.4)]),
            (12, Channel.telegram, [("request_quote", 0.88), ("affirm", 0.93)]),
            (12, Channel.web, [("faq/shipping", 0.99)]),
        ):
            chat = conversation(session, noon - timedelta(days=days_ago), channel=channel)
            for intent, confidence in intents:
                say(session, chat, intent=intent, confidence=confidence)
            if intent == "affirm":
                lead(session, chat, status=LeadStatus.converted, qualified=True)
        order(session, make_contact(session), noon, "180.00")
        order(session, make_contact(session), noon - timedelta(days=12), "95.50")
        marketing_costs.add_cost(
            session,
            period_start=TODAY - timedelta(days=29),
            period_end=TODAY,
            amount=Decimal("300.00"),
            entered_by=MARKETING,
            channel="search ads",
        )
        session.commit()
    make_staff(store, MARKETING, role=StaffRole.marketing, name="Mia")


@pytest.fixture
def gateway_url(sqlite_url: str, tmp_path: Path, store: Callable[[], Session]) -> Iterator[str]:
    _seed(store)
    rasa = StandInRasa().start()
    port = free_port()
    app = create_app(
        GatewaySettings(rasa_url=rasa.url, rasa_timeout_seconds=2, session_secret=TEST_SECRET),
        StoreSettings(data_dir=tmp_path, database_url=sqlite_url),
        TelegramSettings(_env_file=None, telegram_bot_token=None),  # type: ignore[call-arg]
        console_settings=console_settings(),
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


# Per chart canvas: whether Chart.js owns it and how many pixels it painted.
_DRAWN = """canvas => {
  const chart = Chart.getChart(canvas);
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted += 1; }
  return {key: canvas.dataset.chart, hasChart: chart !== undefined && chart !== null, painted};
}"""


def test_dashboard_draws_charts_filters_and_downloads_csv(gateway_url: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(
                viewport={"width": 1400, "height": 1000}, accept_downloads=True
            ).new_page()
            problems: list[str] = []
            # Script errors and CSP refusals; failed loads are caught by status below (the
            # console's "Failed to load resource" is also the browser's own /favicon.ico).
            page.on(
                "console",
                lambda m: (
                    problems.append(m.text)
                    if m.type == "error" and not m.text.startswith("Failed to load resource")
                    else None
                ),
            )
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on(
                "response",
                lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
            )

            page.goto(gateway_url + "/console/analytics")
            expect(page.get_by_role("heading", name="Sign in to the staff console")).to_be_visible()
            page.get_by_label("Email").fill(MARKETING)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", name="Analytics", exact=True)).to_be_visible()

            conversations = page.locator('[data-kpi="conversations"] .kpi-value')
            expect(conversations).to_have_text("5")
            canvases = page.locator("canvas[data-chart]")
            expect(canvases).to_have_count(3)  # conversations, funnel, intents
            drawn = [canvas.evaluate(_DRAWN) for canvas in canvases.all()]
            assert {item["key"] for item in drawn} == {"conversations", "funnel", "intents"}
            for item in drawn:
                assert item["hasChart"], item
                assert item["painted"] > 500, item
            page.screenshot(path=str(SCREENSHOT), full_page=True)

            # The last two days only: three conversations, the older two drop out.
            page.get_by_label("From", exact=True).fill((TODAY - timedelta(days=1)).isoformat())
            page.get_by_label("To", exact=True).fill(TODAY.isoformat())
            page.get_by_role("button", name="Show").click()
            expect(conversations).to_have_text("3")
            expect(page.locator('[data-kpi="revenue"] .kpi-value')).to_have_text("180.00")
            assert page.locator("canvas[data-chart]").first.evaluate(_DRAWN)["hasChart"]

            with page.expect_download() as info:
                page.get_by_role("link", name="Download “Key figures” as CSV").click()
            download = info.value
            first = (TODAY - timedelta(days=1)).isoformat()
            assert download.suggested_filename == f"kpis_{first}_{TODAY.isoformat()}.csv"
            rows = list(csv.reader(io.StringIO(Path(download.path()).read_text("utf-8"))))
            assert rows[0] == ["figure", "value"]
            figures = dict(rows[1:])
            assert figures["conversations"] == "3"
            assert figures["revenue"] == "180.00"
            assert figures["cost"] == "20.00"  # 2 of the cost's 30 days

            with page.expect_download() as info:
                page.get_by_role("link", name="Download “Top intents” as CSV").click()
            intents = list(csv.reader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))
            assert intents[0] == ["intent", "messages", "share", "average_confidence"]
            assert intents[1][:2] == ["greet", "2"]
            assert problems == []
        finally:
            browser.close()
