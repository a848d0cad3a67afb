"""`/unsubscribe/{token}`: a page with a button on GET, the withdrawal on POST (RFC 8058)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.orm import Session

from crm_bridge import consents, email_outbox
from crm_bridge.column_types import utcnow
from crm_bridge.enums import ConsentKind, EmailSkipReason, EmailStatus
from mailer.outbox import enqueue_marketing_email
from mailer.settings import MailSettings, SmtpSecurity
from mailer.unsubscribe import make_token
from mailer.worker import deliver_due
from tests.bot.helpers import TEST_MAIL_SECRET
from tests.bot.rasa_stand_in import StandInRasa
from tests.utils.factories import make_contact
from tests.utils.smtp_server import SmtpServer

SessionFactory = Callable[[], Session]
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def sending(smtp_server: SmtpServer) -> MailSettings:
    """Email on, to the local server, signing links with the secret the test app checks."""
    return MailSettings(
        _env_file=None,
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_security=SmtpSecurity.none,
        mail_from="Larkspur Goods <shop@larkspur.test>",
        public_base_url="http://testserver",
        mail_signing_secret=SecretStr(TEST_MAIL_SECRET),
    )


def _subscriber(store: SessionFactory) -> int:
    with store() as session:
        contact = make_contact(session, email="ann@example.test")
        consents.record_consent(
            session,
            contact_id=contact.id,
            kind=ConsentKind.marketing,
            granted=True,
            wording="Yes, send me offers by email.",
        )
        session.commit()
        return contact.id


def _link(contact_id: int) -> str:
    token = make_token(TEST_MAIL_SECRET, contact_id=contact_id, address="ann@example.test")
    return f"/unsubscribe/{token}"


def _history(store: SessionFactory, contact_id: int) -> list[bool]:
    with store() as session:
        rows = consents.consent_history(session, contact_id=contact_id, kind=ConsentKind.marketing)
        return [row.granted for row in rows]


def _queue(store: SessionFactory, contact_id: int, key: str, settings: MailSettings) -> int:
    with store() as session:
        message = enqueue_marketing_email(
            session,
            contact_id=contact_id,
            template="marketing",
            variables={"subject": "Spring sale", "body": "Lanterns are 20% off."},
            idempotency_key=key,
            settings=settings,
        )
        session.commit()
        return message.id


def test_get_shows_a_button_and_changes_nothing(client: TestClient, store: SessionFactory) -> None:
    contact_id = _subscriber(store)

    response = client.get(_link(contact_id))

    assert response.status_code == 200
    assert '<form method="post">' in response.text
    assert "<button" in response.text and "Unsubscribe" in response.text
    assert _history(store, contact_id) == [True]


def test_the_page_button_unsubscribes_once(client: TestClient, store: SessionFactory) -> None:
    contact_id = _subscriber(store)
    link = _link(contact_id)

    done = client.post(link, data=ONE_CLICK)
    again = client.post(link, data=ONE_CLICK)
    page_after = client.get(link)

    assert done.status_code == 200 and "You're unsubscribed" in done.text
    assert again.status_code == 200 and "already unsubscribed" in again.text
    assert "already unsubscribed" in page_after.text and "<form" not in page_after.text
    assert _history(store, contact_id) == [True, False]
    with store() as session:
        latest = consents.consent_history(
            session, contact_id=contact_id, kind=ConsentKind.marketing
        )[-1]
        assert "one-click link in an email sent to ann@example.test" in latest.wording


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_gets_400_and_a_clear_page(
    client: TestClient, store: SessionFactory, method: str
) -> None:
    contact_id = _subscriber(store)
    link = _link(contact_id)
    tampered = link[:-2] + ("xx" if not link.endswith("xx") else "yy")

    response = getattr(client, method)(tampered)

    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.text
    assert _history(store, contact_id) == [True]


def test_a_link_signed_with_another_secret_is_refused(
    client: TestClient, store: SessionFactory
) -> None:
    contact_id = _subscriber(store)
    token = make_token("someone-elses-secret-0123456789", contact_id=contact_id, address="x@y.z")

    assert client.post(f"/unsubscribe/{token}").status_code == 400
    assert _history(store, contact_id) == [True]


def test_one_click_from_a_mail_client_stops_further_marketing_email(
    client: TestClient, store: SessionFactory, sending: MailSettings, smtp_server: SmtpServer
) -> None:
    """The whole path: the link as received by the mail server, posted as RFC 8058 says."""
    contact_id = _subscriber(store)
    _queue(store, contact_id, "spring:1", sending)
    waiting = _queue(store, contact_id, "spring:2", sending)
    # Send the first only: the second stays queued while the customer unsubscribes.
    deliver_due(store, sending, now=utcnow() + timedelta(seconds=1), limit=1)
    [mail] = smtp_server.received
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = mail.message["List-Unsubscribe"].strip("<>")

    response = client.post(
        urlsplit(url).path,
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 200
    assert _history(store, contact_id) == [True, False]
    later = _queue(store, contact_id, "summer:1", sending)  # skipped when queued
    report = deliver_due(store, sending, now=utcnow() + timedelta(seconds=2))
    assert report.skipped == [waiting]  # skipped at sending time
    assert len(smtp_server.received) == 1
    with store() as session:
        for outbox_id in (waiting, later):
            message = email_outbox.get_message(session, outbox_id)
            assert message is not None
            assert message.status is EmailStatus.skipped
            assert message.skip_reason is EmailSkipReason.no_consent


def test_store_down_gets_503_and_a_try_again_page(
    make_client: Callable[..., TestClient], rasa: StandInRasa
) -> None:
    client = make_client(rasa.url, database_url="postgresql://nobody:pw@127.0.0.1:1/crm")

    response = client.post(_link(1))

    assert response.status_code == 503
    assert "Please try again in a moment" in response.text
