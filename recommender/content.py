"""Content similarity over product name, category and description (TF-IDF).

This is what serves the cold starts: an anonymous visitor is scored from what they
typed, and a product nobody has bought yet is still similar to the ones people did.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from recommender.base import Recommender
from recommender.catalogue import Catalogue
from recommender.data import Context
from recommender.matrix import TrainingMatrix, log_scaled
from recommender.text import CataloguePhrases, PhraseMatch, TextNormalizer


class ContentRecommender(Recommender):
    """Cosine similarity between TF-IDF item vectors and a profile of the user or chat.

    Parameters
    ----------
    ngram_range, min_df, sublinear_tf
        Passed to scikit-learn's ``TfidfVectorizer`` over normalised tokens.
    name_repeats
        How many times the name is repeated in the item text: names say more than blurbs.
    text_weight
        Weight of what the customer typed relative to their history in the profile.
    phrase_boost
        Added to items whose name or category the customer mentioned literally.
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int = 1,
        sublinear_tf: bool = True,
        name_repeats: int = 2,
        text_weight: float = 1.0,
        phrase_boost: float = 0.5,
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.name_repeats = name_repeats
        self.text_weight = text_weight
        self.phrase_boost = phrase_boost

    def _fit(self, matrix: TrainingMatrix, catalogue: Catalogue) -> None:
        self.normalizer_ = TextNormalizer()
        texts = [
            " ".join([item.name] * self.name_repeats + [item.category, item.description])
            for item in catalogue.items
        ]
        self.vectorizer_ = TfidfVectorizer(
            tokenizer=str.split,
            token_pattern=None,
            lowercase=False,
            ngram_range=self.ngram_range,
            min_df=self.min_df,
            sublinear_tf=self.sublinear_tf,
            dtype=np.float32,
        )
        docs = self.normalizer_.normalize_many(texts)
        self.item_vectors_ = sp.csr_matrix(self.vectorizer_.fit_transform(docs), dtype=np.float32)
        self.terms_by_item_ = self.item_vectors_.T.tocsr()
        self.phrases_ = CataloguePhrases(
            self.normalizer_, _catalogue_phrases(catalogue, self.normalizer_)
        )

    def item_similarity(self, indices: np.ndarray) -> np.ndarray:
        """Return the dense cosine similarity between the given items (for diversity)."""
        vectors = self.item_vectors_[indices]
        return (vectors @ vectors.T).toarray()

    def score_rows(self, rows: sp.csr_matrix, context: Context | None = None) -> np.ndarray:
        profile = _l2_rows(log_scaled(rows) @ self.item_vectors_)
        match = PhraseMatch((), ())
        if context is not None and context.text.strip():
            text = self.vectorizer_.transform([self.normalizer_.normalize(context.text)])
            text_rows = sp.vstack([_l2_rows(text)] * rows.shape[0])
            profile = profile + self.text_weight * text_rows
            match = self.phrases_.find(context.text)
        scores = (sp.csr_matrix(profile) @ self.terms_by_item_).toarray()
        if match.phrases:
            scores += self.phrase_boost * self.mention_scores(match)
        return scores

    def mention_scores(self, match: PhraseMatch) -> np.ndarray:
        """Return, per item, the share of the phrases found in the text that name it."""
        counts = np.zeros(len(self.catalogue_))
        for phrase in match.phrases:
            counts[list(self.phrases_.items_for(phrase))] += 1.0
        return counts / max(len(match.phrases), 1)

    def similar_scores(self, item_index: int) -> np.ndarray:
        return (self.item_vectors_[item_index] @ self.terms_by_item_).toarray().ravel()

    def explain(self, row: sp.csr_matrix, item_index: int, context: Context | None) -> str:
        if context is not None and context.text.strip():
            match = self.phrases_.find(context.text)
            if item_index in match.item_indices:
                phrase = next(p for p in match.phrases if item_index in self.phrases_.items_for(p))
                return f'matches "{phrase}" you asked about'
        if len(row.indices):
            similarity = (
                self.item_vectors_[row.indices] @ self.item_vectors_[item_index].T
            ).toarray()
            source = int(row.indices[int(np.argmax(similarity))])
            return f"similar to {self.catalogue_.name(source)}"
        return "matches what you described"


def _l2_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Scale each row to unit length (sklearn's normalize validates too much per call)."""
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def _catalogue_phrases(catalogue: Catalogue, normalizer: TextNormalizer) -> dict[str, list[int]]:
    """Map each normalised product name and category name to the items it names."""
    phrases: dict[str, list[int]] = {}
    names = normalizer.normalize_many(item.name for item in catalogue.items)
    for index, phrase in enumerate(names):
        phrases.setdefault(phrase, []).append(index)
        # Single words of a name ("scarf", "grey") are what customers type far more
        # often than a full product name; mention_scores weighs how many of them match.
        for word in set(phrase.split()) - {phrase}:
            if word.isalpha() and len(word) >= 3:
                phrases.setdefault(word, []).append(index)
    for code, category in enumerate(catalogue.categories):
        phrase = normalizer.normalize(category)
        if phrase:
            members = np.flatnonzero(catalogue.category_codes == code).tolist()
            phrases.setdefault(phrase, []).extend(members)
    return phrases
