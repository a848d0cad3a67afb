"""Ids of channel updates already handled: channels retry deliveries (Telegram re-sends an
update until it gets a 200), and a retry must not answer the customer twice."""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_bridge.enums import Channel
from crm_bridge.models import ProcessedUpdate


def mark_processed(session: Session, *, channel: Channel, update_id: int) -> bool:
    """Remember `update_id`; False when it was seen before (the unique key decides, so two
    gateway processes racing on the same update cannot both win)."""
    try:
        with session.begin_nested():
            session.add(ProcessedUpdate(channel=channel, update_id=update_id))
    except IntegrityError:
        return False
    return True
