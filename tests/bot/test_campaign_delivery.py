"""A campaign message through the real Telegram path: the gateway's scheduler context,
`bot.campaign_delivery`, PTB and the fake Bot API server; recorded in the transcript."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from automation.campaigns import engine
from automation.settings import AutomationSettings
from crm_bridge.column_types import utcnow
from crm_bridge.enums import CampaignSendStatus, LeadStatus, SenderType
from crm_bridge.models import CampaignSend, Conversation, Message
from mailer.settings import MailSettings
from tests.bot.channels.telegram_fake import FakeBotApi
from tests.bot.channels.telegram_helpers import telegram_settings
from tests.bot.helpers import TEST_MAIL_SECRET
from tests.bot.rasa_stand_in import StandInRasa
from tests.utils.factories import (
    make_campaign,
    make_conversation,
    make_lead,
    make_telegram_contact,
)

SHOP = "https://shop.example.test"


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    server = FakeBotApi().start()
    yield server
    server.stop()


def test_a_campaign_message_reaches_telegram_and_the_transcript(
    make_client: Callable[..., TestClient],
    rasa: StandInRasa,
    fake: FakeBotApi,
    store: Callable[[], Session],
) -> None:
    mail = MailSettings(
        _env_file=None, smtp_host=None, mail_signing_secret=TEST_MAIL_SECRET, public_base_url=SHOP
    )
    # The scheduler on, as in make run: the gateway is the one that sends.
    automation = AutomationSettings(_env_file=None, campaigns_enabled=True)
    client = make_client(
        rasa.url, telegram=telegram_settings(fake), mail=mail, automation=automation
    )
    with store() as session:
        make_campaign(
            session,
            actions=[
                {
                    "kind": "telegram_message",
                    "text": "Thanks {{ first_name }}! Here is your offer.",
                    "link_url": "https://partner.example.test/offer",
                    "link_label": "Open the offer",
                }
            ],
        )
        contact = make_telegram_contact(session, name="Lena Berg")
        lead = make_lead(session, conversation=make_conversation(session, contact=contact))
        lead.status = LeadStatus.qualified
        lead.qualified_at = utcnow()
        session.commit()
        contact_id = contact.id
    scheduler = client.app.state.campaigns  # type: ignore[attr-defined]
    assert scheduler is not None and scheduler.running

    async def run() -> int:
        await engine.scan_triggers(scheduler.context)
        return await engine.run_due(scheduler.context)

    assert client.portal.call(run) == 1  # type: ignore[union-attr]

    [sent] = fake.calls_of("sendMessage")
    assert sent["text"] == "Thanks Lena! Here is your offer."
    with store() as session:
        send = session.scalars(sa.select(CampaignSend)).one()
        recorded = session.scalars(
            sa.select(Message).where(Message.sender_type == SenderType.system)
        ).one()
    assert send.status is CampaignSendStatus.sent
    markup = sent["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup
    assert markup["inline_keyboard"][0][0] == {
        "text": "Open the offer",
        "url": f"{SHOP}/c/{send.click_token}",
    }
    assert recorded.text == "Thanks Lena! Here is your offer."
    with store() as session:
        conversation = session.get(Conversation, recorded.conversation_id)
    assert conversation is not None and conversation.contact_id == contact_id
    assert conversation.session_key == f"telegram-{sent['chat_id']}"

    followed = client.get(f"/c/{send.click_token}", follow_redirects=False)
    assert followed.status_code == 303
    assert followed.headers["location"] == "https://partner.example.test/offer"
