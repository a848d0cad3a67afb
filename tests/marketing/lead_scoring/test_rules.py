"""The rule-based score used while no model is trained."""

from datetime import date

from marketing.lead_scoring import lead_features, rule_points, rule_probability
from tests.utils.factories import lead_data

TODAY = date(2026, 11, 23)
HOT = lead_data(
    authority="decision_maker",
    budget={"min": 8000, "max": 8000, "currency": "EUR", "period": "month", "no_budget": False},
    timeline={"label": "ASAP", "start": None, "end": None, "asap": True, "just_looking": False},
    team_size=120,
)
COLD = lead_data(
    authority="user",
    budget={"min": None, "max": None, "currency": None, "period": None, "no_budget": True},
    timeline={
        "label": "just looking",
        "start": None,
        "end": None,
        "asap": False,
        "just_looking": True,
    },
    email_kind="disposable",
)


def test_points_follow_what_sales_would_say() -> None:
    hot = rule_points(lead_features(HOT, as_of=TODAY))
    cold = rule_points(lead_features(COLD, as_of=TODAY))

    assert hot["authority"] == 3 and hot["budget"] == 3 and hot["timeline"] == 3
    assert hot["team_size"] == 2 and hot["email_kind"] == 2
    assert cold["authority"] < 0 and cold["budget"] < 0 and cold["timeline"] < 0
    assert cold["email_kind"] < 0


def test_groups_without_points_are_left_out() -> None:
    points = rule_points(lead_features({}, as_of=TODAY))

    assert points == {"email_kind": -1}  # only "no email given" says anything


def test_an_average_lead_sits_between_hot_and_cold() -> None:
    def probability(data: dict) -> float:
        return rule_probability(sum(rule_points(lead_features(data, as_of=TODAY)).values()))

    hot, average, cold = probability(HOT), probability(lead_data()), probability(COLD)

    assert hot > 0.8
    assert 0.2 < average < 0.6
    assert cold < 0.05


def test_probability_rises_with_points_within_zero_and_one() -> None:
    values = [rule_probability(points) for points in range(-15, 25)]

    assert values == sorted(values)
    assert all(0 < v < 1 for v in values)
