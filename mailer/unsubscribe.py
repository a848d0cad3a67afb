"""One-click unsubscribe: signed links in marketing emails and what using one records.

The token is the contact id and the address the email went to, signed with
MAIL_SIGNING_SECRET (itsdangerous, HMAC-SHA1 with a salt of its own), so it needs no
login and cannot be altered. It never expires: RFC 8058 links must keep working as long
as the email sits in an inbox. Using it appends a marketing-consent withdrawal (history,
never an overwrite); when the latest answer is already "no", nothing is written and the
caller can say it was already done. The address is the fallback when the contact id is
gone (contacts merged by email).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from crm_bridge import consents, contacts
from crm_bridge.enums import ConsentKind

SALT = "mailer.unsubscribe.v1"
PATH = "/unsubscribe"
WORDING = "Unsubscribed from marketing email with the one-click link in an email sent to {address}."


class InvalidToken(ValueError):
    """The link was altered, truncated or signed with another secret."""


class UnsubscribeOutcome(StrEnum):
    """What using a link did."""

    unsubscribed = "unsubscribed"
    already_unsubscribed = "already_unsubscribed"


@dataclass(frozen=True, slots=True)
class UnsubscribeRequest:
    """Who a valid token speaks for."""

    contact_id: int
    address: str


def make_token(secret: str, *, contact_id: int, address: str) -> str:
    """A URL-safe signed token for the link in an email to `address`."""
    return URLSafeSerializer(secret, salt=SALT).dumps({"c": contact_id, "e": address})


def unsubscribe_url(base_url: str, token: str) -> str:
    """The link for the email body and the List-Unsubscribe header."""
    return f"{base_url.rstrip('/')}{PATH}/{token}"


def read_token(secret: str, token: str) -> UnsubscribeRequest:
    """The request inside a token; raise InvalidToken for anything not signed by us."""
    try:
        payload = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        raise InvalidToken("this unsubscribe link is not valid") from None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("c"), int)
        or not isinstance(payload.get("e"), str)
    ):
        raise InvalidToken("this unsubscribe link is not valid")
    return UnsubscribeRequest(contact_id=payload["c"], address=payload["e"])


def is_unsubscribed(session: Session, request: UnsubscribeRequest) -> bool:
    """True when marketing email to this person is already withdrawn (or nobody is left)."""
    contact_id = _contact_id(session, request)
    if contact_id is None:
        return True
    return consents.has_consent(session, contact_id=contact_id, kind=ConsentKind.marketing) is False


def unsubscribe(session: Session, request: UnsubscribeRequest) -> UnsubscribeOutcome:
    """Record the withdrawal once; a second use changes nothing and says so."""
    contact_id = _contact_id(session, request)
    if contact_id is None or is_unsubscribed(session, request):
        return UnsubscribeOutcome.already_unsubscribed
    consents.record_consent(
        session,
        contact_id=contact_id,
        kind=ConsentKind.marketing,
        granted=False,
        wording=WORDING.format(address=request.address),
    )
    return UnsubscribeOutcome.unsubscribed


def _contact_id(session: Session, request: UnsubscribeRequest) -> int | None:
    contact = contacts.get_contact(session, request.contact_id)
    if contact is None:
        contact = contacts.find_by_email(session, request.address)
    return contact.id if contact is not None else None
