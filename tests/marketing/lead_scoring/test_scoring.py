"""Scoring one lead: the model's probability and reasons, or rules when there is no model."""

import logging
from datetime import date

import pytest

from marketing.lead_scoring import (
    RULES,
    GradeThresholds,
    LeadScorer,
    lead_features,
    score_lead,
)
from marketing.tabular import TrainingResult
from tests.utils.factories import lead_data

TODAY = date(2026, 11, 23)


@pytest.fixture
def scorer(lead_training: TrainingResult) -> LeadScorer:
    return LeadScorer("v000007", lead_training.classifier, {})


def test_a_model_scores_decision_makers_higher(scorer: LeadScorer) -> None:
    boss = score_lead(scorer, lead_features(lead_data(authority="decision_maker"), as_of=TODAY))
    user = score_lead(scorer, lead_features(lead_data(authority="user"), as_of=TODAY))

    assert boss.scored_by == user.scored_by == "v000007"
    assert boss.probability > 0.6 and user.probability < 0.2
    assert (boss.grade, user.grade) == ("A", "D")


def test_reasons_name_the_dominant_feature_first_with_its_sign(scorer: LeadScorer) -> None:
    boss = score_lead(scorer, lead_features(lead_data(authority="decision_maker"), as_of=TODAY))
    user = score_lead(scorer, lead_features(lead_data(authority="user"), as_of=TODAY))

    assert boss.reasons[0] == "Decision maker (raises the score)"
    assert user.reasons[0] == "Would use it, does not decide (lowers the score)"
    assert 1 <= len(boss.reasons) <= 3


def test_grades_follow_the_thresholds_given(scorer: LeadScorer) -> None:
    features = lead_features(lead_data(authority="influencer"), as_of=TODAY)
    probability = score_lead(scorer, features).probability

    lenient = GradeThresholds(probability, probability / 2, probability / 4)
    strict = GradeThresholds(0.99, 0.98, min(0.97, probability + 0.01))

    assert score_lead(scorer, features, lenient).grade == "A"
    assert score_lead(scorer, features, strict).grade == "D"


def test_without_a_model_rules_score_and_it_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    hot = lead_data(
        authority="decision_maker",
        budget={"min": 9000, "max": 9000, "currency": "EUR", "period": "month", "no_budget": False},
        timeline={"label": "ASAP", "start": None, "end": None, "asap": True, "just_looking": False},
    )

    with caplog.at_level(logging.INFO, logger="marketing.lead_scoring"):
        score = score_lead(None, lead_features(hot, as_of=TODAY))

    assert score.scored_by == RULES == "rules"
    assert score.grade == "A"
    assert score.reasons == [
        "Decision maker (raises the score)",
        "Budget about €9,000 a month (raises the score)",
        "Wants to start as soon as possible (raises the score)",
    ]
    assert "scored the lead with rules" in caplog.text


def test_rule_reasons_are_signed() -> None:
    cold = lead_data(authority="user", email_kind="disposable")

    score = score_lead(None, lead_features(cold, as_of=TODAY))

    assert "Disposable email address (lowers the score)" in score.reasons
    assert score.grade in {"C", "D"}


def test_a_failing_model_falls_back_to_rules(caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        def explain(self, row: object) -> None:
            raise RuntimeError("model file from another version")

    broken = LeadScorer("v000009", Broken(), {})  # type: ignore[arg-type]

    with caplog.at_level(logging.INFO, logger="marketing.lead_scoring"):
        score = score_lead(broken, lead_features(lead_data(), as_of=TODAY))

    assert score.scored_by == "rules"
    assert "v000009 failed" in caplog.text
