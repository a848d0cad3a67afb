"""Consent history: changes are appended, the latest row is what holds."""

from sqlalchemy.orm import Session

from crm_bridge import consents
from crm_bridge.enums import Channel, ConsentKind
from tests.utils.factories import make_contact


def test_has_consent_is_none_before_the_contact_was_asked(store_session: Session) -> None:
    contact = make_contact(store_session)
    assert (
        consents.has_consent(
            store_session, contact_id=contact.id, kind=ConsentKind.proactive_messages
        )
        is None
    )


def test_record_consent_appends_and_the_latest_change_wins(store_session: Session) -> None:
    contact = make_contact(store_session)
    kind = ConsentKind.proactive_messages
    consents.record_consent(
        store_session, contact_id=contact.id, kind=kind, granted=True, wording="yes please"
    )
    consents.record_consent(
        store_session,
        contact_id=contact.id,
        kind=kind,
        granted=False,
        wording="/stop",
        channel=Channel.telegram,
    )
    history = consents.consent_history(store_session, contact_id=contact.id, kind=kind)
    assert [(c.granted, c.wording, c.channel) for c in history] == [
        (True, "yes please", None),
        (False, "/stop", Channel.telegram),
    ]
    assert consents.has_consent(store_session, contact_id=contact.id, kind=kind) is False


def test_consent_kinds_are_kept_apart(store_session: Session) -> None:
    contact = make_contact(store_session)
    consents.record_consent(
        store_session,
        contact_id=contact.id,
        kind=ConsentKind.marketing,
        granted=True,
        wording="newsletter box ticked",
    )
    assert consents.has_consent(store_session, contact_id=contact.id, kind=ConsentKind.marketing)
    assert (
        consents.has_consent(
            store_session, contact_id=contact.id, kind=ConsentKind.proactive_messages
        )
        is None
    )
