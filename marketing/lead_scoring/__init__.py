"""Lead scoring: a calibrated probability that a lead converts, a grade A-D and reasons.

Typical use from the action that saves a finished lead::

    loader = ScorerLoader(data_dir / "lead_scoring", check_interval=5.0)    # once, cached
    features = lead_features(lead.data, as_of=date.today())
    score = score_lead(loader.get(), features, GradeThresholds())
    lead.score, lead.grade = score.probability, score.grade
    lead.score_reasons, lead.scored_by = score.reasons, score.scored_by

Training (`launcher/lead_scoring_training.py`) turns closed leads into `lead_features` rows
and calls `train_lead_scorer`; `ScorerStore` saves the result as a new version.
"""

from marketing.lead_scoring.currency import EUR_PER_UNIT, monthly_eur
from marketing.lead_scoring.features import LEAD_COLUMNS, lead_features
from marketing.lead_scoring.grades import GradeThresholds
from marketing.lead_scoring.rules import rule_points, rule_probability
from marketing.lead_scoring.scoring import RULES, LeadScore, score_lead
from marketing.lead_scoring.store import LeadScorer, ScorerLoader, ScorerStore
from marketing.lead_scoring.training import train_lead_scorer

__all__ = [
    "EUR_PER_UNIT",
    "LEAD_COLUMNS",
    "RULES",
    "GradeThresholds",
    "LeadScore",
    "LeadScorer",
    "ScorerLoader",
    "ScorerStore",
    "lead_features",
    "monthly_eur",
    "rule_points",
    "rule_probability",
    "score_lead",
    "train_lead_scorer",
]
