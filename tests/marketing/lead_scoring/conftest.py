"""A lead scorer trained once on synthetic leads whose outcome depends mostly on authority."""

import random
from datetime import date
from typing import Any

import pytest

from marketing.lead_scoring import train_lead_scorer
from marketing.tabular import TrainingResult
from tests.utils.factories import lead_data

CONVERSION_BY_AUTHORITY = {"decision_maker": 0.85, "influencer": 0.35, "user": 0.05}
DAY = date(2026, 6, 1)


def synthetic_leads(n: int, seed: int = 0) -> list[tuple[dict[str, Any], date, int]]:
    """Leads whose other answers vary at random and say nothing about the outcome."""
    rng = random.Random(seed)
    leads = []
    for _ in range(n):
        authority = rng.choice(list(CONVERSION_BY_AUTHORITY))
        amount = rng.choice([300, 1000, 4000])
        budget = {"min": amount, "max": amount, "currency": "EUR", "period": "month"}
        data = lead_data(
            authority=authority,
            team_size=rng.randint(1, 60),
            budget=budget | {"no_budget": False},
            email_kind=rng.choice(["business", "free_mail"]),
        )
        leads.append((data, DAY, int(rng.random() < CONVERSION_BY_AUTHORITY[authority])))
    return leads


@pytest.fixture(scope="session")
def lead_training() -> TrainingResult:
    return train_lead_scorer(synthetic_leads(240), folds=3)
