"""Signed web session tokens."""

from __future__ import annotations

import pytest

from bot.sessions import InvalidSession, SessionSigner, new_web_session_key


def test_sessions_round_trip_a_web_key() -> None:
    signer = SessionSigner("one-secret-long-enough-123")
    key = new_web_session_key()
    assert key.startswith("web-") and len(key) == 36
    assert signer.unsign(signer.sign(key)) == key


def test_sessions_refuse_tampered_tokens() -> None:
    signer = SessionSigner("one-secret-long-enough-123")
    token = signer.sign(new_web_session_key())
    head, _, signature = token.rpartition(".")
    forged = SessionSigner("one-secret-long-enough-123").sign(new_web_session_key())
    with pytest.raises(InvalidSession):
        signer.unsign(forged.rpartition(".")[0] + "." + signature)
    with pytest.raises(InvalidSession):
        signer.unsign(head + ".x" + signature[1:])
    with pytest.raises(InvalidSession):
        signer.unsign("garbage")


def test_sessions_refuse_tokens_of_another_secret() -> None:
    token = SessionSigner("another-secret-long-enough").sign(new_web_session_key())
    with pytest.raises(InvalidSession):
        SessionSigner("one-secret-long-enough-123").unsign(token)


def test_sessions_refuse_signed_values_that_are_not_web_keys() -> None:
    signer = SessionSigner("one-secret-long-enough-123")
    with pytest.raises(InvalidSession):
        signer.unsign(signer.sign("telegram-42"))
