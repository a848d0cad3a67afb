"""The conversation funnel: conversations -> engaged -> lead -> qualified -> won."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.analytics.periods import within
from crm_bridge.enums import LeadStatus, SenderType
from crm_bridge.models import Conversation, Lead, Message

ENGAGED_MESSAGES = 2


@dataclass(frozen=True)
class Funnel:
    """How many conversations started in the range reached each step (each within the last)."""

    conversations: int
    engaged: int
    leads: int
    qualified: int
    won: int

    def steps(self) -> list[tuple[str, int]]:
        """The steps in order, with their names as shown on the dashboard."""
        return [
            ("conversations", self.conversations),
            ("engaged", self.engaged),
            ("lead", self.leads),
            ("qualified", self.qualified),
            ("won", self.won),
        ]


def conversation_funnel(session: Session, *, start: datetime, end: datetime) -> Funnel:
    """Count the conversations started in the range at each step of the funnel.

    engaged: at least two customer messages, or a button pressed (a customer message with
    a payload); lead: a lead of the conversation exists, whatever its status; qualified:
    that lead has ``qualified_at``; won: it is ``converted``. Each step counts only
    conversations that also made the steps before it, so the funnel never widens (a lead
    typed in by staff for a one-line conversation is not "engaged" and is left out).
    Everything a conversation did counts, also after ``end``: its outcome belongs to the
    range it started in.
    """
    customer = Message.sender_type == SenderType.customer
    messages = (
        sa.select(
            Message.conversation_id.label("conversation_id"),
            sa.func.count().label("said"),
            sa.func.max(sa.case((Message.payload.is_not(None), 1), else_=0)).label("pressed"),
        )
        .where(customer)
        .group_by(Message.conversation_id)
        .subquery()
    )
    qualified_flag = sa.case((Lead.qualified_at.is_not(None), 1), else_=0)
    won_flag = sa.case((Lead.status == LeadStatus.converted, 1), else_=0)
    leads = (
        sa.select(
            Lead.conversation_id.label("conversation_id"),
            sa.func.max(qualified_flag).label("qualified"),
            sa.func.max(won_flag).label("won"),
        )
        .where(Lead.conversation_id.is_not(None))
        .group_by(Lead.conversation_id)
        .subquery()
    )
    engaged = sa.or_(messages.c.said >= ENGAGED_MESSAGES, messages.c.pressed == 1)
    lead = sa.and_(engaged, leads.c.conversation_id.is_not(None))
    qualified = sa.and_(lead, leads.c.qualified == 1)
    won = sa.and_(qualified, leads.c.won == 1)

    def _count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    statement = (
        sa.select(sa.func.count(), _count(engaged), _count(lead), _count(qualified), _count(won))
        .select_from(Conversation)
        .outerjoin(messages, messages.c.conversation_id == Conversation.id)
        .outerjoin(leads, leads.c.conversation_id == Conversation.id)
        .where(within(Conversation.started_at, start, end))
    )
    total, engaged_count, lead_count, qualified_count, won_count = session.execute(statement).one()
    return Funnel(
        conversations=total,
        engaged=int(engaged_count),
        leads=int(lead_count),
        qualified=int(qualified_count),
        won=int(won_count),
    )
