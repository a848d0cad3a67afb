"""The segments pages: value per segment, rule segments and their members, recompute, roles."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from automation.values import recompute_values
from crm_bridge import contacts, segments
from crm_bridge.column_types import utcnow
from crm_bridge.enums import AuditAction, Channel, StaffRole
from crm_bridge.models import AuditEvent, Contact, ContactTag, Segment
from tests.bot.console.conftest import ADMIN, AGENT
from tests.bot.console.helpers import login, make_staff
from tests.utils.factories import make_contact, make_conversation, make_order, make_product

MARKETING = "mia@shop.test"
RULES = '{"all": [{"field": "email", "op": "ends_with", "value": "acme.com"}]}'


@pytest.fixture
def marketing_id(store: Callable[[], Session]) -> int:
    return make_staff(store, MARKETING, role=StaffRole.marketing, name="Mia")


@pytest.fixture
def shop(store: Callable[[], Session]) -> list[int]:
    """30 customers with 1-6 orders over two years; the first three at acme.com."""
    rng = random.Random(1)
    now = utcnow()
    ids = []
    with store() as session:
        product = make_product(session, price=Decimal("12.00"))
        for number in range(30):
            email = f"buyer{number}@{'acme.com' if number < 3 else 'example.test'}"
            contact = make_contact(session, name=f"Buyer {number}", email=email)
            ids.append(contact.id)
            for _ in range(rng.randint(1, 6)):
                placed_at = now - timedelta(days=rng.randint(1, 700))
                items = [(product, rng.randint(1, 4))]
                make_order(session, contact=contact, items=items, placed_at=placed_at)
        session.commit()
    return ids


def _audits(store: Callable[[], Session], action: AuditAction) -> list[AuditEvent]:
    with store() as session:
        statement = sa.select(AuditEvent).where(AuditEvent.action == action)
        return list(session.scalars(statement.order_by(AuditEvent.id)))


def _create(client: TestClient, csrf: str, **fields: str) -> int:
    data = {"name": "Acme", "description": "Acme buyers", "rules": RULES, "csrf_token": csrf}
    response = client.post("/console/segments", data={**data, **fields}, follow_redirects=False)
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/console/segments/(\d+)\?done=saved", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


@pytest.mark.parametrize("email", [MARKETING, ADMIN])
@pytest.mark.usefixtures("marketing_id", "admin_id")
def test_marketing_and_admins_see_the_pages(app_client: TestClient, email: str) -> None:
    login(app_client, email)

    page = app_client.get("/console/segments")
    form = app_client.get("/console/segments/new")

    assert page.status_code == 200 and "No customer values yet" in page.text
    assert "Recompute now" in page.text and "No saved segments." in page.text
    assert form.status_code == 200 and 'id="rule-reference"' in form.text
    assert "event.asked_category" in form.text and "consent.marketing" in form.text


@pytest.mark.usefixtures("admin_id")
def test_an_agent_gets_403_everywhere(
    app_client: TestClient, agent_id: int, store: Callable[[], Session]
) -> None:
    with store() as session:
        segment = segments.create_segment(session, name="S", rules={}, created_by="x")
        session.commit()
    csrf = login(app_client, AGENT)

    for path in ("", "/new", f"/{segment.id}", f"/{segment.id}/members"):
        response = app_client.get(f"/console/segments{path}")
        assert response.status_code == 403, path
        assert "Only marketing staff and admins" in response.text
    for path in ("", "/recompute", f"/{segment.id}", f"/{segment.id}/delete"):
        response = app_client.post(
            f"/console/segments{path}",
            data={"csrf_token": csrf, "name": "Hijack", "rules": "{}"},
            follow_redirects=False,
        )
        assert response.status_code == 403, path
    with store() as session:
        assert [s.name for s in segments.list_segments(session)] == ["S"]


@pytest.mark.usefixtures("shop")
def test_recompute_fills_the_page_and_is_audited(
    app_client: TestClient, marketing_id: int, store: Callable[[], Session]
) -> None:
    csrf = login(app_client, MARKETING)

    response = app_client.post(
        "/console/segments/recompute", data={"csrf_token": csrf}, follow_redirects=False
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/console/segments?done=recomputed"
    page = app_client.get(response.headers["location"]).text
    assert "Customer values recomputed." in page
    assert re.search(r"Latest run #\d+: <strong class=\"run-status\">ok</strong>", page)
    assert "30 customers · by mia@shop.test" in page
    assert 'id="rfm-segments"' in page and 'id="clusters"' in page
    assert 'id="silhouette"' in page and "chosen by silhouette" in page
    assert "days ago" in page and "orders" in page  # centroids in words
    [event] = _audits(store, AuditAction.values_recomputed)
    assert event.actor == MARKETING and event.detail == {"status": "ok", "customers": 30}


def test_recompute_needs_the_csrf_token(app_client: TestClient, marketing_id: int) -> None:
    login(app_client, MARKETING)

    response = app_client.post("/console/segments/recompute", data={"csrf_token": "forged"})

    assert response.status_code == 403
    assert "No customer values yet" in app_client.get("/console/segments").text


def test_create_edit_and_delete_a_segment(
    app_client: TestClient, marketing_id: int, store: Callable[[], Session], shop: list[int]
) -> None:
    csrf = login(app_client, MARKETING)

    segment_id = _create(app_client, csrf)
    form = app_client.get(f"/console/segments/{segment_id}?done=saved")
    listing = app_client.get("/console/segments")
    edited = app_client.post(
        f"/console/segments/{segment_id}",
        data={"name": "Acme or VIP", "description": "", "rules": '{"all": []}', "csrf_token": csrf},
        follow_redirects=False,
    )

    assert "Segment saved." in form.text and "3 contacts match now" in form.text
    assert "ends_with" in form.text and "acme.com" in form.text  # the stored rules, as JSON
    assert f'href="/console/segments/{segment_id}/members">3</a>' in listing.text
    assert edited.status_code == 303
    with store() as session:
        segment = session.get(Segment, segment_id)
        assert (
            segment is not None and segment.name == "Acme or VIP" and segment.rules == {"all": []}
        )
    saves = _audits(store, AuditAction.segment_saved)
    assert [e.detail["created"] for e in saves] == [True, False]
    assert saves[0].target == f"segment:{segment_id}" and saves[0].actor == MARKETING

    deleted = app_client.post(
        f"/console/segments/{segment_id}/delete", data={"csrf_token": csrf}, follow_redirects=False
    )

    assert deleted.headers["location"] == "/console/segments?done=deleted"
    assert app_client.get(f"/console/segments/{segment_id}").status_code == 404
    [event] = _audits(store, AuditAction.segment_deleted)
    assert event.detail == {"name": "Acme or VIP"}
    again = app_client.post(f"/console/segments/{segment_id}/delete", data={"csrf_token": csrf})
    assert again.status_code == 404 and f"There is no segment {segment_id}" in again.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rules": '{"all": [{"field": "emial", "op": "is_set"}'}, "the rules are not valid JSON"),
        (
            {"rules": '{"all": [{"field": "emial", "op": "is_set"}]}'},
            "unknown field &#39;emial&#39;",
        ),
        ({"rules": '{"all": [{"field": "tag", "op": "has", "value": 3}]}'}, "needs a non-empty"),
        ({"name": "  "}, "a segment needs a name"),
    ],
)
def test_invalid_input_re_renders_the_form_with_the_input(
    app_client: TestClient,
    marketing_id: int,
    store: Callable[[], Session],
    fields: dict[str, str],
    message: str,
) -> None:
    csrf = login(app_client, MARKETING)
    data = {"name": "Mine <b>", "description": "kept", "rules": RULES, **fields}

    response = app_client.post("/console/segments", data={**data, "csrf_token": csrf})

    assert response.status_code == 400
    assert "Not saved: " in response.text and message in response.text
    assert 'value="Mine &lt;b&gt;"' in response.text or fields.get("name") == "  "
    assert ">kept</textarea>" in response.text
    escaped = data["rules"].replace('"', "&#34;")
    assert escaped in response.text  # the rules as typed, escaped
    with store() as session:
        assert segments.list_segments(session) == []


def test_a_taken_name_on_edit_keeps_the_input(
    app_client: TestClient, marketing_id: int, store: Callable[[], Session]
) -> None:
    csrf = login(app_client, MARKETING)
    _create(app_client, csrf, name="Taken")
    other = _create(app_client, csrf, name="Other")

    response = app_client.post(
        f"/console/segments/{other}",
        data={"name": "taken", "description": "", "rules": RULES, "csrf_token": csrf},
    )

    assert response.status_code == 400
    assert "Not saved: a segment named &#34;taken&#34; already exists." in response.text
    assert (
        'value="taken"' in response.text and f'action="/console/segments/{other}"' in response.text
    )
    missing = app_client.post(
        "/console/segments/999999",
        data={"name": "x", "description": "", "rules": RULES, "csrf_token": csrf},
    )
    assert missing.status_code == 404


def test_members_list_shows_identities_value_and_the_total(
    app_client: TestClient, marketing_id: int, store: Callable[[], Session], shop: list[int]
) -> None:
    with store() as session:
        contacts.get_or_create_for_identity(
            session, channel=Channel.telegram, external_id="777", display_name="Buyer Zero TG"
        )
        identity = contacts.get_identity(session, channel=Channel.telegram, external_id="777")
        assert identity is not None
        identity.contact_id = shop[0]
        session.commit()
    recompute_values(store, now=utcnow(), triggered_by="test")
    csrf = login(app_client, MARKETING)
    segment_id = _create(app_client, csrf)

    page = app_client.get(f"/console/segments/{segment_id}/members")

    assert page.status_code == 200
    assert "3 contacts match." in page.text
    assert "Buyer 0" in page.text and "buyer0@acme.com" in page.text
    assert "telegram: Buyer Zero TG" in page.text
    assert re.search(r"\d+\.\d\d EUR", page.text)  # a CLV
    assert "buyer5@example.test" not in page.text


def test_members_list_is_capped_with_the_total(
    app_client: TestClient, marketing_id: int, store: Callable[[], Session]
) -> None:
    with store() as session:
        for number in range(203):
            make_contact(session, email=f"many{number}@acme.com")
        session.commit()
    csrf = login(app_client, MARKETING)
    segment_id = _create(app_client, csrf)

    page = app_client.get(f"/console/segments/{segment_id}/members").text

    assert "203 contacts match; the first 200 are shown." in page
    assert page.count("@acme.com</td>") == 200


def test_the_conversation_page_shows_the_customer_value(
    app_client: TestClient, agent_id: int, store: Callable[[], Session], shop: list[int]
) -> None:
    recompute_values(store, now=utcnow(), triggered_by="test")
    with store() as session:
        conversation = make_conversation(session, contact=session.get(Contact, shop[0]))
        session.add(ContactTag(contact_id=shop[0], tag="vip", added_by="x"))
        no_value = make_conversation(session)
        session.commit()
        conversation_id, no_value_id = conversation.id, no_value.id
    login(app_client, AGENT)

    page = app_client.get(f"/console/conversations/{conversation_id}").text
    empty = app_client.get(f"/console/conversations/{no_value_id}").text

    block = page[page.index('id="customer-value"') :]
    block = block[: block.index("</section>")]
    assert re.search(r"\(R \d · F \d · M \d\)", block)
    assert "Lifetime value</dt><dd>" in block and "EUR" in block
    assert "P(alive)" in block and "RFM: " in block and "Cluster: " in block
    assert '<span class="tag">vip</span>' in block
    assert "No value yet" in empty
