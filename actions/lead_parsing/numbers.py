"""Numbers as customers type them: "5k", "5,000", "1.5 million", "twenty five", "a dozen".

`words_to_digits` rewrites spelled-out numbers as digits so the other parsers need only
one pattern; `parse_amount` reads one number with its separators and multiplier.
"""

from __future__ import annotations

import re

MAX_ANSWER_CHARS = 500

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a couple": 2, "a couple of": 2, "a few": 3, "a dozen": 12, "dozen": 12,
    "half a": 0.5, "a half": 0.5,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100}

_UNIT_PATTERN = "|".join(sorted((re.escape(w) for w in _UNITS), key=len, reverse=True))
_TENS_PATTERN = "|".join(_TENS)
# "twenty five", "twenty-five", "five", "a dozen", optionally followed by "hundred".
_NUMBER_WORDS = re.compile(
    rf"\b(?:(?P<tens>{_TENS_PATTERN})(?:[\s-]+(?P<tens_unit>{_UNIT_PATTERN}))?"
    rf"|(?P<unit>{_UNIT_PATTERN}))(?:\s+(?P<hundred>hundred))?\b"
)
# "a hundred", "a thousand" on their own.
_LONE_SCALE = re.compile(r"\ban?\s+(hundred|thousand|million)\b")

MULTIPLIERS = {
    "k": 1_000, "thousand": 1_000, "grand": 1_000, "m": 1_000_000, "mn": 1_000_000,
    "mio": 1_000_000, "million": 1_000_000, "millions": 1_000_000, "bn": 1_000_000_000,
    "billion": 1_000_000_000, "hundred": 100,
}  # fmt: skip
MULTIPLIER_PATTERN = r"k|thousand|grand|mn|mio|million|millions|bn|billion|hundred|m"
# A number with optional thousands separators or decimals: 5, 5,000, 5.000, 40 000, 1.5.
NUMBER_PATTERN = r"\d+(?:[.,]\d+)*(?: \d{3}(?![\d.,]))*"


def cap(text: str) -> str:
    """The first `MAX_ANSWER_CHARS` characters, lower-cased, with whitespace squeezed."""
    return " ".join(text[:MAX_ANSWER_CHARS].lower().split())


def words_to_digits(text: str) -> str:
    """Rewrite spelled-out numbers as digits: "two and three thousand" -> "2 and 3 thousand"."""

    def replace(match: re.Match[str]) -> str:
        if match.group("tens"):
            value = _TENS[match.group("tens")] + _UNITS.get(match.group("tens_unit") or "", 0)
        else:
            value = _UNITS[match.group("unit")]
        if match.group("hundred"):
            value *= 100
        return _format(value)

    text = _NUMBER_WORDS.sub(replace, text)
    return _LONE_SCALE.sub(lambda match: f"1 {match.group(1)}", text)


def parse_number(raw: str) -> float | None:
    """Read "5,000", "5.000", "1.5" or "1,5" as a float (a 3-digit group is thousands)."""
    raw = raw.replace(" ", "")
    groups = re.split(r"[.,]", raw)
    if len(groups) == 1:
        return float(raw)
    if all(len(group) == 3 for group in groups[1:]):
        return float("".join(groups))
    if len(groups) == 2:
        return float(f"{groups[0]}.{groups[1]}")
    return None


def apply_multiplier(value: float, multiplier: str | None) -> float:
    """Scale a number by "k", "thousand", "million", ... (no multiplier: unchanged)."""
    return value * MULTIPLIERS[multiplier] if multiplier else value


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
