"""The lead confirmation's summary, from whatever the lead form collected."""

from __future__ import annotations

from mailer.lead_summary import DEFAULT_NEXT_STEPS, summarize_lead

FULL = {
    "request": "quote",
    "need": "Lanterns for 12 shop windows",
    "company": "Ann & Co",
    "team_size": 12,
    "role": "Owner",
    "budget": {"min": 5000, "max": 10000, "currency": "EUR", "period": "year", "no_budget": False},
    "timeline": {"label": "next month", "start": "2026-12-01", "end": "2026-12-31"},
    "name": "Ann",
    "email": "ann@example.test",
    "marketing_consent": True,
}


def test_full_lead_reads_as_labelled_lines() -> None:
    summary = summarize_lead(FULL)

    assert summary.name == "Ann"
    assert summary.request_label == "a quote"
    assert summary.details == [
        ("What you need", "Lanterns for 12 shop windows"),
        ("Company", "Ann & Co"),
        ("Your role", "Owner"),
        ("Team size", "12 people"),
        ("Budget", "€5,000 to €10,000 per year"),
        ("Timeline", "next month"),
    ]
    assert "quote" in summary.next_steps
    assert summary.marketing_consent is True


def test_missing_and_empty_keys_are_left_out() -> None:
    summary = summarize_lead({"request": "demo", "need": "  ", "company": None})

    assert summary.name is None
    assert summary.request_label == "a demo"
    assert summary.details == []
    assert "demo" in summary.next_steps
    assert summary.marketing_consent is False


def test_unknown_request_gets_a_general_follow_up() -> None:
    summary = summarize_lead({})
    assert summary.request_label == "a follow-up"
    assert summary.next_steps == DEFAULT_NEXT_STEPS


def test_budget_and_timeline_shapes() -> None:
    cases = [
        ({"budget": {"no_budget": True}}, "Budget", "no fixed budget yet"),
        ({"budget": {"max": 800, "currency": "USD"}}, "Budget", "up to $800"),
        (
            {"budget": {"min": 99.5, "currency": "CHF", "period": "month"}},
            "Budget",
            "from 99.50 CHF per month",
        ),
        ({"timeline": {"asap": True}}, "Timeline", "as soon as possible"),
        ({"timeline": {"just_looking": True}}, "Timeline", "no date yet, just looking"),
        ({"timeline": {"start": "May", "end": "June"}}, "Timeline", "between May and June"),
        ({"timeline": {"end": "Friday"}}, "Timeline", "by Friday"),
    ]
    for data, label, expected in cases:
        assert (label, expected) in summarize_lead(data).details, data


def test_a_budget_without_amounts_is_left_out() -> None:
    assert summarize_lead({"budget": {"currency": "EUR"}}).details == []
