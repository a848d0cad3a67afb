"""Reasons in plain words for staff."""

import pytest

from marketing.lead_scoring.wording import describe, euros, reason


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (5000, "€5,000"),
        (4873.12, "€4,900"),
        (480, "€480"),
        (35.4, "€35"),
        (1_200_000, "€1.2 million"),
        (1_000_000, "€1 million"),
    ],
)
def test_euros(amount: float, words: str) -> None:
    assert euros(amount) == words


@pytest.mark.parametrize(
    ("group", "features", "words"),
    [
        ("authority", {"authority": "decision_maker"}, "Decision maker"),
        ("authority", {"authority": None}, "Role in the decision not known"),
        ("budget", {"budget_monthly_eur": 5000.0, "no_budget": 0}, "Budget about €5,000 a month"),
        ("budget", {"budget_monthly_eur": None, "no_budget": 1}, "No budget yet"),
        ("budget", {"budget_monthly_eur": None, "no_budget": 0}, "Budget not given"),
        ("timeline", {"just_looking": 1, "days_to_start": None}, "Just looking, no timeline"),
        ("timeline", {"asap": 1, "days_to_start": 0}, "Wants to start as soon as possible"),
        ("timeline", {"days_to_start": 20}, "Wants to start within a month"),
        ("timeline", {"days_to_start": 60}, "Wants to start in about 9 weeks"),
        ("timeline", {"days_to_start": 180}, "Wants to start in about 6 months"),
        ("email_kind", {"email_kind": "free_mail"}, "Free-mail address, not a company domain"),
        ("team_size", {"team_size": 1200}, "Team of 1,200 people"),
        ("team_size", {"team_size": 1}, "Works alone"),
        ("products_asked", {"products_asked": 3}, "Asked about 3 products"),
        ("suggestions_clicked", {"suggestions_clicked": 1}, "Clicked 1 suggested product"),
        ("returning_visitor", {"returning_visitor": 1}, "Returning visitor"),
        ("orders", {"orders": 0}, "No past orders"),
        ("channel", {"channel": "telegram"}, "Came through Telegram"),
        ("some_new_column", {"some_new_column": 7}, "Some new column: 7"),
    ],
)
def test_describe(group: str, features: dict, words: str) -> None:
    assert describe(group, features) == words


def test_reasons_say_which_way_they_push() -> None:
    features = {"authority": "decision_maker"}

    assert reason("authority", features, 0.12) == "Decision maker (raises the score)"
    assert reason("authority", features, -0.01) == "Decision maker (lowers the score)"
