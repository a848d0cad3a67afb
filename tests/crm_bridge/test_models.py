"""Column behaviour shared by every model: UTC timestamps and enum columns."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from crm_bridge.enums import ConversationStatus
from crm_bridge.models import Order
from tests.utils.factories import make_conversation, make_order


def test_other_time_zones_are_stored_as_the_same_utc_instant(store_session: Session) -> None:
    cet = timezone(timedelta(hours=1))
    order = make_order(store_session, placed_at=datetime(2026, 1, 2, 10, 0, tzinfo=cet))
    store_session.expire(order)
    assert order.placed_at == datetime(2026, 1, 2, 9, 0, tzinfo=UTC)
    assert order.placed_at.tzinfo == UTC


def test_naive_datetimes_are_refused(store_session: Session) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        make_order(store_session, placed_at=datetime(2026, 1, 2, 10, 0))


def test_enum_columns_read_back_as_enum_members(store_session: Session) -> None:
    conversation = make_conversation(store_session, status=ConversationStatus.waiting)
    store_session.expire(conversation)
    assert conversation.status is ConversationStatus.waiting
    raw = store_session.execute(
        sa.text("SELECT status FROM conversations WHERE id = :id"), {"id": conversation.id}
    ).scalar()
    assert raw == "waiting"


def test_ordering_by_timestamp_matches_time_order(store_session: Session) -> None:
    base = datetime(2026, 5, 1, tzinfo=UTC)
    for hours in (5, 1, 3):
        make_order(store_session, placed_at=base + timedelta(hours=hours))
    stored = store_session.scalars(sa.select(Order.placed_at).order_by(Order.placed_at)).all()
    assert stored == sorted(stored)
    assert [t.hour for t in stored] == [1, 3, 5]
