"""Signed unsubscribe tokens and the consent history they write."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from crm_bridge import consents, contacts
from crm_bridge.enums import ConsentKind
from mailer.unsubscribe import (
    InvalidToken,
    UnsubscribeOutcome,
    UnsubscribeRequest,
    make_token,
    read_token,
    unsubscribe,
    unsubscribe_url,
)
from tests.mailer.conftest import SIGNING_SECRET
from tests.utils.factories import make_contact

SessionFactory = Callable[[], Session]


def test_a_token_reads_back_as_its_contact_and_address() -> None:
    token = make_token(SIGNING_SECRET, contact_id=7, address="ann@example.test")
    assert read_token(SIGNING_SECRET, token) == UnsubscribeRequest(7, "ann@example.test")
    assert unsubscribe_url("https://shop.test/", token) == f"https://shop.test/unsubscribe/{token}"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: "eyJjIjo4LCJlIjoiYW5uQGV4YW1wbGUudGVzdCJ9" + token[token.index(".") :],
        lambda token: token[: len(token) // 2],
        lambda token: "",
    ],
)
def test_a_tampered_token_is_refused(tamper: Callable[[str], str]) -> None:
    token = make_token(SIGNING_SECRET, contact_id=7, address="ann@example.test")
    with pytest.raises(InvalidToken):
        read_token(SIGNING_SECRET, tamper(token))


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = make_token("another-secret-0123456789abcdef", contact_id=7, address="a@example.test")
    with pytest.raises(InvalidToken):
        read_token(SIGNING_SECRET, token)


def test_unsubscribe_appends_a_withdrawal_once(session_factory: SessionFactory) -> None:
    with session_factory() as session:
        contact = make_contact(session, email="ann@example.test")
        consents.record_consent(
            session,
            contact_id=contact.id,
            kind=ConsentKind.marketing,
            granted=True,
            wording="Yes, send me offers.",
        )
        request = UnsubscribeRequest(contact.id, "ann@example.test")

        assert unsubscribe(session, request) is UnsubscribeOutcome.unsubscribed
        assert unsubscribe(session, request) is UnsubscribeOutcome.already_unsubscribed

        history = consents.consent_history(
            session, contact_id=contact.id, kind=ConsentKind.marketing
        )
        assert [row.granted for row in history] == [True, False]
        assert "one-click link in an email sent to ann@example.test" in history[-1].wording


def test_unsubscribe_finds_a_merged_contact_by_address(session_factory: SessionFactory) -> None:
    with session_factory() as session:
        survivor = make_contact(session, email="ann@example.test")
        gone_id = survivor.id + 1000
        assert contacts.get_contact(session, gone_id) is None

        outcome = unsubscribe(session, UnsubscribeRequest(gone_id, "ANN@example.test"))

        assert outcome is UnsubscribeOutcome.unsubscribed
        assert (
            consents.has_consent(session, contact_id=survivor.id, kind=ConsentKind.marketing)
            is False
        )


def test_unsubscribe_of_nobody_we_know_changes_nothing(session_factory: SessionFactory) -> None:
    with session_factory() as session:
        outcome = unsubscribe(session, UnsubscribeRequest(424242, "stranger@example.test"))
        assert outcome is UnsubscribeOutcome.already_unsubscribed
