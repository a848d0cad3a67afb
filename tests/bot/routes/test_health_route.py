"""GET /healthz."""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from crm_bridge import leads
from crm_bridge.enums import Channel
from mailer.outbox import enqueue_lead_confirmation
from mailer.settings import MailSettings, SmtpSecurity
from tests.bot.helpers import TEST_MAIL_SECRET
from tests.bot.rasa_stand_in import StandInRasa
from tests.utils.factories import make_contact
from tests.utils.smtp_server import SmtpServer


def test_health_is_ok_with_a_reachable_store(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "channels": {"web": "on", "telegram": "off (no TELEGRAM_BOT_TOKEN)"},
        "email": "off (set SMTP_HOST, MAIL_FROM to send email)",
    }


def test_health_is_503_when_the_store_is_down(
    make_client: Callable[..., TestClient], rasa: StandInRasa
) -> None:
    client = make_client(rasa.url, database_url="postgresql://nobody:pw@127.0.0.1:1/crm")
    assert client.get("/healthz").status_code == 503


def test_health_says_where_email_goes_and_the_gateway_worker_sends(
    make_client: Callable[..., TestClient], rasa: StandInRasa, store: Callable[[], Session]
) -> None:
    """Email on: /healthz names the server, and the lifespan's worker delivers the outbox."""
    server = SmtpServer().start()
    try:
        mail = MailSettings(
            _env_file=None,
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_security=SmtpSecurity.none,
            mail_from="Larkspur Goods <shop@larkspur.test>",
            mail_signing_secret=TEST_MAIL_SECRET,
        )
        with store() as session:
            lead = leads.create_lead(
                session,
                contact_id=make_contact(session).id,
                conversation_id=None,
                channel=Channel.web,
                data={"request": "demo"},
            )
            enqueue_lead_confirmation(session, lead=lead, settings=mail)
            session.commit()
        client = make_client(rasa.url, mail=mail)

        health = client.get("/healthz").json()
        for _ in range(400):  # the worker looks at start, then every few seconds
            if server.received:
                break
            time.sleep(0.05)
    finally:
        server.stop()

    assert health["email"] == (
        f"via 127.0.0.1:{server.port} (none), from Larkspur Goods <shop@larkspur.test>"
    )
    [mail_received] = server.received
    assert mail_received.message["Subject"] == "We've got your request for a demo"
