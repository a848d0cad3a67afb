"""Text normalisation and catalogue-phrase matching with a blank spaCy pipeline.

Only ``spacy.blank("en")`` is used: its tokenizer and stop-word list ship with spaCy, so
nothing is downloaded. Instead of a lemmatiser, a light plural rule folds "lanterns"
onto "lantern", which is what matching customer words to product names needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher


class TextNormalizer:
    """Turn free text into lower-case, de-pluralised content words joined by spaces."""

    def __init__(self) -> None:
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = spacy.blank("en")
        return self._nlp

    def tokens(self, text: str) -> list[str]:
        """Return the normalised content tokens of one text."""
        return _content_tokens(self.nlp.make_doc(text))

    def normalize(self, text: str) -> str:
        """Return the normalised tokens of one text as a string."""
        return " ".join(self.tokens(text))

    def normalize_many(self, texts: Iterable[str]) -> list[str]:
        """Normalise many texts in a batch (the catalogue at fit time)."""
        docs = self.nlp.tokenizer.pipe(texts, batch_size=2_000)
        return [" ".join(_content_tokens(doc)) for doc in docs]

    def __getstate__(self) -> dict[str, object]:
        return {}  # the pipeline is rebuilt on first use instead of pickled

    def __setstate__(self, state: dict[str, object]) -> None:
        self._nlp = None


@dataclass(frozen=True)
class PhraseMatch:
    """Catalogue phrases found in a text: the phrases, and the item indices they name."""

    phrases: tuple[str, ...]
    item_indices: tuple[int, ...]


class CataloguePhrases:
    """Find product names and category names inside what the customer typed."""

    def __init__(self, normalizer: TextNormalizer, phrases: dict[str, Sequence[int]]) -> None:
        self._normalizer = normalizer
        self._phrases = {p: tuple(ix) for p, ix in phrases.items() if p}
        self._matcher: PhraseMatcher | None = None

    def find(self, text: str) -> PhraseMatch:
        """Return the catalogue phrases in ``text`` and the items they point at."""
        if not text.strip() or not self._phrases:
            return PhraseMatch((), ())
        matcher = self._get_matcher()
        doc = self._normalizer.nlp.make_doc(self._normalizer.normalize(text))
        found: list[str] = []
        for _, start, end in matcher(doc):
            phrase = doc[start:end].text
            if phrase not in found:
                found.append(phrase)
        # Longer phrases are more specific: "glass lantern" beats "lantern".
        found.sort(key=len, reverse=True)
        items = tuple(dict.fromkeys(ix for p in found for ix in self._phrases[p]))
        return PhraseMatch(tuple(found), items)

    def items_for(self, phrase: str) -> tuple[int, ...]:
        """Return the item indices a matched phrase names."""
        return self._phrases.get(phrase, ())

    def _get_matcher(self) -> PhraseMatcher:
        if self._matcher is None:
            nlp = self._normalizer.nlp
            self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            patterns = [nlp.make_doc(p) for p in self._phrases]
            self._matcher.add("CATALOGUE", patterns)
        return self._matcher

    def __getstate__(self) -> dict[str, object]:
        return {"_normalizer": self._normalizer, "_phrases": self._phrases, "_matcher": None}


def _content_tokens(doc: Iterable[spacy.tokens.Token]) -> list[str]:
    return [
        _singular(token.lower_)
        for token in doc
        if not (token.is_punct or token.is_space or token.is_stop)
    ]


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes")):
        return word[:-2]
    return word[:-1]
