"""Consent history: every grant or withdrawal is a new row, so the record shows who agreed
to what, in which words, on which channel and when."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.enums import Channel, ConsentKind
from crm_bridge.models import Consent


def record_consent(
    session: Session,
    *,
    contact_id: int,
    kind: ConsentKind,
    granted: bool,
    wording: str,
    channel: Channel | None = None,
) -> Consent:
    """Append one consent change (never updates an earlier row)."""
    consent = Consent(
        contact_id=contact_id, kind=kind, granted=granted, wording=wording, channel=channel
    )
    session.add(consent)
    session.flush()
    return consent


def consent_history(session: Session, *, contact_id: int, kind: ConsentKind) -> list[Consent]:
    """Every change of one kind for a contact, oldest first."""
    statement = (
        sa.select(Consent)
        .where(Consent.contact_id == contact_id, Consent.kind == kind)
        .order_by(Consent.recorded_at, Consent.id)
    )
    return list(session.scalars(statement))


def has_consent(session: Session, *, contact_id: int, kind: ConsentKind) -> bool | None:
    """The latest answer of this kind, or None when the contact was never asked."""
    history = consent_history(session, contact_id=contact_id, kind=kind)
    return history[-1].granted if history else None
