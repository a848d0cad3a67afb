"""The analytics dashboard and the marketing costs pages in the console."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from crm_bridge.analytics.periods import day_start
from crm_bridge.column_types import utcnow
from crm_bridge.enums import AuditAction, Channel, StaffRole
from crm_bridge.models import AuditEvent, Campaign, CustomerValue, MarketingCost, ValueRun
from tests.bot.console.conftest import AGENT
from tests.bot.console.helpers import login, make_staff, page_token
from tests.crm_bridge.analytics.data import conversation, order, say
from tests.utils.factories import make_contact

MARKETING = "mia@shop.test"
TODAY = utcnow().date()


@pytest.fixture
def marketing_id(store: Callable[[], Session]) -> int:
    return make_staff(store, MARKETING, role=StaffRole.marketing, name="Mia")


@pytest.fixture
def history(store: Callable[[], Session]) -> dict[str, int]:
    """Two conversations today, one 40 days ago, and one order of 1,234.50 today."""
    with store() as session:
        noon = day_start(TODAY) + timedelta(hours=12)
        today_web = conversation(session, noon)
        say(session, today_web, intent="greet", confidence=0.95)
        say(session, today_web, intent="ask_price", confidence=0.3, text="=HYPERLINK(1)")
        conversation(session, noon, channel=Channel.telegram)
        old = conversation(session, noon - timedelta(days=40))
        say(session, old, intent="greet", confidence=0.9)
        order(session, make_contact(session), noon, "1234.50")
        session.commit()
        return {"today_web": today_web.id, "old": old.id}


def _kpi(html: str, key: str) -> str:
    match = re.search(rf'data-kpi="{key}">.*?class="kpi-value">([^<]*)<', html, re.DOTALL)
    assert match, f"no KPI tile {key}"
    return match.group(1)


def _range(first: date, last: date) -> dict[str, str]:
    return {"from": first.isoformat(), "to": last.isoformat()}


@pytest.mark.usefixtures("agent_id")
def test_an_agent_cannot_open_analytics_or_costs(app_client: TestClient) -> None:
    csrf = login(app_client, AGENT)

    for path in (
        "/console/analytics",
        "/console/analytics/export/kpis.csv",
        "/console/analytics/costs",
    ):
        response = app_client.get(path)
        assert response.status_code == 403, path
        assert "Only marketing staff and admins" in response.text
    refused = app_client.post(
        "/console/analytics/costs",
        data={"period_start": "2026-11-01", "period_end": "2026-11-30", "amount": "10"},
        headers={"X-CSRF-Token": csrf},
    )
    assert refused.status_code == 403
    assert "Analytics" not in app_client.get("/console/conversations").text


@pytest.mark.usefixtures("marketing_id", "history")
def test_dashboard_renders_tiles_charts_data_and_tables(app_client: TestClient) -> None:
    login(app_client, MARKETING)

    response = app_client.get("/console/analytics")

    assert response.status_code == 200
    html = response.text
    assert _kpi(html, "conversations") == "2"
    assert _kpi(html, "revenue") == "1,234.50"
    assert _kpi(html, "cac") == "0.00"  # no cost, one new customer
    assert _kpi(html, "roi") == "n/a"  # no cost to divide by
    assert f'name="from" value="{(TODAY - timedelta(days=29)).isoformat()}"' in html
    assert '<script src="/console/static/console/vendor/chart-4.5.1.umd.min.js" defer>' in html
    assert '<script src="/console/static/console/analytics.js" defer>' in html
    # No inline script: the only script element with content is the JSON data.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [
        '<script type="application/json" id="analytics-data">'
    ]
    data = json.loads(re.search(r'id="analytics-data">(.*?)</script>', html, re.DOTALL)[1])
    assert {
        dataset["label"]: sum(dataset["data"]) for dataset in data["conversations"]["datasets"]
    } == {
        "telegram": 1,
        "web": 1,
    }
    assert data["funnel"]["datasets"][0]["data"][:2] == [2, 1]
    for chart in ("conversations", "funnel", "intents"):
        assert f'data-chart="{chart}"' in html
    assert "ask_price" in html and "=HYPERLINK(1)" in html
    assert "Analytics" in html and "Campaign results" in html


@pytest.mark.usefixtures("marketing_id", "history")
def test_the_date_filter_changes_the_numbers(app_client: TestClient) -> None:
    login(app_client, MARKETING)
    forty_days_ago = TODAY - timedelta(days=40)

    old_only = app_client.get(
        "/console/analytics", params=_range(forty_days_ago, forty_days_ago)
    ).text
    everything = app_client.get("/console/analytics", params=_range(forty_days_ago, TODAY)).text

    assert _kpi(old_only, "conversations") == "1"
    assert _kpi(old_only, "revenue") == "0.00"
    assert _kpi(everything, "conversations") == "3"


@pytest.mark.usefixtures("marketing_id", "history")
@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"from": "yesterday", "to": "2026-11-23"}, "“yesterday” is not a date"),
        ({"from": "2026-11-23", "to": "2026-02-30"}, "“2026-02-30” is not a date"),
        ({"from": "2026-11-23", "to": "2026-11-01"}, "ends (2026-11-01) before it starts"),
        ({"from": "2020-01-01", "to": "2026-11-01"}, "longer than 1100 days"),
    ],
)
def test_bad_dates_show_the_default_range_with_a_clear_error(
    app_client: TestClient, params: dict[str, str], reason: str
) -> None:
    login(app_client, MARKETING)

    response = app_client.get("/console/analytics", params=params)

    assert response.status_code == 400
    assert reason in response.text
    assert "Showing the last 30 days instead" in response.text
    assert f'name="to" value="{TODAY.isoformat()}"' in response.text
    assert _kpi(response.text, "conversations") == "2"
    csv_response = app_client.get("/console/analytics/export/kpis.csv", params=params)
    assert csv_response.status_code == 400 and reason in csv_response.text


@pytest.mark.usefixtures("marketing_id", "history")
def test_csv_export_has_headers_raw_numbers_and_is_an_attachment(app_client: TestClient) -> None:
    login(app_client, MARKETING)
    params = _range(TODAY - timedelta(days=6), TODAY)

    response = app_client.get("/console/analytics/export/kpis.csv", params=params)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="kpis_{params["from"]}_{params["to"]}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["figure", "value"]
    figures = dict(rows[1:])
    assert figures["conversations"] == "2"
    assert figures["revenue"] == "1234.50"
    assert figures["cac"] == "0.00" and figures["roi"] == ""
    assert figures["fallback_rate"] == "0.0"

    per_day = list(
        csv.reader(
            io.StringIO(
                app_client.get("/console/analytics/export/conversations.csv", params=params).text
            )
        )
    )
    assert per_day[0] == ["day", "telegram", "web", "total"]
    assert per_day[-1] == [TODAY.isoformat(), "1", "1", "2"]
    assert len(per_day) == 1 + 7

    unsure = list(
        csv.reader(
            io.StringIO(
                app_client.get("/console/analytics/export/low_confidence.csv", params=params).text
            )
        )
    )
    assert unsure[0] == ["created_at", "conversation_id", "intent", "confidence", "text"]
    assert unsure[1][2:] == ["ask_price", "0.3", "'=HYPERLINK(1)"]  # no formula in a sheet


@pytest.mark.usefixtures("marketing_id")
def test_every_linked_csv_downloads_and_an_unknown_table_is_404(app_client: TestClient) -> None:
    login(app_client, MARKETING)
    html = app_client.get("/console/analytics").text
    links = set(re.findall(r'href="(/console/analytics/export/[^"]+)"', html))

    assert len(links) == 9
    for link in links:
        response = app_client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert response.text.splitlines()[0]  # a header row even without data
    assert app_client.get("/console/analytics/export/secrets.csv").status_code == 404


def _costs_page(client: TestClient) -> str:
    return client.get("/console/analytics/costs").text


@pytest.mark.usefixtures("marketing_id", "history")
def test_a_cost_is_added_audited_and_used_for_cac_and_roi(
    app_client: TestClient, store: Callable[[], Session]
) -> None:
    login(app_client, MARKETING)
    csrf = page_token(_costs_page(app_client))
    week = _range(TODAY - timedelta(days=6), TODAY)

    response = app_client.post(
        "/console/analytics/costs",
        data={
            "csrf_token": csrf,
            "period_start": week["from"],
            "period_end": week["to"],
            "amount": "700",
            "currency": "eur",
            "channel": "telegram ads",
        },
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/console/analytics/costs?done=added"
    page = app_client.get(response.headers["location"]).text
    assert "Cost saved." in page and "telegram ads" in page and "700.00 EUR" in page
    with store() as session:
        cost = session.scalars(sa.select(MarketingCost)).one()
        assert (cost.amount, cost.currency, cost.entered_by) == (
            Decimal("700.00"),
            "EUR",
            MARKETING,
        )
        event = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == AuditAction.cost_entered)
        ).one()
        assert event.actor == MARKETING and event.detail["amount"] == "700.00"
    dashboard = app_client.get("/console/analytics", params=week).text
    assert _kpi(dashboard, "cost") == "700.00"
    assert _kpi(dashboard, "cac") == "700.00"  # one new customer this week
    assert _kpi(dashboard, "roi") == "76.4%"  # (1234.50 - 700) / 700


@pytest.mark.usefixtures("marketing_id")
def test_a_bad_cost_re_renders_the_form_with_the_input_and_saves_nothing(
    app_client: TestClient, store: Callable[[], Session]
) -> None:
    login(app_client, MARKETING)
    csrf = page_token(_costs_page(app_client))

    response = app_client.post(
        "/console/analytics/costs",
        data={
            "csrf_token": csrf,
            "period_start": "2026-11-10",
            "period_end": "2026-11-01",
            "amount": "12,50",
            "channel": "newsletter <b>",
            "note": "November mailing",
        },
    )

    assert response.status_code == 400
    assert "Not saved: the period ends before it starts." in response.text
    for kept in (
        'value="2026-11-10"',
        'value="12,50"',
        'value="newsletter &lt;b&gt;"',
        "November mailing",
    ):
        assert kept in response.text
    not_a_number = app_client.post(
        "/console/analytics/costs",
        data={
            "csrf_token": csrf,
            "period_start": "2026-11-01",
            "period_end": "2026-11-02",
            "amount": "ten",
        },
    )
    assert not_a_number.status_code == 400 and "the amount is not a number" in not_a_number.text
    with store() as session:
        assert session.scalars(sa.select(MarketingCost)).all() == []


@pytest.mark.usefixtures("marketing_id")
def test_a_cost_is_deleted_with_the_csrf_token_only(
    app_client: TestClient, store: Callable[[], Session]
) -> None:
    login(app_client, MARKETING)
    csrf = page_token(_costs_page(app_client))
    app_client.post(
        "/console/analytics/costs",
        data={
            "csrf_token": csrf,
            "period_start": "2026-11-01",
            "period_end": "2026-11-30",
            "amount": "99.90",
        },
    )
    with store() as session:
        cost_id = session.scalars(sa.select(MarketingCost.id)).one()

    forged = app_client.post(
        f"/console/analytics/costs/{cost_id}/delete", data={"csrf_token": "forged"}
    )
    deleted = app_client.post(
        f"/console/analytics/costs/{cost_id}/delete",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    again = app_client.post(f"/console/analytics/costs/{cost_id}/delete", data={"csrf_token": csrf})

    assert forged.status_code == 403
    assert deleted.status_code == 303
    assert again.status_code == 404 and f"There is no cost {cost_id}" in again.text
    with store() as session:
        assert session.scalars(sa.select(MarketingCost)).all() == []
        event = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == AuditAction.cost_deleted)
        ).one()
        assert event.target == f"cost:{cost_id}" and event.detail["amount"] == "99.90"


def test_the_vendored_chart_library_is_served(app_client: TestClient) -> None:
    response = app_client.get("/console/static/console/vendor/chart-4.5.1.umd.min.js")

    assert response.status_code == 200
    assert "Chart.js v4.5.1" in response.text[:200]


@pytest.mark.usefixtures("marketing_id")
def test_campaign_results_and_clv_per_segment_come_from_their_modules(
    app_client: TestClient, store: Callable[[], Session]
) -> None:
    with store() as session:
        session.add(Campaign(name="Win back", trigger="inactive", created_by=MARKETING))
        run = ValueRun(status="ok", customers=1)
        session.add(run)
        session.flush()
        noon = day_start(TODAY) + timedelta(hours=12)
        session.add(
            CustomerValue(
                contact_id=make_contact(session).id,
                run_id=run.id,
                first_order_at=noon,
                last_order_at=noon,
                order_count=1,
                total_spent=Decimal("50.00"),
                recency_days=0,
                r_score=5,
                f_score=1,
                m_score=2,
                rfm_segment="new_customers",
                cluster="casual",
                clv=Decimal("120.00"),
            )
        )
        session.commit()
    login(app_client, MARKETING)

    html = app_client.get("/console/analytics").text
    campaigns = list(
        csv.DictReader(io.StringIO(app_client.get("/console/analytics/export/campaigns.csv").text))
    )
    values = list(
        csv.DictReader(io.StringIO(app_client.get("/console/analytics/export/clv.csv").text))
    )

    assert 'data-chart="campaigns"' in html and 'data-chart="clv"' in html
    assert [(row["name"], row["status"], row["trigger"]) for row in campaigns] == [
        ("Win back", "draft", "inactive")
    ]
    assert campaigns[0]["sent"] == "0"
    rfm = [row for row in values if row["kind"] == "rfm"]
    assert [(row["key"], row["customers"], row["average_clv"]) for row in rfm] == [
        ("new_customers", "1", "120.00")
    ]
