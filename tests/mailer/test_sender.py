"""SMTP sending against a real local server: the message as received, and failure kinds."""

from __future__ import annotations

import pytest

from mailer.sender import OutgoingEmail, PermanentFailure, TemporaryFailure, send_email
from mailer.settings import MailSettings, SmtpSecurity
from tests.mailer.conftest import settings_for
from tests.utils.smtp_server import SmtpServer, free_port

EMAIL = OutgoingEmail(
    outbox_id=1,
    to_address="ann@example.test",
    subject="Grüße from Larkspur",
    text="Hello Ann,\n.a line starting with a dot\n",
    html="<p>Hello <b>Ann</b></p>",
    message_id="<0123abcd@larkspur.test>",
    headers={
        "List-Unsubscribe": "<https://shop.larkspur.test/unsubscribe/tok>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
)


def test_sent_email_arrives_with_headers_and_both_parts(
    smtp_server: SmtpServer, mail_settings: MailSettings
) -> None:
    reply = send_email(EMAIL, mail_settings)

    assert reply.startswith("250 ")
    [mail] = smtp_server.received
    assert mail.mail_from == "shop@larkspur.test"
    assert mail.rcpt_tos == ["ann@example.test"]
    headers = mail.message
    assert headers["From"] == "Larkspur Goods <shop@larkspur.test>"
    assert headers["To"] == "ann@example.test"
    assert headers["Subject"] == "Grüße from Larkspur"
    assert headers["Message-ID"] == "<0123abcd@larkspur.test>"
    assert headers["List-Unsubscribe"] == "<https://shop.larkspur.test/unsubscribe/tok>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Date"]
    assert mail.message.get_content_type() == "multipart/alternative"
    text = mail.part("plain").replace("\r\n", "\n")
    assert text == "Hello Ann,\n.a line starting with a dot\n"
    assert "<p>Hello <b>Ann</b></p>" in mail.part("html")


@pytest.mark.parametrize(
    ("stage", "reply", "kind", "hard_bounce"),
    [
        ("rcpt", "450 4.2.1 Mailbox busy", TemporaryFailure, False),
        ("rcpt", "550 5.1.1 No such user", PermanentFailure, True),
        ("data", "451 4.3.0 Try again later", TemporaryFailure, False),
        ("data", "554 5.7.1 Message refused", PermanentFailure, False),
    ],
)
def test_refusals_are_classified_by_reply_code(
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    stage: str,
    reply: str,
    kind: type[Exception],
    hard_bounce: bool,
) -> None:
    getattr(smtp_server.handler, f"{stage}_replies").append(reply)

    with pytest.raises(kind) as caught:
        send_email(EMAIL, mail_settings)

    failure = caught.value
    assert failure.code == int(reply[:3])  # type: ignore[attr-defined]
    assert reply in failure.detail  # type: ignore[attr-defined]
    assert getattr(failure, "hard_bounce", False) is hard_bounce
    assert smtp_server.received == []


def test_connection_refused_is_temporary() -> None:
    with pytest.raises(TemporaryFailure, match="Connection refused"):
        send_email(EMAIL, settings_for(free_port()))


def test_starttls_against_a_server_without_it_is_temporary(smtp_server: SmtpServer) -> None:
    settings = settings_for(smtp_server.port, smtp_security=SmtpSecurity.starttls)
    with pytest.raises(TemporaryFailure, match="STARTTLS"):
        send_email(EMAIL, settings)
    assert smtp_server.received == []


def test_implicit_tls_against_a_plain_server_is_temporary(smtp_server: SmtpServer) -> None:
    settings = settings_for(smtp_server.port, smtp_security=SmtpSecurity.tls)
    with pytest.raises(TemporaryFailure):
        send_email(EMAIL, settings, timeout=5)
    assert smtp_server.received == []


def test_login_where_the_server_offers_none_is_temporary(smtp_server: SmtpServer) -> None:
    settings = settings_for(smtp_server.port, smtp_user="shop", smtp_password="pw")
    with pytest.raises(TemporaryFailure, match="AUTH"):
        send_email(EMAIL, settings)
