"""Review in the console: tags, notes, reviewed mark, intent corrections and their NLU export."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
import yaml
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from crm_bridge import messages, reviews
from crm_bridge.enums import AuditAction
from crm_bridge.models import AuditEvent, Conversation
from tests.bot.console.conftest import AGENT
from tests.bot.console.helpers import login
from tests.utils.factories import make_conversation


@pytest.fixture
def said(store: Callable[[], Session]) -> tuple[int, int, int]:
    """(conversation id, customer message id, bot message id)."""
    with store() as session:
        conversation = make_conversation(session)
        message = messages.record_incoming(
            session, conversation_id=conversation.id, text="how much for the\nblue [lantern]"
        )
        messages.set_nlu_result(session, message, intent="greet", confidence=0.41, entities=[])
        answer = messages.record_outgoing(session, conversation_id=conversation.id, text="Hi!")
        session.commit()
        return conversation.id, message.id, answer.id


def _post(client: TestClient, path: str, csrf: str, **data: str) -> Response:
    return client.post(path, data={"csrf_token": csrf, **data}, follow_redirects=False)


def test_tags_notes_and_reviewed_mark(
    app_client: TestClient, agent_id: int, said: tuple[int, int, int], store: Callable[[], Session]
) -> None:
    conversation_id, _, _ = said
    csrf = login(app_client, AGENT)
    base = f"/console/conversations/{conversation_id}"

    assert _post(app_client, f"{base}/tags", csrf, tag="  Needs   Refund ").status_code == 303
    assert _post(app_client, f"{base}/tags", csrf, tag="bug").status_code == 303
    assert _post(app_client, f"{base}/tags/remove", csrf, tag="bug").status_code == 303
    assert _post(app_client, f"{base}/notes", csrf, text="Called back on Monday").status_code == 303
    assert _post(app_client, f"{base}/reviewed", csrf, reviewed="yes").status_code == 303

    page = app_client.get(base).text
    assert "needs refund" in page and ">bug<" not in page
    assert "Called back on Monday" in page and AGENT in page
    assert "Mark as not reviewed" in page
    tagged = app_client.get("/console/conversations", params={"tag": "needs refund"}).text
    assert f'href="{base}"' in tagged
    unreviewed = app_client.get("/console/conversations", params={"reviewed": "no"}).text
    assert f'href="{base}"' not in unreviewed
    with store() as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None and conversation.reviewed_by == AGENT


def test_bad_tag_and_empty_note_are_refused_with_the_input_kept(
    app_client: TestClient, agent_id: int, said: tuple[int, int, int]
) -> None:
    conversation_id, _, _ = said
    csrf = login(app_client, AGENT)
    base = f"/console/conversations/{conversation_id}"

    bad_tag = _post(app_client, f"{base}/tags", csrf, tag="<nope>")
    empty_note = _post(app_client, f"{base}/notes", csrf, text="   ")

    assert bad_tag.status_code == 400
    assert "Not saved: a tag is 1-40 characters" in bad_tag.text
    assert 'value="&lt;nope&gt;"' in bad_tag.text
    assert empty_note.status_code == 400 and "a note needs some text" in empty_note.text


def test_intent_correction_and_nlu_export(
    app_client: TestClient, agent_id: int, said: tuple[int, int, int], store: Callable[[], Session]
) -> None:
    conversation_id, message_id, answer_id = said
    csrf = login(app_client, AGENT)

    saved = _post(app_client, f"/console/messages/{message_id}/intent", csrf, intent="ask_price")
    bad = _post(app_client, f"/console/messages/{message_id}/intent", csrf, intent="Ask Price!")
    on_bot = _post(app_client, f"/console/messages/{answer_id}/intent", csrf, intent="greet")
    missing = _post(app_client, "/console/messages/999999/intent", csrf, intent="greet")
    export = app_client.get("/console/corrections/nlu.yml")

    assert saved.status_code == 303
    assert saved.headers["location"].endswith(f"#m{message_id}")
    assert bad.status_code == 400 and 'value="Ask Price!"' in bad.text
    assert on_bot.status_code == 400 and "only a customer&#39;s text message" in on_bot.text
    assert missing.status_code == 404
    page = app_client.get(f"/console/conversations/{conversation_id}").text
    assert "corrected to <strong>ask_price</strong>" in page

    assert export.status_code == 200
    assert export.headers["content-disposition"] == 'attachment; filename="nlu_corrections.yml"'
    data = yaml.safe_load(export.text)
    assert data == {
        "version": "3.1",
        "nlu": [{"intent": "ask_price", "examples": "- how much for the blue lantern\n"}],
    }
    with store() as session:
        actions = list(session.scalars(sa.select(AuditEvent.action)))
        assert reviews.corrections_of(session, conversation_id)[message_id].original_intent == (
            "greet"
        )
    assert AuditAction.intent_corrected in actions and AuditAction.export in actions


def test_corrections_page_lists_corrections(
    app_client: TestClient, agent_id: int, said: tuple[int, int, int]
) -> None:
    _, message_id, _ = said
    csrf = login(app_client, AGENT)
    _post(app_client, f"/console/messages/{message_id}/intent", csrf, intent="faq/shipping")

    page = app_client.get("/console/corrections").text

    assert "faq/shipping" in page and "greet" in page
