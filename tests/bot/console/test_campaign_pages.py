"""Campaign pages: marketing staff only; create (bad input kept), activate, pause, sends."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from crm_bridge import campaign_runs
from crm_bridge.enums import (
    AuditAction,
    CampaignActionKind,
    CampaignSendStatus,
    CampaignSkipReason,
    CampaignStatus,
    StaffRole,
)
from crm_bridge.models import AuditEvent, Campaign
from tests.bot.console.conftest import AGENT
from tests.bot.console.helpers import login, make_staff
from tests.utils.factories import make_campaign, make_contact

MARKETER = "marketing@shop.test"
FORM = {
    "name": "Nudge abandoned forms",
    "trigger": "lead_abandoned",
    "wait_hours": "24",
    "telegram_text": "Hi {{ first_name }}, shall we finish your request?",
    "tag": "nudged",
}


def _marketer(client: TestClient, store: Callable[[], Session]) -> str:
    make_staff(store, MARKETER, role=StaffRole.marketing, name="Mo")
    return login(client, MARKETER)


def test_an_agent_is_refused_every_campaign_page(
    app_client: TestClient, store: Callable[[], Session], agent_id: int
) -> None:
    with store() as session:
        campaign_id = make_campaign(session).id
        session.commit()
    csrf = login(app_client, AGENT)

    for method, path in (
        ("GET", "/console/campaigns"),
        ("GET", "/console/campaigns/new"),
        ("GET", f"/console/campaigns/{campaign_id}"),
        ("POST", "/console/campaigns"),
        ("POST", f"/console/campaigns/{campaign_id}/status"),
    ):
        response = app_client.request(
            method, path, data={**FORM, "status": "paused", "csrf_token": csrf}
        )
        assert response.status_code == 403, (method, path)
    with store() as session:
        assert session.get(Campaign, campaign_id).status is CampaignStatus.active  # type: ignore[union-attr]


def test_a_bad_template_is_shown_with_the_input_kept(
    app_client: TestClient, store: Callable[[], Session]
) -> None:
    csrf = _marketer(app_client, store)
    bad = {**FORM, "telegram_text": "Hi {{ frist_name }", "csrf_token": csrf}

    response = app_client.post("/console/campaigns", data=bad)

    assert response.status_code == 400
    assert "template error" in response.text
    assert "Hi {{ frist_name }" in response.text  # the input comes back, escaped
    assert 'value="Nudge abandoned forms"' in response.text
    with store() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0


def test_create_activate_pause_with_audit(
    app_client: TestClient, store: Callable[[], Session]
) -> None:
    csrf = _marketer(app_client, store)

    created = app_client.post(
        "/console/campaigns", data={**FORM, "csrf_token": csrf}, follow_redirects=False
    )
    assert created.status_code == 303
    path = created.headers["location"].split("?")[0]
    assert "draft" in app_client.get(path).text

    for status in ("active", "paused"):
        changed = app_client.post(f"{path}/status", data={"status": status, "csrf_token": csrf})
        assert changed.status_code == 200
        assert f'<strong id="campaign-status">{status}</strong>' in changed.text
    refused = app_client.post(f"{path}/status", data={"status": "draft", "csrf_token": csrf})
    assert "Not changed" in refused.text

    with store() as session:
        campaign = session.scalars(sa.select(Campaign)).one()
        assert campaign.status is CampaignStatus.paused
        assert campaign.wait_seconds == 24 * 3600
        assert [a["kind"] for a in campaign.actions] == ["telegram_message", "tag_contact"]
        actions = list(session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.count(AuditAction.campaign_saved) == 1
    assert actions.count(AuditAction.campaign_status_changed) == 2
    assert "Nudge abandoned forms" in app_client.get("/console/campaigns").text


def test_the_detail_page_lists_sends_with_reasons(
    app_client: TestClient, store: Callable[[], Session]
) -> None:
    with store() as session:
        campaign = make_campaign(session)
        contact = make_contact(session, name="Ola Nordmann")
        enrollment = campaign_runs.enroll(
            session,
            campaign_id=campaign.id,
            contact_id=contact.id,
            trigger_key="lead:1",
            triggered_at=campaign.created_at,
            due_at=campaign.created_at,
        )
        assert enrollment is not None
        campaign_runs.write_send(
            session,
            enrollment,
            action_index=0,
            kind=CampaignActionKind.telegram_message,
            status=CampaignSendStatus.skipped,
            skip_reason=CampaignSkipReason.no_consent,
        )
        session.commit()
        campaign_id = campaign.id
    _marketer(app_client, store)

    page = app_client.get(f"/console/campaigns/{campaign_id}")

    assert page.status_code == 200
    assert "Ola Nordmann" in page.text and "no_consent" in page.text
    assert app_client.get("/console/campaigns/99999").status_code == 404
