"""The inbox and transcript pages show what staff need, and viewing is audited."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from crm_bridge import consents, contacts, messages, recommendations
from crm_bridge.column_types import utcnow
from crm_bridge.enums import (
    AuditAction,
    Channel,
    ConsentKind,
    ConversationStatus,
    SuggestionEventKind,
)
from crm_bridge.models import AuditEvent, Handover
from tests.bot.console.conftest import AGENT
from tests.bot.console.helpers import login
from tests.utils.factories import (
    make_contact,
    make_conversation,
    make_handover,
    make_lead,
    make_order,
    make_product,
)


def _seed_rich_conversation(store: Callable[[], Session]) -> int:
    with store() as session:
        contact, _ = contacts.get_or_create_for_identity(
            session,
            channel=Channel.telegram,
            external_id="555",
            username="greta_g",
            display_name="Greta G",
        )
        contact.name, contact.phone, contact.external_ref = "Greta", "+49 30 1", "C-77"
        conversation = make_conversation(session, contact=contact)
        lamp = make_product(session, name="Brass Table Lamp", price=Decimal("62.50"))
        make_order(session, contact=contact, items=[(lamp, 2)])
        consents.record_consent(
            session,
            contact_id=contact.id,
            kind=ConsentKind.marketing,
            granted=True,
            wording="yes please",
        )
        said = messages.record_incoming(
            session, conversation_id=conversation.id, text="something like the brass lamp"
        )
        messages.set_nlu_result(
            session,
            said,
            intent="more_like_this",
            confidence=0.43,
            entities=[{"entity": "product_id", "value": lamp.id}],
        )
        messages.record_outgoing(
            session,
            conversation_id=conversation.id,
            text="Here you go:",
            buttons=[{"title": "Cheaper ones", "payload": "/cheaper"}],
        )
        card = {
            "type": "product_card",
            "product_id": lamp.id,
            "rank": 1,
            "name": "Brass Table Lamp",
            "price": "€62.50",
            "image": "/media/products/LMP.svg",
            "reason": "Bought with lanterns",
            "buttons": [{"title": "Details", "payload": "/product_details"}],
            "url": None,
        }
        messages.record_outgoing(session, conversation_id=conversation.id, text=None, custom=card)
        recommendations.record_shown(
            session,
            contact_id=contact.id,
            conversation_id=conversation.id,
            shown=[recommendations.ShownSuggestion(lamp.id, 1, "Bought with lanterns")],
            model_version="v000003",
        )
        recommendations.record_follow_up(
            session,
            conversation_id=conversation.id,
            product_id=lamp.id,
            kind=SuggestionEventKind.clicked,
        )
        lead = make_lead(
            session,
            conversation=conversation,
            data={"budget": "5k", "timeline": "this month"},
            score=0.82,
            grade="A",
        )
        lead.score_reasons = ["Budget over 1,000", "Wants it this month"]
        session.commit()
        return conversation.id


def test_transcript_shows_parse_cards_lead_and_profile(
    app_client: TestClient, agent_id: int, store: Callable[[], Session]
) -> None:
    conversation_id = _seed_rich_conversation(store)
    login(app_client, AGENT)

    html = app_client.get(f"/console/conversations/{conversation_id}").text

    for expected in (
        "more_like_this",
        "43%",
        "low confidence",
        "entities: product_id=",
        '<span class="chip" title="/cheaper">Cheaper ones</span>',
        '<h4 class="card-name">Brass Table Lamp</h4>',
        '<p class="card-reason">Bought with lanterns</p>',
        '<span class="flag">clicked</span>',
        "clicked: Brass Table Lamp (rank 1, model v000003)",
        "<dt>budget</dt><dd>5k</dd>",
        "0.82",
        '<strong class="grade">A</strong>',
        "<li>Budget over 1,000</li>",
        "<dd>C-77</dd>",
        "marketing: granted",
        "2 \u00d7 Brass Table Lamp",
        "telegram: Greta G (@greta_g)",
        "Greta",
    ):
        assert expected in html, expected


def test_viewing_a_transcript_is_audited_once_per_visit(
    app_client: TestClient, agent_id: int, store: Callable[[], Session]
) -> None:
    with store() as session:
        conversation_id = make_conversation(session).id
        session.commit()
    login(app_client, AGENT)

    for _ in range(3):  # a live page re-reads itself
        assert app_client.get(f"/console/conversations/{conversation_id}").status_code == 200
    with store() as session:
        views = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == AuditAction.view_transcript)
        ).all()
        assert [(v.conversation_id, v.actor) for v in views] == [(conversation_id, AGENT)]
        views[0].created_at = utcnow() - timedelta(hours=1)
        session.commit()

    app_client.get(f"/console/conversations/{conversation_id}")
    with store() as session:
        count = session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == AuditAction.view_transcript)
        )
    assert count == 2


def test_missing_conversation_is_a_clear_404(app_client: TestClient, agent_id: int) -> None:
    login(app_client, AGENT)

    response = app_client.get("/console/conversations/424242")

    assert response.status_code == 404 and "There is no conversation 424242." in response.text


def test_inbox_shows_the_queue_with_waiting_time_and_filtered_counts(
    app_client: TestClient, agent_id: int, store: Callable[[], Session]
) -> None:
    with store() as session:
        waiting = make_conversation(session, contact=make_contact(session, name="Wanda"))
        make_handover(session, conversation=waiting)
        session.execute(sa.update(Handover).values(requested_at=utcnow() - timedelta(minutes=12)))
        for _ in range(3):
            make_conversation(session, channel=Channel.telegram)
        session.commit()
    login(app_client, AGENT)

    page = app_client.get("/console/conversations").text
    telegram = app_client.get("/console/conversations", params={"channel": "telegram"}).text
    bad = app_client.get("/console/conversations", params={"status": "lost"}).text

    queue = page.split('id="queue"')[1].split("</section>")[0]
    assert "Wanda" in queue and re.search(r"waiting <span class=\"wait\">1[23] min</span>", queue)
    assert f"Take over #{waiting.id}" in queue
    assert "4 conversations" in page
    assert "3 conversations" in telegram and "Wanda" not in telegram.split('id="results"')[1]
    assert f"with the assistant ({3})" in telegram
    assert "Ignored status &#39;lost&#39;" in bad
    assert str(ConversationStatus.waiting) in page
