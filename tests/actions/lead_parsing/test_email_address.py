"""Email addresses: found in the answer, checked, and flagged by kind."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.lead_parsing import EmailKind, check_email


@pytest.mark.parametrize(
    ("text", "address", "kind"),
    [
        ("ann@acme-design.com", "ann@acme-design.com", EmailKind.business),
        ("sure, it's Ann.Lee@Acme.COM thanks", "Ann.Lee@acme.com", EmailKind.business),
        ("bob@gmail.com", "bob@gmail.com", EmailKind.free_mail),
        ("x@web.de.", "x@web.de", EmailKind.free_mail),
        ("temp@mailinator.com", "temp@mailinator.com", EmailKind.disposable),
    ],
)
def test_check_email_normalises_and_flags(text: str, address: str, kind: EmailKind) -> None:
    checked = check_email(text)
    assert (checked.address, checked.kind) == (address, kind)
    assert checked.problem is None


@pytest.mark.parametrize("text", ["ann@acme", "ann@@acme.com", "@acme.com", "ann@.com"])
def test_check_email_explains_an_invalid_address(text: str) -> None:
    checked = check_email(text)
    assert not checked.is_valid
    assert checked.problem and "doesn't look right" in checked.problem


def test_check_email_says_when_there_is_no_address() -> None:
    assert check_email("I'd rather call").problem == "I couldn't find an email address in that."


def test_check_email_ignores_an_address_after_the_length_cap() -> None:
    assert not check_email("x" * 10_000 + " ann@acme.com").is_valid


@given(st.text(max_size=300))
def test_check_email_never_fails_and_valid_means_an_address(text: str) -> None:
    checked = check_email(text)
    assert checked.is_valid != (checked.problem is not None)
    if checked.is_valid:
        assert "@" in (checked.address or "") and checked.kind is not None
