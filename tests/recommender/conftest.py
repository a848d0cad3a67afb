"""Fixtures for the recommender tests: the tiny catalogue and its baskets."""

from __future__ import annotations

import pytest

from recommender import Interactions, Item
from tests.recommender.catalogue_data import CATALOGUE, make_interactions


@pytest.fixture
def catalogue() -> list[Item]:
    return list(CATALOGUE)


@pytest.fixture
def interactions() -> Interactions:
    return make_interactions()
