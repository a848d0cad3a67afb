"""Contacts and channel identities."""

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_bridge import contacts
from crm_bridge.enums import Channel
from crm_bridge.models import ChannelIdentity
from tests.utils.factories import make_contact


def test_get_or_create_for_identity_creates_contact_and_identity(store_session: Session) -> None:
    contact, identity = contacts.get_or_create_for_identity(
        store_session,
        channel=Channel.telegram,
        external_id="424242",
        display_name="Ada L.",
        username="ada",
        language="en",
    )
    assert contact.id is not None and contact.name == "Ada L."
    assert (identity.contact_id, identity.channel, identity.username) == (
        contact.id,
        Channel.telegram,
        "ada",
    )
    assert contacts.list_identities(store_session, contact.id) == [identity]


def test_get_or_create_for_identity_returns_same_contact_and_refreshes_details(
    store_session: Session,
) -> None:
    first, identity = contacts.get_or_create_for_identity(
        store_session, channel=Channel.telegram, external_id="7", username="old"
    )
    again, same = contacts.get_or_create_for_identity(
        store_session, channel=Channel.telegram, external_id="7", username="new"
    )
    assert (again.id, same.id) == (first.id, identity.id)
    assert same.username == "new"
    assert same.display_name is None  # not given again, so not erased


def test_same_external_id_on_another_channel_is_another_person(store_session: Session) -> None:
    web, _ = contacts.get_or_create_for_identity(
        store_session, channel=Channel.web, external_id="1"
    )
    telegram, _ = contacts.get_or_create_for_identity(
        store_session, channel=Channel.telegram, external_id="1"
    )
    assert web.id != telegram.id


def test_identity_is_unique_per_channel_in_the_schema(store_session: Session) -> None:
    contact = make_contact(store_session)
    for _ in range(2):
        store_session.add(
            ChannelIdentity(contact_id=contact.id, channel=Channel.web, external_id="dup")
        )
    with pytest.raises(IntegrityError):
        store_session.flush()


def test_find_by_email_ignores_case_and_spaces(store_session: Session) -> None:
    contact = contacts.create_contact(store_session, name="Bo", email="  Bo@Example.COM ")
    assert contact.email == "bo@example.com"
    assert contacts.find_by_email(store_session, "BO@example.com") == contact
    assert contacts.find_by_email(store_session, "nobody@example.com") is None


def test_get_contact_returns_none_for_unknown_id(store_session: Session) -> None:
    contact = make_contact(store_session)
    assert contacts.get_contact(store_session, contact.id) is contact
    assert contacts.get_contact(store_session, contact.id + 1000) is None


def test_upsert_customer_updates_instead_of_duplicating(store_session: Session) -> None:
    first = contacts.upsert_customer(
        store_session, external_ref="C-1", name="Old Name", email="a@example.com"
    )
    second = contacts.upsert_customer(
        store_session, external_ref="C-1", name="New Name", email=None, phone="+49 30 1234"
    )
    assert second.id == first.id
    assert (second.name, second.email, second.phone) == ("New Name", None, "+49 30 1234")
    assert contacts.get_by_external_ref(store_session, "C-1") == second


def test_contact_timestamps_are_aware_utc(store_session: Session) -> None:
    contact = make_contact(store_session)
    store_session.expire(contact)
    assert contact.created_at.utcoffset() is not None
    assert contact.created_at.utcoffset().total_seconds() == 0
