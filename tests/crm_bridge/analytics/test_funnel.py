"""The conversation funnel, on both backends."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm_bridge.analytics.funnel import Funnel, conversation_funnel
from crm_bridge.enums import LeadStatus, SenderType
from tests.crm_bridge.analytics.data import END, START, at, conversation, lead, say


def test_funnel_counts_each_step_within_the_one_before(store_session: Session) -> None:
    one_message = conversation(store_session, at(1))
    say(store_session, one_message)
    say(store_session, one_message, sender=SenderType.bot)
    two_messages = conversation(store_session, at(1))
    say(store_session, two_messages)
    say(store_session, two_messages)
    pressed = conversation(store_session, at(2))
    say(store_session, pressed, payload="/request_quote")
    lead(store_session, pressed, qualified=False)
    lead(store_session, pressed, qualified=False)  # two leads count once
    qualified = conversation(store_session, at(3))
    say(store_session, qualified)
    say(store_session, qualified)
    lead(store_session, qualified, status=LeadStatus.contacted, qualified=True)
    won = conversation(store_session, at(4))
    say(store_session, won)
    say(store_session, won)
    lead(store_session, won, status=LeadStatus.converted, qualified=True)
    staff_lead = conversation(store_session, at(5))  # not engaged: left out after step one
    say(store_session, staff_lead)
    lead(store_session, staff_lead, status=LeadStatus.converted, qualified=True)
    silent = conversation(store_session, at(6))
    after = conversation(store_session, END)
    say(store_session, after)
    say(store_session, after)
    lead(store_session, after, status=LeadStatus.converted, qualified=True)

    figures = conversation_funnel(store_session, start=START, end=END)

    assert figures == Funnel(conversations=7, engaged=4, leads=3, qualified=2, won=1)
    assert [name for name, _ in figures.steps()] == [
        "conversations",
        "engaged",
        "lead",
        "qualified",
        "won",
    ]
    assert silent.id  # a conversation without any message still counts as started


def test_funnel_of_an_empty_range_is_all_zero(store_session: Session) -> None:
    assert conversation_funnel(store_session, start=START, end=END) == Funnel(0, 0, 0, 0, 0)
