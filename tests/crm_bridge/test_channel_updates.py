"""Processed update ids (channel retries) and recorded delivery failures."""

from sqlalchemy.orm import Session

from crm_bridge import channel_updates, deliveries
from crm_bridge.enums import Channel


def test_mark_processed_accepts_an_update_id_once(store_session: Session) -> None:
    first = channel_updates.mark_processed(store_session, channel=Channel.telegram, update_id=9)
    again = channel_updates.mark_processed(store_session, channel=Channel.telegram, update_id=9)
    assert (first, again) == (True, False)


def test_mark_processed_keeps_channels_apart_and_the_session_usable(
    store_session: Session,
) -> None:
    channel_updates.mark_processed(store_session, channel=Channel.telegram, update_id=2**40)
    channel_updates.mark_processed(store_session, channel=Channel.telegram, update_id=2**40)
    assert channel_updates.mark_processed(store_session, channel=Channel.web, update_id=2**40)


def test_record_failure_is_listed_per_conversation(store_session: Session) -> None:
    deliveries.record_failure(
        store_session,
        channel=Channel.telegram,
        session_key="telegram-1",
        text="hello",
        error="Forbidden: bot was blocked by the user",
    )
    deliveries.record_failure(
        store_session, channel=Channel.telegram, session_key="telegram-2", text=None, error="x"
    )
    failures = deliveries.list_failures(store_session, session_key="telegram-1")
    assert [(f.text, f.error) for f in failures] == [
        ("hello", "Forbidden: bot was blocked by the user")
    ]
    assert len(deliveries.list_failures(store_session)) == 2
