"""Read what a customer wants from a recommendation request: price range, recipient, occasion.

Pure functions over plain strings (no tracker, no database), tested with hypothesis.
Prices count only with a price cue ("under 30", "between 20 and 40", "€25", "30 euros"),
so "a toy for my 3 year old" is not read as a budget of 3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER_WORDS = {
    "five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "twenty five": 25, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "one hundred": 100,
}  # fmt: skip
_WORD_NUMBER = "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
_CURRENCY = r"(?:€|eur(?:o|os)?\b|bucks\b|quid\b|£|\$|dollars?\b|pounds?\b)"
_NUMBER = r"\d+(?:[.,]\d{1,2})?"
_DASH = "(?:-|\u2013)"  # hyphen or en dash


def _amount(name: str) -> str:
    """An amount as group `name`, with an optional currency sign before or word after it."""
    return rf"(?:{_CURRENCY}\s*)?(?P<{name}>{_NUMBER}|{_WORD_NUMBER})(?:\s*{_CURRENCY})?"


_BETWEEN = re.compile(
    rf"\b(?:between|from)\s+{_amount('low')}\s*(?:and|to|{_DASH})\s*{_amount('high')}", re.I
)
_DASH_RANGE = re.compile(
    rf"{_amount('low')}\s*(?:{_DASH}|to)\s*{_amount('high')}\s*{_CURRENCY}", re.I
)
_AT_MOST = re.compile(
    r"\b(?:under|below|less than|lower than|cheaper than|up to|at most|max(?:imum)?|no more than"
    r"|not more than|within|budget(?: of| is)?|spend(?:ing)?|for|around|about)\s+"
    + _amount("amount"),
    re.I,
)
_AT_LEAST = re.compile(
    # "no more than 20" is a cap, not a floor.
    r"\b(?:over|above|(?<!no )(?<!not )more than|at least|min(?:imum)?|upwards of|from)\s+"
    + _amount("amount"),
    re.I,
)
_BARE_PRICE = re.compile(
    rf"(?:{_CURRENCY}\s*(?P<a>{_NUMBER})|(?P<b>{_NUMBER})\s*{_CURRENCY})",
    re.I,
)
_CUE_NEEDS_CURRENCY = ("for", "around", "about", "from", "spend", "spending")

RECIPIENTS: dict[str, str] = {
    "dad": "dad", "father": "dad", "daddy": "dad", "papa": "dad",
    "mum": "mum", "mom": "mum", "mother": "mum", "mummy": "mum", "mommy": "mum",
    "wife": "wife", "husband": "husband", "girlfriend": "girlfriend", "boyfriend": "boyfriend",
    "partner": "partner", "sister": "sister", "brother": "brother", "son": "son",
    "daughter": "daughter", "grandma": "grandma", "granny": "grandma", "grandmother": "grandma",
    "grandpa": "grandpa", "grandad": "grandpa", "granddad": "grandpa", "grandfather": "grandpa",
    "friend": "friend", "colleague": "colleague", "boss": "boss", "teacher": "teacher",
    "niece": "niece", "nephew": "nephew", "kid": "child", "kids": "child", "child": "child",
    "children": "child", "baby": "baby", "toddler": "child", "uncle": "uncle", "aunt": "aunt",
    "auntie": "aunt", "neighbour": "neighbour", "neighbor": "neighbour", "host": "host",
    "dog": "dog", "cat": "cat", "gardener": "gardener", "cook": "cook", "camper": "camper",
}  # fmt: skip
_RECIPIENT = re.compile(
    r"\bfor\s+(?:my|a|an|our|the|his|her|their)\s+(?:\w+\s+){0,2}?(?P<who>"
    + "|".join(sorted(RECIPIENTS, key=len, reverse=True))
    + r")\b",
    re.I,
)
OCCASIONS: dict[str, str] = {
    "birthday": "birthday", "bday": "birthday", "christmas": "christmas", "xmas": "christmas",
    "anniversary": "anniversary", "wedding": "wedding", "housewarming": "housewarming",
    "house warming": "housewarming", "mother's day": "mother's day",
    "mothers day": "mother's day", "father's day": "father's day",
    "fathers day": "father's day", "valentine": "valentine's day",
    "valentines": "valentine's day", "valentine's": "valentine's day",
    "retirement": "retirement", "graduation": "graduation", "baby shower": "baby shower",
    "thank you": "thank-you", "new job": "new job", "easter": "easter",
}  # fmt: skip
_OCCASION = re.compile(
    r"\b(?P<what>" + "|".join(sorted(map(re.escape, OCCASIONS), key=len, reverse=True)) + r")\b",
    re.I,
)
_GIFT = re.compile(r"\b(?:gift|gifts|present|presents)\b", re.I)


@dataclass(frozen=True)
class PriceRange:
    """Inclusive bounds in the shop's currency; None means open on that side."""

    low: float | None = None
    high: float | None = None

    @property
    def is_empty(self) -> bool:
        return self.low is None and self.high is None


@dataclass(frozen=True)
class Wish:
    """Everything a request says besides the product words."""

    price: PriceRange
    recipient: str | None
    occasion: str | None
    is_gift: bool


def parse_wish(text: str) -> Wish:
    """Price range, recipient, occasion and whether it is a gift, from one message."""
    occasion = parse_occasion(text)
    recipient = parse_recipient(text)
    return Wish(
        price=parse_price_range(text),
        recipient=recipient,
        occasion=occasion,
        is_gift=bool(_GIFT.search(text)) or occasion is not None,
    )


def parse_amount(raw: str) -> float:
    """`"30"`, `"29,90"`, `"thirty"` as a number."""
    word = raw.lower().strip()
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    return float(word.replace(",", "."))


def parse_price_range(text: str) -> PriceRange:
    """The price range a message asks for, or an empty range when it names none."""
    for pattern in (_BETWEEN, _DASH_RANGE):
        match = pattern.search(text)
        if match:
            low, high = sorted((parse_amount(match["low"]), parse_amount(match["high"])))
            return PriceRange(low, high)
    high = _cued_amount(_AT_MOST, text)
    low = _cued_amount(_AT_LEAST, text)
    if high is not None and low is not None and low > high:
        low = None
    if high is None and low is None:
        bare = _BARE_PRICE.search(text)
        if bare:
            high = parse_amount(bare["a"] or bare["b"])
    return PriceRange(low, high)


def _cued_amount(pattern: re.Pattern[str], text: str) -> float | None:
    """The first amount after a cue word; weak cues ("for 20") need a currency to count."""
    for match in pattern.finditer(text):
        cue = match.group(0).split()[0].lower()
        if cue in _CUE_NEEDS_CURRENCY and not _BARE_PRICE.search(match.group(0)):
            continue
        return parse_amount(match["amount"])
    return None


def parse_recipient(text: str) -> str | None:
    """Who the present is for ("for my dad" -> "dad"), in one canonical word."""
    match = _RECIPIENT.search(text)
    return RECIPIENTS[match["who"].lower()] if match else None


def parse_occasion(text: str) -> str | None:
    """The occasion named ("his birthday" -> "birthday"), in one canonical form."""
    match = _OCCASION.search(text)
    return OCCASIONS[match["what"].lower()] if match else None


def without_gift_words(text: str) -> str:
    """The text without "gift"/"present", so a gift request is not read as the gifts category."""
    return _GIFT.sub(" ", text)
