"""One person on two channels: linking by email, and the first-touch source of a contact."""

import pytest
from sqlalchemy.orm import Session

from crm_bridge import consents, contacts, conversations
from crm_bridge.enums import Channel, ConsentKind
from crm_bridge.models import Contact


def _on(session: Session, channel: Channel, external_id: str) -> Contact:
    contact, _ = contacts.get_or_create_for_identity(
        session, channel=channel, external_id=external_id, display_name=f"{channel} person"
    )
    conversations.open_conversation(
        session, contact_id=contact.id, channel=channel, session_key=f"{channel}-{external_id}"
    )
    return contact


def test_link_by_email_merges_the_newer_contact_into_the_older_one(
    store_session: Session,
) -> None:
    web = _on(store_session, Channel.web, "web-abc")
    contacts.link_by_email(store_session, contact_id=web.id, email="Ada@Example.test")
    telegram = _on(store_session, Channel.telegram, "4242")
    consents.record_consent(
        store_session,
        contact_id=telegram.id,
        kind=ConsentKind.proactive_messages,
        granted=False,
        wording="/stop",
    )
    telegram_id = telegram.id

    linked = contacts.link_by_email(
        store_session, contact_id=telegram_id, email=" ada@example.test"
    )

    assert linked.id == web.id
    assert contacts.get_contact(store_session, telegram_id) is None
    identities = contacts.list_identities(store_session, web.id)
    assert {(i.channel, i.external_id) for i in identities} == {
        (Channel.web, "web-abc"),
        (Channel.telegram, "4242"),
    }
    assert len(conversations.list_conversations(store_session, contact_id=web.id)) == 2
    assert (
        consents.has_consent(store_session, contact_id=web.id, kind=ConsentKind.proactive_messages)
        is False
    )
    again, _ = contacts.get_or_create_for_identity(
        store_session, channel=Channel.telegram, external_id="4242"
    )
    assert again.id == web.id


def test_link_by_email_keeps_the_oldest_contact_whoever_gives_the_email(
    store_session: Session,
) -> None:
    older = _on(store_session, Channel.web, "web-old")
    newer = _on(store_session, Channel.telegram, "77")
    contacts.link_by_email(store_session, contact_id=newer.id, email="bo@example.test")
    linked = contacts.link_by_email(store_session, contact_id=older.id, email="bo@example.test")
    assert linked.id == older.id and linked.email == "bo@example.test"
    assert contacts.get_contact(store_session, newer.id) is None
    assert linked.name == "web person"


def test_link_by_email_without_a_match_only_sets_the_email(store_session: Session) -> None:
    contact = _on(store_session, Channel.telegram, "5")
    linked = contacts.link_by_email(store_session, contact_id=contact.id, email="new@example.test")
    assert (linked.id, linked.email) == (contact.id, "new@example.test")


def test_link_by_email_refuses_an_empty_email(store_session: Session) -> None:
    contact = _on(store_session, Channel.telegram, "6")
    with pytest.raises(ValueError):
        contacts.link_by_email(store_session, contact_id=contact.id, email="  ")


def test_record_first_touch_keeps_the_first_source(store_session: Session) -> None:
    contact = _on(store_session, Channel.telegram, "8")
    contacts.record_first_touch(
        store_session, contact_id=contact.id, source="instagram", campaign="spring"
    )
    contacts.record_first_touch(store_session, contact_id=contact.id, source="flyer", campaign=None)
    assert (contact.source, contact.campaign) == ("instagram", "spring")
