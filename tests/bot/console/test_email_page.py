"""The console's email page: says whether email is on, and previews a template safely."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from crm_bridge import leads
from crm_bridge.enums import Channel
from tests.bot.console.conftest import AGENT
from tests.bot.console.helpers import login
from tests.utils.factories import make_contact


def _contact_with_lead(store: Callable[[], Session]) -> int:
    with store() as session:
        contact = make_contact(session, name="<b>Ann & Co</b>", email="ann@acme-design.com")
        leads.create_lead(
            session, contact_id=contact.id, conversation_id=None, channel=Channel.web,
            data={"request": "quote", "need": "40 lamps <script>alert(1)</script>"},
        )  # fmt: skip
        session.commit()
        return contact.id


def test_email_page_says_email_is_off(app_client: TestClient, agent_id: int) -> None:
    login(app_client, AGENT)

    page = app_client.get("/console/email")

    assert page.status_code == 200
    assert "Email: off (set SMTP_HOST, MAIL_FROM to send email)" in page.text
    assert ">Email (off)</a>" in page.text


def test_email_page_previews_a_template_for_a_contact_escaped(
    app_client: TestClient, agent_id: int, store: Callable[[], Session]
) -> None:
    contact_id = _contact_with_lead(store)
    login(app_client, AGENT)

    page = app_client.get(
        "/console/email", params={"template": "lead_confirmation", "contact_id": contact_id}
    )

    assert page.status_code == 200
    assert 'id="preview-subject"' in page.text
    assert "Would not be sent now: email_off." in page.text
    assert "<script>alert(1)</script>" not in page.text  # text and HTML parts both escaped
    assert "&lt;b&gt;Ann &amp; Co&lt;/b&gt;" in page.text
    assert "sandbox srcdoc=" in page.text


def test_email_page_explains_an_unknown_contact_or_template(
    app_client: TestClient, agent_id: int
) -> None:
    login(app_client, AGENT)

    missing = app_client.get(
        "/console/email", params={"template": "lead_confirmation", "contact_id": 999_999}
    )
    unknown = app_client.get("/console/email", params={"template": "nope", "contact_id": 1})

    assert "Cannot preview: no contact 999999" in missing.text
    assert "There is no template &#39;nope&#39;." in unknown.text
