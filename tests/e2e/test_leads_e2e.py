"""Lead qualification with the real assistant, over the web chat's WebSocket."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import consents, conversations, handovers, leads, webhooks
from crm_bridge.enums import ConsentKind, LeadStatus, WebhookDeliveryStatus
from crm_bridge.models import Lead, Message
from crm_bridge.webhook_delivery import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature
from tests.e2e.chat import Customer
from tests.e2e.lead_receiver import SECRET, LeadReceiver
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e


def _lead_of(crm: Session, text: str) -> Lead:
    """The lead of the conversation in which the customer wrote `text`."""
    crm.rollback()  # a fresh snapshot, so the action server's writes are visible
    message = crm.scalars(sa.select(Message).where(Message.text == text)).first()
    assert message is not None, text
    lead = crm.scalars(sa.select(Lead).where(Lead.conversation_id == message.conversation_id)).one()
    return lead


async def test_a_hot_lead_is_qualified_scored_handed_over_and_posted(
    stack: Stack, crm: Session, lead_receiver: LeadReceiver
) -> None:
    async with Customer(stack.chat_url) as customer:
        start = await customer.say("Could you send us a quote for a bulk order?")
        company_q = await customer.say("40 desk lamps for our new office in Hamburg")
        team_q = await customer.say("Acme Design GmbH")
        role_q = await customer.say("about 40 people")
        budget_q = await customer.say("I'm the managing director")
        timeline_q = await customer.say("around 5k euros a month")
        faq = await customer.say("how much does shipping cost?")
        name_q = await customer.say("as soon as possible")
        email_q = await customer.say("Ann Lee")
        bad_email = await customer.say("ann at acme")
        consent_q = await customer.say("ann@acme-design.com")
        done = await customer.press("Yes, please", "/affirm")
        slot = done.buttons[0]
        booked = await customer.press(slot["title"], slot["payload"])

    assert "quote" in start.text and "What would you like a quote for" in start.text
    assert "Which company" in company_q.text
    assert "How many people work at Acme Design GmbH?" in team_q.text
    assert "role" in role_q.text
    assert "budget" in budget_q.text
    assert "When would you like" in timeline_q.text
    # The FAQ is answered, then the form asks for the timeline again.
    assert "shipping" in faq.text.lower() and "When would you like" in faq.text
    assert "name" in name_q.text
    assert "email" in email_q.text
    assert "couldn't find an email address" in bad_email.text
    assert "unsubscribe" in consent_q.text
    assert "colleague" in done.text and len(done.buttons) == 3
    assert booked.text.startswith("Booked:")

    lead = _lead_of(crm, "40 desk lamps for our new office in Hamburg")
    assert lead.status == LeadStatus.qualified
    assert lead.data["company"] == "Acme Design GmbH"
    assert lead.data["team_size"] == 40
    assert lead.data["authority"] == "decision_maker"
    assert lead.data["budget"] == {
        "min": 5000.0, "max": 5000.0, "currency": "EUR", "period": "month", "no_budget": False
    }  # fmt: skip
    assert lead.data["timeline"]["asap"] is True
    assert lead.data["email"] == "ann@acme-design.com"
    assert lead.data["engagement"]["messages"] >= 10
    assert lead.data["appointment"]["at"] == slot["payload"].split('"')[3]
    assert lead.raw_answers["lead_email"] == ["ann at acme", "ann@acme-design.com"]
    assert lead.grade == "A" and lead.score is not None and lead.score_reasons
    assert consents.has_consent(crm, contact_id=lead.contact_id, kind=ConsentKind.marketing)
    handover = handovers.get_open(crm, conversation_id=lead.conversation_id)
    assert handover is not None and f"#{lead.id}" in (handover.reason or "")
    assert lead.data["name"] == "Ann Lee"

    posts = await asyncio.to_thread(lead_receiver.wait_for_lead, lead.id)
    assert [post.status for post in posts] == [503, 200]  # failed once, retried, accepted
    accepted = posts[-1]
    assert verify_signature(
        SECRET,
        accepted.headers[TIMESTAMP_HEADER],
        accepted.body,
        accepted.headers[SIGNATURE_HEADER],
    )
    assert accepted.payload["lead"]["data"]["need"] == "40 desk lamps for our new office in Hamburg"
    crm.rollback()
    (delivery,) = webhooks.list_deliveries(crm, lead_id=lead.id)
    assert delivery.status == WebhookDeliveryStatus.delivered
    assert delivery.attempts == 2 and "503" in (delivery.last_error or "")


async def test_a_stopped_form_resumes_later_without_asking_again(
    stack: Stack, crm: Session
) -> None:
    async with Customer(stack.chat_url) as customer:
        await customer.say("can someone from sales call me back?")
        await customer.say("a sample box of your garden range")
        await customer.say("just me")
        budget_q = await customer.say("what do you charge for shipping to Spain?")
        stopped = await customer.say("never mind, stop")
        resumed = await customer.say("actually, please call me back after all")
        skipped_1 = await customer.say("purple")
        skipped_2 = await customer.say("banana")
        after_skip = await customer.press("Skip this question", "/skip_question")

    # A private customer is not asked for team size or role.
    assert "budget" in budget_q.text
    assert "kept what you told me" in stopped.text
    assert resumed.text.startswith("Welcome back!") and "budget" in resumed.text
    assert "couldn't read an amount" in skipped_1.text
    assert (
        "around €2,000" in skipped_2.text and skipped_2.buttons[-1]["title"] == "Skip this question"
    )
    assert "When would you like" in after_skip.text

    lead = _lead_of(crm, "a sample box of your garden range")
    assert lead.status == LeadStatus.draft
    assert lead.data["private_customer"] is True and lead.data["skipped"] == ["budget"]
    assert lead.data["request"] == "callback"
    conversation = conversations.get_conversation(crm, lead.conversation_id)
    assert conversation is not None
    assert leads.find_resumable(crm, contact_id=conversation.contact_id).id == lead.id
