"""Find the products and categories a customer names in free text.

Pure functions over plain strings: no tracker, no database, so they are easy to test.
Product names are not NLU entities; customers write "how much is the blue glas lantern",
so we compare the words of the message with the words of every catalogue name.

A product *matches* when (almost) every word of its name appears in the message, with
rapidfuzz absorbing typos and a naive singular form absorbing plurals. Near misses are
ranked by the share of name words found, for "did you mean" suggestions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

# A name word counts as present when some message word is this similar (0-100): high
# enough that "brass" does not pass for "glass" (80), low enough for one typo in a long word.
WORD_SIMILARITY = 85
# A product is named outright when its name words score this much on average.
MATCH_COVERAGE = 85.0
# Below this average a product is not even worth suggesting.
SUGGEST_COVERAGE = 30.0


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that carry no product meaning in a shopping question.
STOPWORDS = _word_set(
    """
    a an the and or of for to in on at by with from is are was be it this that these those
    i me my we you your u r do does did can could would will have has got any some all
    how much many what whats which who when where why is there please pls thanks thank
    price prices cost costs costing charge expensive cheap pay buy order ordering sell
    sold stock available availability left still back again out get show tell list see
    looking look find need want like about kind kinds type types range item items product
    products thing things something anything stuff set pack one ones today now moment
    right just also more other else hi hello hey ok okay yes no not
    """
)

# Words customers use for a category, keyed by the demo shop's category names; entries
# for categories missing from the live catalogue are ignored.
CATEGORY_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "lighting": ("light", "lights", "lamp", "lamps", "lighting"),
    "kitchen": ("kitchenware", "cookware", "cooking", "cook", "baking", "kitchenwares"),
    "garden": ("gardening", "gardener", "plants"),
    "toys": ("toy", "kids", "children", "child", "baby", "games"),
    "stationery": ("stationary", "office", "writing", "pens", "paper"),
    "home textiles": ("textiles", "textile", "bedding", "linens", "soft furnishings"),
    "gifts": ("gift", "present", "presents"),
    "camping": ("camp", "outdoor", "outdoors", "hiking", "trekking", "festival"),
    "pet supplies": ("pet", "pets", "dog", "dogs", "cat", "cats", "puppy", "kitten"),
}

# Words of a catalogue name that do not identify it: "(set of 3)", "500 g", "1 kg".
NAME_FILLER = _word_set("a the and of with set pack g kg l ml cm mm pieces piece pcs")

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class ProductMatch:
    """A catalogue name and how well the message covers it (0-100)."""

    name: str
    coverage: float


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words of `text`, apostrophes dropped ("chef's" -> "chefs")."""
    return _WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))


def singular(word: str) -> str:
    """Naive English singular, enough for catalogue nouns ("lamps", "boxes", "berries")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def content_words(text: str) -> list[str]:
    """The words of a message that may name a product: stop words and numbers removed."""
    return [w for w in words(text) if w not in STOPWORDS and not w.isdigit() and len(w) > 1]


def name_words(name: str) -> list[str]:
    """The words that identify a catalogue name: counts, units and "set of" removed."""
    kept = [w for w in words(name) if w not in NAME_FILLER and not w.isdigit() and len(w) > 1]
    return kept or words(name)


def _word_score(name_word: str, message_words: Sequence[str]) -> float:
    """Best similarity of one name word to any message word, 0 below WORD_SIMILARITY.

    Fuzzy matches need five letters and the same first letter: typos rarely hit the
    first letter, and short words are too alike ("love" / "glove", "tank" / "thank").
    """
    target = singular(name_word)
    best = 0.0
    for word in message_words:
        candidate = singular(word)
        if candidate == target:
            return 100.0
        if len(candidate) >= 5 and len(target) >= 5 and candidate[0] == target[0]:
            # Compare the words as written too: cutting "-es" shortens them, so one typo
            # weighs more in "bxush" / "brush" than in "bxushes" / "brushes".
            best = max(best, fuzz.ratio(candidate, target), fuzz.ratio(word, name_word))
    return best if best >= WORD_SIMILARITY else 0.0


def coverage(name: str, message_words: Sequence[str]) -> float:
    """Average over the name's words of how well the message contains each (0-100)."""
    wanted = name_words(name)
    if not wanted or not message_words:
        return 0.0
    return sum(_word_score(w, message_words) for w in wanted) / len(wanted)


def rank_products(text: str, names: Iterable[str], *, all_words: bool = True) -> list[ProductMatch]:
    """Score every name against `text`, best first; names scoring 0 are left out.

    With `all_words` every word of the message counts, so a name made of common words
    ("Thank You Gift Box") can be named; otherwise only its content words do, so such
    words do not make a name look similar. Ties go to the longer name, so "Blue Glass
    Lantern" beats a plain "Lantern" when the customer wrote all three words.
    """
    message_words = words(text) if all_words else content_words(text)
    scored = [ProductMatch(name, coverage(name, message_words)) for name in names]
    scored = [m for m in scored if m.coverage > 0]
    scored.sort(key=lambda m: (-m.coverage, -len(name_words(m.name)), m.name))
    return scored


def find_product(text: str, names: Iterable[str]) -> str | None:
    """The one catalogue name the customer named, or None when it is not clear which.

    Either every word of a name is in the message ("blue glass lantern"), or the
    message's product words fit exactly one name ("the lantern" when only one exists).
    """
    names = list(names)
    ranked = rank_products(text, names)
    if ranked and ranked[0].coverage >= MATCH_COVERAGE:
        return ranked[0].name
    asked = content_words(text)
    if not asked:
        return None
    explained = [name for name in names if _explains(name, asked)]
    return explained[0] if len(explained) == 1 else None


def _explains(name: str, asked: Sequence[str]) -> bool:
    """Whether every product word of the message is a word of this name."""
    wanted = name_words(name)
    return all(_word_score(word, wanted) > 0 for word in asked)


def suggest_products(text: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """Up to `limit` names that share enough words with `text` to be worth offering."""
    ranked = rank_products(text, names, all_words=False)
    return [m.name for m in ranked if m.coverage >= SUGGEST_COVERAGE][:limit]


def find_products_by_word(text: str, names: Iterable[str], limit: int = 5) -> list[str]:
    """Names containing any content word of `text` ("candles" -> every candle), best first."""
    message_words = content_words(text)
    if not message_words:
        return []
    hits: list[tuple[int, str]] = []
    for name in names:
        found = sum(1 for w in name_words(name) if _word_score(w, message_words) > 0)
        if found:
            hits.append((found, name))
    hits.sort(key=lambda hit: (-hit[0], hit[1]))
    return [name for _, name in hits[:limit]]


def without_words(text: str, phrase: str) -> str:
    """`text` without the words of `phrase` (singular or plural), e.g. a category name."""
    dropped = {singular(w) for w in words(phrase)}
    return " ".join(w for w in words(text) if singular(w) not in dropped)


def has_product_words(text: str) -> bool:
    """Whether the message names anything at all ("how much is it" does not)."""
    return bool(content_words(text))


def match_category(text: str, categories: Iterable[str]) -> str | None:
    """The catalogue category the customer asks about, by name, plural, synonym or typo."""
    message = words(text)
    if not message:
        return None
    singular_message = [singular(w) for w in message]
    padded = f" {' '.join(singular_message)} "
    best: tuple[int, str] | None = None
    for category in categories:
        for phrase in (category, *CATEGORY_SYNONYMS.get(category.lower(), ())):
            phrase_words = [singular(w) for w in words(phrase)]
            if not phrase_words:
                continue
            position = _phrase_position(phrase_words, singular_message, padded)
            if position is not None and (best is None or position < best[0]):
                best = (position, category)
    return best[1] if best else None


def _phrase_position(
    phrase_words: Sequence[str], message_words: Sequence[str], padded_message: str
) -> int | None:
    """Where a phrase first occurs in the message: exactly, or one word with a typo."""
    exact = padded_message.find(f" {' '.join(phrase_words)} ")
    if exact >= 0:
        return exact
    if len(phrase_words) == 1 and len(phrase_words[0]) >= 5:
        for index, word in enumerate(message_words):
            if fuzz.ratio(word, phrase_words[0]) >= WORD_SIMILARITY:
                return len(" ".join(message_words[:index]))
    return None
