"""Score one lead: a probability of converting, a grade, and the top reasons in words.

With a trained scorer the probability is the model's (calibrated) and the reasons come
from occlusion: each feature group is set to its typical training value and the groups
whose change moves the probability most are named. Without one (or if the model fails)
the transparent points of `rules` give the number and the reasons, and that is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from marketing.lead_scoring.grades import GradeThresholds
from marketing.lead_scoring.rules import rule_points, rule_probability
from marketing.lead_scoring.store import LeadScorer
from marketing.lead_scoring.wording import reason

RULES = "rules"
TOP_REASONS = 3
MIN_CHANGE = 0.002  # smaller moves of the probability are not worth a reason

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeadScore:
    """What staff see: probability, grade, reasons, and which model (or "rules") said so."""

    probability: float
    grade: str
    reasons: list[str] = field(default_factory=list)
    scored_by: str = RULES


def score_lead(
    scorer: LeadScorer | None,
    features: Mapping[str, Any],
    thresholds: GradeThresholds | None = None,
) -> LeadScore:
    """Score the features of one lead (from `lead_features`) with the scorer, or by rules."""
    thresholds = thresholds or GradeThresholds()
    if scorer is not None:
        try:
            return _by_model(scorer, features, thresholds)
        except Exception:  # a model that cannot score must not lose the lead
            logger.exception("Lead scorer %s failed; scoring by rules instead", scorer.version)
    logger.info("No lead-scoring model in use: scored the lead with rules")
    return _by_rules(features, thresholds)


def _by_model(
    scorer: LeadScorer, features: Mapping[str, Any], thresholds: GradeThresholds
) -> LeadScore:
    probability, contributions = scorer.classifier.explain(features)
    reasons = [
        reason(c.group, features, c.change)
        for c in contributions[:TOP_REASONS]
        if abs(c.change) >= MIN_CHANGE
    ]
    return LeadScore(probability, thresholds.grade(probability), reasons, scorer.version)


def _by_rules(features: Mapping[str, Any], thresholds: GradeThresholds) -> LeadScore:
    points = rule_points(features)
    probability = rule_probability(sum(points.values()))
    ranked = sorted(points.items(), key=lambda item: -abs(item[1]))  # stable: POINTS order
    reasons = [reason(group, features, value) for group, value in ranked[:TOP_REASONS]]
    return LeadScore(probability, thresholds.grade(probability), reasons, RULES)
