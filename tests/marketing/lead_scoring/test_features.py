"""Lead features from form data: the contract's fields, and what missing or junk values become."""

from datetime import date

import pytest

from marketing.lead_scoring import LEAD_COLUMNS, lead_features
from tests.utils.factories import lead_data

TODAY = date(2026, 11, 23)


def test_every_column_has_a_feature_and_nothing_else() -> None:
    features = lead_features(lead_data(), as_of=TODAY)

    assert set(features) == {column.name for column in LEAD_COLUMNS}


def test_an_average_lead() -> None:
    features = lead_features(lead_data(), as_of=TODAY)

    assert features == {
        "request": "quote",
        "authority": "influencer",
        "email_kind": "business",
        "channel": "web",
        "team_size": 12,
        "has_company": 1,
        "budget_monthly_eur": 1000.0,
        "no_budget": 0,
        "days_to_start": 8,
        "asap": 0,
        "just_looking": 0,
        "marketing_consent": 1,
        "skipped_fields": 0,
        "messages": 6,
        "products_asked": 1,
        "suggestions_clicked": 0,
        "returning_visitor": 0,
        "orders": 0,
    }


@pytest.mark.parametrize("data", [{}, None, "junk", [1, 2]])
def test_missing_data_gives_unknowns_not_errors(data: object) -> None:
    features = lead_features(data, as_of=TODAY)  # type: ignore[arg-type]

    assert features["authority"] is None and features["budget_monthly_eur"] is None
    assert features["days_to_start"] is None and features["messages"] is None
    assert features["returning_visitor"] is None and features["channel"] is None
    assert (features["no_budget"], features["asap"], features["skipped_fields"]) == (0, 0, 0)


def test_no_budget_is_a_flag_without_an_amount() -> None:
    no_budget = {"min": None, "max": None, "currency": None, "period": None, "no_budget": True}

    features = lead_features(lead_data(budget=no_budget), as_of=TODAY)

    assert (features["no_budget"], features["budget_monthly_eur"]) == (1, None)


def test_timelines() -> None:
    def days(**timeline: object) -> tuple[object, object, object]:
        base = {"label": "x", "start": None, "end": None, "asap": False, "just_looking": False}
        f = lead_features(lead_data(timeline=base | timeline), as_of=TODAY)
        return f["days_to_start"], f["asap"], f["just_looking"]

    assert days(start="2027-02-21") == (90, 0, 0)
    assert days(end="2026-12-03") == (10, 0, 0)  # only the end known: at the latest then
    assert days(start="2026-01-01") == (0, 0, 0)  # a start in the past is now
    assert days(start="2031-01-01") == (730, 0, 0)  # capped at two years
    assert days(asap=True) == (0, 1, 0)
    assert days(just_looking=True, asap=True, start="2027-01-01") == (None, 0, 1)
    assert days(start="next tuesday") == (None, 0, 0)
    assert days(start=20270101) == (None, 0, 0)


@pytest.mark.parametrize(
    ("field", "value", "feature", "expected"),
    [
        ("authority", "CEO", "authority", None),
        ("authority", " Decision_Maker ", "authority", "decision_maker"),
        ("request", 3, "request", None),
        ("email_kind", "corporate", "email_kind", None),
        ("team_size", "40", "team_size", 40),
        ("team_size", "a few", "team_size", None),
        ("team_size", 0, "team_size", None),
        ("team_size", -3, "team_size", None),
        ("team_size", True, "team_size", None),
        ("team_size", float("inf"), "team_size", None),
        ("team_size", 10**12, "team_size", 1_000_000),
        ("company", "   ", "has_company", 0),
        ("company", 42, "has_company", 0),
        ("marketing_consent", "yes", "marketing_consent", None),
        ("marketing_consent", False, "marketing_consent", 0),
        ("skipped", ["budget", "budget", 3, "timeline"], "skipped_fields", 2),
        ("skipped", "budget", "skipped_fields", 0),
        ("budget", "5k", "budget_monthly_eur", None),
        ("timeline", ["soon"], "days_to_start", None),
    ],
)
def test_junk_values(field: str, value: object, feature: str, expected: object) -> None:
    assert lead_features(lead_data(**{field: value}), as_of=TODAY)[feature] == expected


def test_engagement_numbers_and_channel() -> None:
    engagement = {
        "messages": 14.6,
        "products_asked": -1,
        "suggestions_clicked": "2",
        "returning_visitor": True,
        "channel": "Telegram",
        "orders": None,
    }

    f = lead_features(lead_data(engagement=engagement), as_of=TODAY)

    assert (f["messages"], f["products_asked"], f["suggestions_clicked"]) == (15, None, 2)
    assert (f["returning_visitor"], f["channel"], f["orders"]) == (1, "telegram", None)
    assert lead_features(lead_data(engagement="lots"), as_of=TODAY)["messages"] is None
