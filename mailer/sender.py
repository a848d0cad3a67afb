"""Hand one email to the SMTP server (standard library `smtplib`) and classify what failed.

Temporary (retry later): any 4xx reply, a refused or dropped connection, a timeout, a TLS
or login problem (the server or our settings need fixing; the message must not be lost
meanwhile). Permanent (never retried): a 5xx reply to the sender, the recipient or the
data. A 5xx to RCPT TO is a hard bounce: the address is suppressed. Runs in a worker
thread; each call opens its own connection.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate

from mailer.settings import MailSettings, SmtpSecurity

TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    """What the worker read from an outbox row: plain values, no ORM object."""

    outbox_id: int
    to_address: str
    subject: str
    text: str
    html: str
    message_id: str
    headers: dict[str, str] = field(default_factory=dict)


class SendFailed(Exception):
    """The server did not take the message; `code` is its SMTP reply code when it gave one."""

    def __init__(self, detail: str, *, code: int | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class TemporaryFailure(SendFailed):
    """Worth another try later (4xx, connection trouble)."""


class PermanentFailure(SendFailed):
    """Will fail again (5xx); `hard_bounce` when the recipient address itself was refused."""

    def __init__(self, detail: str, *, code: int | None = None, hard_bounce: bool = False) -> None:
        super().__init__(detail, code=code)
        self.hard_bounce = hard_bounce


def build_message(email: OutgoingEmail, settings: MailSettings) -> EmailMessage:
    """The MIME message: multipart/alternative with the text part first, then HTML."""
    message = EmailMessage()
    message["From"] = settings.from_header
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = email.message_id
    for name, value in email.headers.items():
        message[name] = value
    # Quoted-printable keeps both parts 7-bit, whatever the server says about 8BITMIME.
    message.set_content(email.text, cte="quoted-printable")
    message.add_alternative(email.html, subtype="html", cte="quoted-printable")
    return message


def send_email(
    email: OutgoingEmail, settings: MailSettings, *, timeout: float = TIMEOUT_SECONDS
) -> str:
    """Send `email`; return the server's acceptance reply or raise a SendFailed subclass."""
    message = build_message(email, settings)
    try:
        with _connect(settings, timeout) as smtp:
            return _transmit(smtp, message, settings, email.to_address)
    except SendFailed:
        raise
    except smtplib.SMTPAuthenticationError as error:
        raise TemporaryFailure(f"login refused: {_reply(error)}", code=error.smtp_code) from None
    except smtplib.SMTPNotSupportedError as error:
        raise TemporaryFailure(f"the server does not support {error}") from None
    except smtplib.SMTPResponseException as error:
        raise _classify(error.smtp_code, "refused", error.smtp_error) from None
    except (smtplib.SMTPException, ssl.SSLError, OSError) as error:
        # Refused or dropped connections, timeouts, DNS and TLS failures.
        raise TemporaryFailure(f"{type(error).__name__}: {error}") from None


def _connect(settings: MailSettings, timeout: float) -> smtplib.SMTP:
    host = settings.smtp_host or ""
    if settings.smtp_security is SmtpSecurity.tls:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, settings.port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, settings.port, timeout=timeout)
    try:
        smtp.ehlo()
        if settings.smtp_security is SmtpSecurity.starttls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if settings.smtp_user is not None and settings.smtp_password is not None:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
    except BaseException:
        smtp.close()
        raise
    return smtp


def _transmit(
    smtp: smtplib.SMTP, message: EmailMessage, settings: MailSettings, to_address: str
) -> str:
    """MAIL, RCPT and DATA one by one, so each refusal is known by its stage."""
    code, reply = smtp.mail(settings.from_address)
    if code != 250:
        raise _classify(code, "sender refused", reply)
    code, reply = smtp.rcpt(to_address)
    if code not in (250, 251):
        raise _classify(code, "recipient refused", reply, recipient=True)
    code, reply = smtp.data(message.as_bytes(policy=SMTP))
    if code != 250:
        raise _classify(code, "message refused", reply)
    return f"{code} {_text(reply)}"


def _classify(code: int, stage: str, reply: bytes | str, *, recipient: bool = False) -> SendFailed:
    detail = f"{stage}: {code} {_text(reply)}"
    if 500 <= code < 600:
        return PermanentFailure(detail, code=code, hard_bounce=recipient)
    return TemporaryFailure(detail, code=code)


def _reply(error: smtplib.SMTPResponseException) -> str:
    return _text(error.smtp_error)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
