"""Staff passwords: argon2id hashes (argon2-cffi defaults) and the length rule."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1024
_hasher = PasswordHasher()
# Verified against when the email is unknown, so a wrong email costs as long as a wrong
# password and the timing does not tell which accounts exist.
_DUMMY_HASH = _hasher.hash("not a real password, only for equal timing")


class WeakPassword(ValueError):
    """The password breaks the length rule; the message says how."""


def check_strength(password: str) -> None:
    """Raise `WeakPassword` unless 12-1024 characters, not only spaces."""
    if len(password.strip()) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"a password is at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    """An argon2id PHC string for the password (checked for strength first)."""
    check_strength(password)
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; a missing or broken hash never matches."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)
