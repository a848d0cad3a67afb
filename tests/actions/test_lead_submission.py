"""Saving a finished lead form: the lead, its consent, score, outboxes and hand-over."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import lead_submission
from actions.lead_submission import ActionSubmitLead
from actions.services import Store
from actions.settings import get_lead_settings
from crm_bridge import consents, handovers, leads, webhooks
from crm_bridge.enums import ConsentKind, LeadStatus
from tests.actions.conftest import SENDER, TrackerFactory
from tests.utils.factories import make_contact, make_conversation

FINISHED_FORM: dict[str, Any] = {
    "lead_request": "callback",
    "lead_need": "40 desk lamps for our new office",
    "lead_company": "Acme Design",
    "lead_team_size": 40,
    "lead_role": {"title": "CEO", "authority": "decision_maker"},
    "lead_budget": {"min": 2000.0, "max": 3000.0, "currency": "EUR", "period": None,
                    "no_budget": False},
    "lead_timeline": {"label": "next month", "start": "2026-12-01", "end": "2026-12-31",
                      "asap": False, "just_looking": False},
    "lead_name": "Ann Lee",
    "lead_email": {"address": "ann@acme-design.com", "kind": "business"},
    "lead_phone": "+49 30 1234 5678",
    "lead_consent": True,
    "lead_raw_answers": {"lead_budget": ["2-3k euros"], "lead_consent": ["/affirm"]},
}  # fmt: skip


@pytest.fixture(autouse=True)
def _settings(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No scoring model (rules), no webhook, email off; caches cleared around each test."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    for name in ("LEAD_WEBHOOK_URL", "LEAD_WEBHOOK_SECRET", "SMTP_HOST", "LEAD_GRADE_THRESHOLDS"):
        monkeypatch.delenv(name, raising=False)
    get_lead_settings.cache_clear()
    lead_submission.get_scorer_loader.cache_clear()
    yield
    get_lead_settings.cache_clear()
    lead_submission.get_scorer_loader.cache_clear()


async def _submit(make_tracker: TrackerFactory, slots: dict[str, Any]) -> tuple[list, list]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("yes", "affirm", slots=slots)
    tracker.latest_action_name = "lead_form"
    events = await ActionSubmitLead().run(dispatcher, tracker, {})
    return events, dispatcher.messages


async def test_submit_saves_every_field_consent_and_score(
    store: Store, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        contact = make_contact(session, name=None, email=None)
        make_conversation(session, contact=contact, session_key=SENDER)

    events, messages = await _submit(make_tracker, FINISHED_FORM)

    with store.transaction() as session:
        (lead,) = leads.list_leads(session, contact_id=contact.id)
        assert lead.status == LeadStatus.qualified and lead.qualified_at is not None
        assert lead.data["company"] == "Acme Design"
        assert lead.data["authority"] == "decision_maker"
        assert lead.data["budget"]["max"] == 3000.0
        assert lead.data["email"] == "ann@acme-design.com"
        assert lead.data["engagement"]["channel"] == "web"
        assert lead.raw_answers["lead_budget"] == ["2-3k euros"]
        assert 0.0 <= lead.score <= 1.0 and lead.grade in "ABCD"
        assert lead.scored_by == "rules" and lead.score_reasons
        (consent,) = consents.consent_history(
            session, contact_id=contact.id, kind=ConsentKind.marketing
        )
        assert consent.granted and "unsubscribe" in consent.wording
        assert contact.id == lead.contact_id
        assert session.get(type(contact), contact.id).name == "Ann Lee"
    assert messages and "Ann" in messages[0]["text"]
    assert all(event["value"] is None for event in events if event["name"].startswith("lead_"))


async def test_a_hot_lead_gets_a_handover_and_slots_to_book(
    store: Store, make_tracker: TrackerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEAD_GRADE_THRESHOLDS", "0.03,0.02,0.01")  # every lead is grade A
    with store.transaction() as session:
        conversation = make_conversation(session, session_key=SENDER)

    _, messages = await _submit(make_tracker, FINISHED_FORM)

    with store.transaction() as session:
        handover = handovers.get_open(session, conversation_id=conversation.id)
        assert handover is not None and "grade A" in (handover.reason or "")
    (message,) = messages
    assert "colleague" in message["text"]
    assert message["buttons"] and all(
        button["payload"].startswith("/book_appointment") for button in message["buttons"]
    )


async def test_submit_queues_the_lead_for_the_webhook(
    store: Store, make_tracker: TrackerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEAD_WEBHOOK_URL", "https://crm.example.test/hook")
    monkeypatch.setenv("LEAD_WEBHOOK_SECRET", "s3cret")
    with store.transaction() as session:
        make_conversation(session, session_key=SENDER)

    await _submit(make_tracker, FINISHED_FORM)

    with store.transaction() as session:
        (delivery,) = webhooks.list_deliveries(session)
        assert delivery.url == "https://crm.example.test/hook"
        assert delivery.payload["lead"]["data"]["need"] == "40 desk lamps for our new office"
        assert delivery.payload["lead"]["grade"] in "ABCD"


async def test_a_prefilled_consent_is_not_recorded_again(
    store: Store, make_tracker: TrackerFactory
) -> None:
    with store.transaction() as session:
        contact = make_contact(session)
        make_conversation(session, contact=contact, session_key=SENDER)
    form = {**FINISHED_FORM, "lead_raw_answers": {}}

    await _submit(make_tracker, form)

    with store.transaction() as session:
        assert (
            consents.has_consent(session, contact_id=contact.id, kind=ConsentKind.marketing) is None
        )
