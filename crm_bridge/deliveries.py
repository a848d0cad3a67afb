"""Replies a channel could not deliver: recorded instead of dropped, for staff to follow up."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.enums import Channel
from crm_bridge.models import DeliveryFailure

_MAX_ERROR_LENGTH = 2000


def record_failure(
    session: Session, *, channel: Channel, session_key: str, text: str | None, error: str
) -> DeliveryFailure:
    """Store one undelivered reply with the channel's error message."""
    failure = DeliveryFailure(
        channel=channel, session_key=session_key, text=text, error=error[:_MAX_ERROR_LENGTH]
    )
    session.add(failure)
    session.flush()
    return failure


def list_failures(session: Session, *, session_key: str | None = None) -> list[DeliveryFailure]:
    """Recorded failures, oldest first, optionally for one conversation."""
    statement = sa.select(DeliveryFailure).order_by(DeliveryFailure.id)
    if session_key is not None:
        statement = statement.where(DeliveryFailure.session_key == session_key)
    return list(session.scalars(statement))
