"""Business emails: the address in an answer, checked for syntax, and its kind.

Free-mail (gmail.com, ...) and disposable (mailinator.com, ...) addresses are flagged,
not refused: a small business may well use Gmail, and staff decide what a flag is worth.
The disposable list is the `disposable-email-domains` package (about 10,000 domains,
updated with each release); the free-mail list below covers the big providers.
No DNS look-up is made: the action server must answer without the internet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from disposable_email_domains import blocklist as _DISPOSABLE
from email_validator import EmailNotValidError, validate_email

from actions.lead_parsing.numbers import MAX_ANSWER_CHARS

FREE_MAIL_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.de",
        "yahoo.fr",
        "ymail.com",
        "rocketmail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.de",
        "hotmail.fr",
        "outlook.com",
        "outlook.de",
        "live.com",
        "live.de",
        "live.co.uk",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "gmx.com",
        "gmx.at",
        "gmx.ch",
        "web.de",
        "t-online.de",
        "freenet.de",
        "posteo.de",
        "mailbox.org",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "tutanota.com",
        "tuta.io",
        "zoho.com",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "mail.com",
        "email.com",
        "inbox.com",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "libero.it",
        "virgilio.it",
        "wp.pl",
        "o2.pl",
        "seznam.cz",
        "btinternet.com",
    ]
)
# Finds the address inside "sure, it's ann@acme.com thanks"; validation then checks it.
_CANDIDATE = re.compile(r"[^\s<>(),;:\"']*@[^\s<>(),;:\"']+")


class EmailKind(StrEnum):
    """What an address says about the lead."""

    business = "business"
    free_mail = "free_mail"
    disposable = "disposable"


@dataclass(frozen=True)
class EmailCheck:
    """The outcome: `address` (normalised) when valid, else `problem` in words."""

    address: str | None = None
    kind: EmailKind | None = None
    problem: str | None = None

    @property
    def is_valid(self) -> bool:
        return self.address is not None


def check_email(text: str) -> EmailCheck:
    """Find and check the email address in a customer's answer."""
    candidate = _CANDIDATE.search(text[:MAX_ANSWER_CHARS])
    if candidate is None:
        return EmailCheck(problem="I couldn't find an email address in that.")
    raw = candidate.group(0).rstrip(".!?")
    try:
        valid = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as error:
        return EmailCheck(problem=f"That address doesn't look right: {error}")
    domain = valid.domain.lower()
    return EmailCheck(address=valid.normalized, kind=_kind(domain))


def _kind(domain: str) -> EmailKind:
    if domain in _DISPOSABLE or _parent_domain(domain) in _DISPOSABLE:
        return EmailKind.disposable
    if domain in FREE_MAIL_DOMAINS:
        return EmailKind.free_mail
    return EmailKind.business


def _parent_domain(domain: str) -> str:
    return domain.split(".", 1)[-1] if domain.count(".") > 1 else domain
