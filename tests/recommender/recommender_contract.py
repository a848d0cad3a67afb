"""The contract every recommender honours, as a mixin run against each model.

Like implicit's ``RecommenderBaseTestMixin``: a subclass provides ``make_model`` and
runs every test here on the tiny shop of ``catalogue_data.py``, whose answer is known.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender import Constraints, Context, Interactions, Recommender
from recommender.base import NotFittedError
from tests.recommender.catalogue_data import BASKETS, CATALOGUE, DAY, make_interactions


class RecommenderContract:
    """Mixin: subclasses define ``make_model`` (unfitted) and may set ``personalised``.

    ``known_answers`` maps a customer to the items that may come first for them.
    """

    personalised = True
    known_answers: dict[str, set[int]] = {"gus": {2}, "hal": {4}}

    def make_model(self) -> Recommender:
        raise NotImplementedError

    @pytest.fixture
    def model(self) -> Recommender:
        return self.make_model().fit(make_interactions(), CATALOGUE)

    def test_recommend_returns_at_most_k_with_reasons(self, model: Recommender) -> None:
        suggestions = model.recommend("gus", k=3)
        assert 0 < len(suggestions) <= 3
        assert all(s.reason and "\n" not in s.reason for s in suggestions)
        scores = [s.score for s in suggestions]
        assert scores == sorted(scores, reverse=True)

    def test_recommend_known_answer(self, model: Recommender) -> None:
        for user, expected in self.known_answers.items():
            assert model.recommend(user, k=1)[0].item_id in expected

    def test_recommend_honours_constraints(self, model: Recommender) -> None:
        constraints = Constraints.of(categories=["Lighting"], max_price=44, exclude_ids=[1])
        for user in [*BASKETS, "stranger", None]:
            for s in model.recommend(user, constraints=constraints, k=5):
                item = CATALOGUE[s.item_id]
                assert item.category == "lighting" and item.price <= 44
                assert item.in_stock and s.item_id != 1

    def test_recommend_skips_purchases_but_not_consumables(self, model: Recommender) -> None:
        ids = [s.item_id for s in model.recommend("ann", k=len(CATALOGUE))]
        assert not {0, 1, 2} & set(ids)
        assert 5 in ids  # candles are consumable: ann may buy them again

    def test_unknown_customer_gets_in_stock_items(self, model: Recommender) -> None:
        suggestions = model.recommend("stranger", k=4)
        assert len(suggestions) == 4
        assert all(CATALOGUE[s.item_id].in_stock for s in suggestions)

    def test_similar_items_excludes_the_item(self, model: Recommender) -> None:
        similar = model.similar_items(3, k=3)
        assert similar and 3 not in [s.item_id for s in similar]

    def test_save_and_load_round_trip(self, model: Recommender, tmp_path: Path) -> None:
        model.save(tmp_path / "model.pkl")
        loaded = type(model).load(tmp_path / "model.pkl")
        assert loaded.recommend("gus", k=3) == model.recommend("gus", k=3)

    def test_partial_fit_folds_in_new_events(self, model: Recommender) -> None:
        model.partial_fit_users(
            Interactions.from_arrays(["gus", "ivy"], [2, 0], timestamps=[40 * DAY, 40 * DAY])
        )
        assert 2 not in [s.item_id for s in model.recommend("gus", k=8)]
        ivy = [s.item_id for s in model.recommend("ivy", k=8)]
        assert 0 not in ivy
        if self.personalised:
            assert ivy[0] in (1, 2)

    def test_context_clicks_count_for_anonymous_visitors(self, model: Recommender) -> None:
        suggestions = model.recommend(None, context=Context(item_ids=(3,)), k=2)
        if self.personalised:
            assert suggestions[0].item_id in (4, 8)
        assert all(CATALOGUE[s.item_id].in_stock for s in suggestions)

    def test_unfitted_model_raises(self) -> None:
        with pytest.raises(NotFittedError):
            self.make_model().recommend("gus")
