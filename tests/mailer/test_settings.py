"""MailSettings: email off without SMTP_HOST, clear errors for half a configuration."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from mailer.settings import SECRET_FILE_NAME, MailSettings, SmtpSecurity


def _settings(**values: object) -> MailSettings:
    return MailSettings(_env_file=None, **values)  # type: ignore[arg-type]


def test_settings_without_smtp_host_mean_email_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMTP_HOST", raising=False)
    settings = _settings()
    assert not settings.enabled
    assert settings.describe() == "off (set SMTP_HOST, MAIL_FROM to send email)"
    assert settings.public_base_url == "http://127.0.0.1:8000"


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_HOST", "mail.example.test")
    monkeypatch.setenv("SMTP_SECURITY", "tls")
    monkeypatch.setenv("SMTP_USER", "shop")
    monkeypatch.setenv("SMTP_PASSWORD", "pw")
    monkeypatch.setenv("MAIL_FROM", "Larkspur Goods <shop@example.test>")
    monkeypatch.setenv("STAFF_NOTIFY_EMAILS", " a@example.test, b@example.test ,")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://shop.example.test/")

    settings = _settings()

    assert settings.enabled
    assert settings.smtp_security is SmtpSecurity.tls
    assert settings.port == 465
    assert settings.staff_notify_emails == ["a@example.test", "b@example.test"]
    assert settings.public_base_url == "https://shop.example.test"
    assert settings.from_address == "shop@example.test"
    assert settings.describe() == (
        "via mail.example.test:465 (tls), from Larkspur Goods <shop@example.test>"
    )


@pytest.mark.parametrize(
    ("security", "port"),
    [(SmtpSecurity.none, 25), (SmtpSecurity.starttls, 587), (SmtpSecurity.tls, 465)],
)
def test_port_defaults_to_the_usual_port_of_the_security(security: SmtpSecurity, port: int) -> None:
    assert _settings(smtp_security=security).port == port
    assert _settings(smtp_security=security, smtp_port=2525).port == 2525


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"smtp_host": "mail.example.test"}, "MAIL_FROM is required"),
        ({"mail_from": "not an address"}, "is not an email address"),
        ({"staff_notify_emails": "ok@example.test,nobody"}, "'nobody' is not an email address"),
        ({"smtp_user": "shop"}, "SMTP_USER and SMTP_PASSWORD"),
        ({"public_base_url": "shop.example.test"}, "PUBLIC_BASE_URL must start with"),
        ({"smtp_security": "ssl"}, "smtp_security"),
        ({"mail_signing_secret": "short"}, "at least 16 characters"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(
    values: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _settings(**values)


def test_load_generates_the_signing_secret_once(tmp_path: Path) -> None:
    first = MailSettings.load(tmp_path, _env_file=None, mail_signing_secret=None)
    second = MailSettings.load(tmp_path, _env_file=None, mail_signing_secret=None)

    assert first.signing_secret == second.signing_secret
    assert len(first.signing_secret) >= 32
    assert stat.S_IMODE((tmp_path / SECRET_FILE_NAME).stat().st_mode) == 0o600


def test_load_prefers_mail_signing_secret(tmp_path: Path) -> None:
    settings = MailSettings.load(
        tmp_path, _env_file=None, mail_signing_secret="configured-secret-0123456789"
    )
    assert settings.signing_secret == "configured-secret-0123456789"
    assert not (tmp_path / SECRET_FILE_NAME).exists()
