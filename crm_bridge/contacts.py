"""Contacts and the channel identities that tie one person to each channel."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.enums import Channel
from crm_bridge.models import ChannelIdentity, Consent, Contact, Conversation, Lead, Order

# Rows that belong to a contact and follow it when two contacts turn out to be one person.
_OWNED_ROWS = (ChannelIdentity, Conversation, Lead, Order, Consent)


def create_contact(
    session: Session,
    *,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    external_ref: str | None = None,
    attributes: dict[str, Any] | None = None,
) -> Contact:
    """Create a contact with no channel yet (imported customers, staff-entered leads)."""
    contact = Contact(
        name=name,
        email=_normalise_email(email),
        phone=phone,
        external_ref=external_ref,
        attributes=dict(attributes or {}),
    )
    session.add(contact)
    session.flush()
    return contact


def get_contact(session: Session, contact_id: int) -> Contact | None:
    """Return the contact with this id, or None."""
    return session.get(Contact, contact_id)


def find_by_email(session: Session, email: str) -> Contact | None:
    """Return the oldest contact with this email (case-insensitive), to link a returning person."""
    statement = (
        sa.select(Contact)
        .where(Contact.email == _normalise_email(email))
        .order_by(Contact.id)
        .limit(1)
    )
    return session.scalars(statement).first()


def get_by_external_ref(session: Session, external_ref: str) -> Contact | None:
    """Return the contact the shop knows under this customer id, or None."""
    return session.scalars(sa.select(Contact).where(Contact.external_ref == external_ref)).first()


def upsert_customer(
    session: Session,
    *,
    external_ref: str,
    name: str | None,
    email: str | None = None,
    phone: str | None = None,
) -> Contact:
    """Create or update the contact for a shop customer id, so imports can be re-run."""
    contact = get_by_external_ref(session, external_ref)
    if contact is None:
        return create_contact(
            session, name=name, email=email, phone=phone, external_ref=external_ref
        )
    contact.name = name
    contact.email = _normalise_email(email)
    contact.phone = phone
    session.flush()
    return contact


def get_identity(session: Session, *, channel: Channel, external_id: str) -> ChannelIdentity | None:
    """Return the identity a channel gave this person, or None."""
    statement = sa.select(ChannelIdentity).where(
        ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id
    )
    return session.scalars(statement).first()


def get_or_create_for_identity(
    session: Session,
    *,
    channel: Channel,
    external_id: str,
    display_name: str | None = None,
    username: str | None = None,
    language: str | None = None,
) -> tuple[Contact, ChannelIdentity]:
    """Find the contact behind a channel's id for a person, creating both on first contact.

    Details the channel sends again (a changed username, say) refresh the identity.
    """
    identity = get_identity(session, channel=channel, external_id=external_id)
    if identity is None:
        contact = create_contact(session, name=display_name)
        identity = ChannelIdentity(
            contact_id=contact.id,
            channel=channel,
            external_id=external_id,
            username=username,
            display_name=display_name,
            language=language,
        )
        session.add(identity)
        session.flush()
        return contact, identity
    for field, value in (
        ("display_name", display_name),
        ("username", username),
        ("language", language),
    ):
        if value is not None and getattr(identity, field) != value:
            setattr(identity, field, value)
    session.flush()
    return identity.contact, identity


def list_identities(session: Session, contact_id: int) -> list[ChannelIdentity]:
    """Return every channel identity of a contact, oldest first."""
    statement = (
        sa.select(ChannelIdentity)
        .where(ChannelIdentity.contact_id == contact_id)
        .order_by(ChannelIdentity.id)
    )
    return list(session.scalars(statement))


def record_first_touch(
    session: Session, *, contact_id: int, source: str | None, campaign: str | None
) -> Contact:
    """Note where a contact came from (a deep link, say); the first value given is kept.

    First touch on purpose: a later link must not take credit for bringing the person.
    """
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise LookupError(f"no contact {contact_id}")
    if contact.source is None and contact.campaign is None:
        contact.source, contact.campaign = source, campaign
        session.flush()
    return contact


def link_by_email(session: Session, *, contact_id: int, email: str) -> Contact:
    """Give a contact an email; when another contact already has it, they become one.

    The same person writing on the web and on Telegram starts as two contacts. When both
    give the same email, the newer contact's identities, conversations, leads, orders and
    consents move to the oldest contact with that email, details the survivor lacks are
    copied over, and the newer contact is deleted. Returns the contact that remains.
    """
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise LookupError(f"no contact {contact_id}")
    normalised = _normalise_email(email)
    if normalised is None:
        raise ValueError("email is empty")
    survivor = find_by_email(session, normalised)
    if survivor is None or survivor.id == contact.id:
        contact.email = normalised
        session.flush()
        return contact
    if survivor.id > contact.id:  # keep the oldest record, whoever gave the email first
        survivor, contact = contact, survivor
        survivor.email = normalised
    _merge_into(session, duplicate=contact, survivor=survivor)
    return survivor


def _merge_into(session: Session, *, duplicate: Contact, survivor: Contact) -> None:
    session.flush()
    for model in _OWNED_ROWS:
        session.execute(
            sa.update(model)
            .where(model.contact_id == duplicate.id)
            .values(contact_id=survivor.id)
            .execution_options(synchronize_session="fetch")
        )
    for field in ("name", "phone", "external_ref", "source", "campaign"):
        if getattr(survivor, field) is None and getattr(duplicate, field) is not None:
            value = getattr(duplicate, field)
            setattr(duplicate, field, None)  # external_ref is unique: free it first
            session.flush()
            setattr(survivor, field, value)
    survivor.attributes = {**duplicate.attributes, **survivor.attributes}
    session.expire(duplicate)
    session.delete(duplicate)
    session.flush()
    session.expire(survivor, ["identities"])


def _normalise_email(email: str | None) -> str | None:
    """Store emails trimmed and lower-cased so lookups match however people typed them."""
    if email is None:
        return None
    email = email.strip().lower()
    return email or None
