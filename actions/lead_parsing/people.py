"""Who the lead is: team size, role (mapped to buying authority), name and company."""

from __future__ import annotations

import re
from enum import StrEnum

from actions.lead_parsing.numbers import (
    MULTIPLIER_PATTERN,
    NUMBER_PATTERN,
    apply_multiplier,
    cap,
    parse_number,
    words_to_digits,
)

MAX_NAME_CHARS = 120
MAX_COMPANY_CHARS = 200
MAX_TEAM_SIZE = 10_000_000


class Authority(StrEnum):
    """How much say a person has in a purchase, as a sales rep would note it."""

    decision_maker = "decision_maker"
    influencer = "influencer"
    user = "user"


# Checked in order: "head of purchasing" is a decision maker before it is a buyer.
_AUTHORITY_PATTERNS = (
    (Authority.decision_maker, re.compile(
        r"\b(owner|co-?owner|founder|co-?founder|ceo|cto|cfo|coo|cmo|cio|chief|president|"
        r"managing director|director|head of|head|vp|vice president|partner|proprietor|"
        r"general manager|gm|principal|board|i decide|i('m| am) the (decision|one who decides)|"
        r"decision[- ]maker|i sign|my (own )?(company|business|shop))\b")),
    (Authority.influencer, re.compile(
        r"\b(manager|lead|team lead|procurement|purchasing|purchaser|buyer|consultant|"
        r"assistant|office manager|coordinator|specialist|planner|architect|supervisor|"
        r"administrator|admin|advisor|adviser|recommend)\b")),
)  # fmt: skip
_ALONE = re.compile(r"\b(just me|only me|myself|me alone|solo|one[- ]person|freelancer?|"
                    r"self[- ]employed|sole trader|on my own)\b")  # fmt: skip
_TEAM_NUMBER = re.compile(
    rf"(?P<low>{NUMBER_PATTERN})\s*(?P<low_mult>{MULTIPLIER_PATTERN})?(?![a-z])"
    rf"(?:\s*(?:-|\u2013|to|or)\s*(?P<high>{NUMBER_PATTERN})\s*(?P<high_mult>{MULTIPLIER_PATTERN})?"
    rf"(?![a-z]))?"
)
_VAGUE_SIZES = (
    (re.compile(r"\b(thousands)\b"), 2000),
    (re.compile(r"\b(hundreds)\b"), 200),
    (re.compile(r"\b(dozens)\b"), 36),
    (re.compile(r"\b(small team|handful|few of us|small)\b"), 5),
)
_NAME_PREFIX = re.compile(
    r"^(hi|hello|hey)?[,!\s]*(my name is|my name's|name is|i am|i'm|im|it's|it is|this is|"
    r"call me|you can call me|name:)\s+",
    re.IGNORECASE,
)
_NAME_SUFFIX = re.compile(r"\s+(from|at|with|here)\b.*$", re.IGNORECASE)
_NAME_CHARACTERS = re.compile(r"^[^\W\d_]+(?:[\s'\u2019.-]+[^\W\d_]+)*\.?$")
_COMPANY_PREFIX = re.compile(
    r"^(i|we)\s*('m| am|'re| are| work)?\s*(with|at|for|from)\s+|^(it's|it is|the company is|"
    r"company is|company:|we are|we're|i'm from|i am from|from|at)\s+",
    re.IGNORECASE,
)
_NO_COMPANY = re.compile(
    r"^(none|no company|n/?a|nothing|private|private person|individual|myself|just me|"
    r"i'?m (a )?private( customer| person)?|for (myself|me|personal use)|personal)\W*$"
)


def parse_team_size(text: str) -> int | None:
    """People in the customer's team or company: "about 20" -> 20, "20-50" -> 35."""
    lowered = words_to_digits(cap(text))
    if _ALONE.search(lowered):
        return 1
    match = _TEAM_NUMBER.search(lowered)
    if match is None:
        return next((size for pattern, size in _VAGUE_SIZES if pattern.search(lowered)), None)
    low = parse_number(match["low"])
    if low is None:
        return None
    low_multiplier = match["low_mult"] or None
    high = parse_number(match["high"]) if match["high"] else None
    high_multiplier = match["high_mult"] or None
    if high is not None and low_multiplier is None and high_multiplier and low < high:
        low_multiplier = high_multiplier
    size = apply_multiplier(low, low_multiplier)
    if high is not None:
        size = (size + apply_multiplier(high, high_multiplier)) / 2
    size = round(size)
    return size if 1 <= size <= MAX_TEAM_SIZE else None


def parse_authority(text: str) -> Authority:
    """Buying authority of a role: decision maker, influencer, else user."""
    lowered = cap(text)
    for authority, pattern in _AUTHORITY_PATTERNS:
        if pattern.search(lowered):
            return authority
    return Authority.user


def parse_name(text: str) -> str | None:
    """The person's name from "I'm Ann Lee from Acme" -> "Ann Lee"; None if it isn't one."""
    name = _NAME_PREFIX.sub("", " ".join(text[:MAX_NAME_CHARS].split()))
    name = _NAME_SUFFIX.sub("", name).strip(" .,!")
    if not name or len(name.split()) > 4 or not _NAME_CHARACTERS.match(name):
        return None
    return name.title() if name.islower() or name.isupper() else name


def parse_company(text: str) -> str | None:
    """The company from "I work at Acme Ltd" -> "Acme Ltd"; None for "just me", "private"."""
    answer = " ".join(text[:MAX_COMPANY_CHARS].split()).strip(" .!")
    if _NO_COMPANY.match(answer.lower()):
        return None
    company = _COMPANY_PREFIX.sub("", answer).strip(" .!")
    return company or None


def is_private_customer(text: str) -> bool:
    """True for answers like "just me" or "private" to "which company are you with?"."""
    return bool(_NO_COMPANY.match(" ".join(text[:MAX_COMPANY_CHARS].lower().split()).strip(" .!")))
