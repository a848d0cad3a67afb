"""`GET /c/{token}`: the first click is kept, the browser goes on to the campaign's link."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from crm_bridge import campaign_runs
from crm_bridge.enums import CampaignActionKind, CampaignSendStatus
from crm_bridge.models import CampaignSend
from tests.utils.factories import make_campaign, make_contact

TARGET = "https://shop.example.test/lanterns?utm_campaign=nudge"


def _sent_with_link(store: Callable[[], Session]) -> tuple[int, str]:
    with store() as session:
        campaign = make_campaign(
            session,
            actions=[
                {"kind": "telegram_message", "text": "Look", "link_url": TARGET},
            ],
        )
        contact = make_contact(session)
        enrollment = campaign_runs.enroll(
            session,
            campaign_id=campaign.id,
            contact_id=contact.id,
            trigger_key="lead:7",
            triggered_at=campaign.created_at,
            due_at=campaign.created_at,
        )
        assert enrollment is not None
        send = campaign_runs.write_send(
            session,
            enrollment,
            action_index=0,
            kind=CampaignActionKind.telegram_message,
            status=CampaignSendStatus.sent,
            click_token=campaign_runs.new_click_token(),
            sent_at=campaign.created_at,
        )
        session.commit()
        assert send.click_token is not None
        return send.id, send.click_token


def test_a_click_is_recorded_once_and_redirects(
    client: TestClient, store: Callable[[], Session]
) -> None:
    send_id, token = _sent_with_link(store)

    first = client.get(f"/c/{token}", follow_redirects=False)
    with store() as session:
        clicked_at = session.get(CampaignSend, send_id).clicked_at  # type: ignore[union-attr]
    again = client.get(f"/c/{token}", follow_redirects=False)

    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == TARGET
    assert clicked_at is not None
    with store() as session:
        assert session.get(CampaignSend, send_id).clicked_at == clicked_at  # type: ignore[union-attr]


def test_an_unknown_token_gets_a_404_page(client: TestClient) -> None:
    response = client.get("/c/not-a-real-token", follow_redirects=False)

    assert response.status_code == 404
    assert "does not work" in response.text
    assert "location" not in response.headers
