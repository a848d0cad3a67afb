"""Console security: every route refuses anonymous requests, admin pages refuse agents,
state changes need the CSRF token, customer HTML is shown as text."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from crm_bridge import conversations, leads, messages, reviews
from crm_bridge.enums import ConversationStatus, SenderType
from tests.bot.console.conftest import ADMIN, AGENT
from tests.bot.console.helpers import login
from tests.bot.console.routes_enum import Probe, probes
from tests.utils.factories import make_contact, make_conversation, make_handover

# (method, path template) anyone may call; everything else must refuse an anonymous request.
PUBLIC = {
    ("GET", "/static"),
    ("GET", "/console/static"),
    ("GET", "/"),
    ("GET", "/healthz"),
    ("GET", "/media/products/{sku}.svg"),
    ("WS", "/ws/chat"),
    ("POST", "/telegram/webhook"),
    ("GET", "/console/login"),
    ("POST", "/console/login"),
    ("GET", "/unsubscribe/{token}"),
    ("POST", "/unsubscribe/{token}"),
    ("GET", "/c/{token}"),  # a tracked campaign link opened from a phone
}
ADMIN_PREFIXES = ("/console/staff", "/console/audit")


def _refused(client: TestClient, probe: Probe, headers: dict[str, str] | None = None) -> bool:
    if probe.kind == "websocket":
        try:
            with client.websocket_connect(probe.path, headers=dict(headers or {})) as socket:
                socket.receive_json()
        except (WebSocketDisconnect, WebSocketDenialResponse):
            return True
        return False
    response = client.request(probe.method, probe.path, headers=headers, follow_redirects=False)
    if response.status_code in (401, 403):
        return True
    location = response.headers.get("location", "")
    return response.status_code == 303 and location.startswith("/console/login")


def unprotected_routes(client: TestClient) -> list[Probe]:
    """Non-public routes that answered an anonymous request."""
    app = client.app
    assert isinstance(app, FastAPI)
    return [
        probe
        for probe in probes(app)
        if (probe.method, probe.template) not in PUBLIC and not _refused(client, probe)
    ]


def test_every_non_public_route_refuses_an_anonymous_request(app_client: TestClient) -> None:
    checked = [p for p in probes(app_client.app) if (p.method, p.template) not in PUBLIC]  # type: ignore[arg-type]
    assert len(checked) >= 20, checked  # the console's routes really were enumerated
    assert any(p.kind == "websocket" for p in checked)

    assert unprotected_routes(app_client) == []


def test_route_check_notices_a_new_unprotected_route(app_client: TestClient) -> None:
    """Guards the test above: a route added without the staff dependency is reported."""
    app = app_client.app
    assert isinstance(app, FastAPI)

    @app.get("/console/forgotten")
    async def forgotten() -> dict[str, str]:
        return {"secret": "transcripts"}

    assert [probe.template for probe in unprotected_routes(app_client)] == ["/console/forgotten"]


def test_anonymous_page_request_is_sent_to_sign_in_and_back(app_client: TestClient) -> None:
    response = app_client.get("/console/conversations?status=waiting", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == (
        "/console/login?next=%2Fconsole%2Fconversations%3Fstatus%3Dwaiting"
    )


@pytest.mark.usefixtures("admin_id")
def test_an_agent_cannot_reach_admin_pages(app_client: TestClient, agent_id: int) -> None:
    csrf = login(app_client, AGENT)
    admin_probes = [p for p in probes(app_client.app) if p.template.startswith(ADMIN_PREFIXES)]  # type: ignore[arg-type]
    assert {p.method for p in admin_probes} == {"GET", "POST"}

    for probe in admin_probes:
        response = app_client.request(
            probe.method,
            probe.path,
            headers={"X-CSRF-Token": csrf},
            data={"role": "admin", "active": "no", "password": "x" * 20},
            follow_redirects=False,
        )
        assert response.status_code == 403, probe
        assert "Only admins" in response.text

    # The agent's own pages work, so the refusals above are about the role.
    assert app_client.get("/console/conversations").status_code == 200
    assert app_client.get("/console/corrections").status_code == 200


@pytest.mark.usefixtures("admin_id")
def test_an_admin_reaches_the_admin_pages(app_client: TestClient) -> None:
    login(app_client, ADMIN)

    assert app_client.get("/console/staff").status_code == 200
    assert app_client.get("/console/audit").status_code == 200


@pytest.mark.usefixtures("admin_id")
def test_every_state_changing_request_without_the_csrf_token_is_refused(
    app_client: TestClient, store: Callable[[], Session]
) -> None:
    with store() as session:
        conversation = make_conversation(session)
        make_handover(session, conversation=conversation)
        session.commit()
        conversation_id = conversation.id
    login(app_client, ADMIN)
    posts = [
        p
        for p in probes(app_client.app)  # type: ignore[arg-type]
        if p.method == "POST"
        and p.template.startswith("/console/")
        and p.template != "/console/login"
    ]
    assert len(posts) >= 12

    for probe in posts:
        path = probe.template.replace("{conversation_id}", str(conversation_id))
        path = path.replace("{message_id}", "1").replace("{staff_id}", "1")
        for headers in ({}, {"X-CSRF-Token": "forged"}):
            response = app_client.post(
                path, headers=headers, data={"csrf_token": "forged"}, follow_redirects=False
            )
            assert response.status_code == 403, (probe, headers)

    with store() as session:
        still = conversations.get_conversation(session, conversation_id)
        assert still is not None and still.status == ConversationStatus.waiting


def test_sign_in_form_without_its_token_is_refused(app_client: TestClient, agent_id: int) -> None:
    response = app_client.post(
        "/console/login",
        data={"email": AGENT, "password": "correct horse battery staple"},
        follow_redirects=False,
    )

    assert response.status_code == 403
    assert "shopbot_console=" not in response.headers.get("set-cookie", "")


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_customer_html_is_shown_as_text_and_stays_inert(
    app_client: TestClient, store: Callable[[], Session], agent_id: int
) -> None:
    card = {
        "type": "product_card",
        "product_id": 7,
        "name": "<i>Mug</i>",
        "price": "<b>€1</b>",
        "reason": "<script>reason()</script>",
        "image": "javascript:alert(2)",
        "url": "javascript:alert(3)",
        "buttons": [{"title": "<b>Go</b>", "payload": '/x"><script>'}],
    }
    with store() as session:
        contact = make_contact(session, name="<b>Eve</b>")
        conversation = make_conversation(session, contact=contact)
        said = messages.record_incoming(session, conversation_id=conversation.id, text=HOSTILE)
        messages.set_nlu_result(
            session,
            said,
            intent="greet",
            confidence=0.5,
            entities=[{"entity": "<b>e</b>", "value": "<script>v</script>"}],
        )
        messages.record_outgoing(
            session,
            conversation_id=conversation.id,
            text="<a href=javascript:alert(4)>hi</a>",
            buttons=[{"title": "<u>Click</u>", "payload": "/greet"}],
            custom=card,
            sender=SenderType.bot,
        )
        leads.create_lead(
            session,
            contact_id=contact.id,
            conversation_id=conversation.id,
            channel=conversation.channel,
            data={"<b>field</b>": "<script>lead()</script>"},
        )
        reviews.add_note(
            session,
            conversation_id=conversation.id,
            text="<script>note()</script>",
            author="a@shop.test",
            staff_id=None,
        )
        session.commit()
        conversation_id = conversation.id
    login(app_client, AGENT)

    page = app_client.get(f"/console/conversations/{conversation_id}")
    inbox = app_client.get("/console/conversations", params={"q": "<script>alert"})

    assert page.status_code == 200
    html = page.text
    for raw in (
        "<script>alert",
        "<img src=x",
        "<i>Mug",
        "<b>",
        "<u>",
        "<script>reason",
        "<a href=javascript",
    ):
        assert raw not in html
    assert not re.search(r"""<[^>]*\b(href|src)\s*=\s*["']?javascript:""", html, re.IGNORECASE)
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    )
    assert "&lt;i&gt;Mug&lt;/i&gt;" in html
    assert "&lt;script&gt;note()&lt;/script&gt;" in html
    assert "&lt;script&gt;lead()&lt;/script&gt;" in html
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # The search result lists the conversation, and the search text is echoed escaped.
    assert f"/console/conversations/{conversation_id}" in inbox.text
    assert "&lt;b&gt;Eve&lt;/b&gt;" in inbox.text and "<b>Eve</b>" not in inbox.text
    assert 'value="&lt;script&gt;alert"' in inbox.text
