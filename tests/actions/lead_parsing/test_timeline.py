"""Timelines become date windows counted from the day they were said."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.lead_parsing import Timeline, parse_timeline

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("next quarter", date(2027, 1, 1), date(2027, 3, 31)),
        ("this quarter", TODAY, date(2026, 12, 31)),
        ("Q2 2027", date(2027, 4, 1), date(2027, 6, 30)),
        ("next month", date(2026, 12, 1), date(2026, 12, 31)),
        ("next week", date(2026, 11, 30), date(2026, 12, 6)),
        ("within 3 months", TODAY, date(2027, 2, 21)),
        ("by March", TODAY, date(2027, 3, 31)),
        ("in May", date(2027, 5, 1), date(2027, 5, 31)),
        ("before christmas", TODAY, date(2026, 12, 24)),
        ("next year", date(2027, 1, 1), date(2027, 12, 31)),
    ],
)
def test_parse_timeline_gives_a_date_window(text: str, start: date, end: date) -> None:
    timeline = parse_timeline(text, today=TODAY)
    assert timeline is not None
    assert (timeline.start, timeline.end) == (start, end)


def test_parse_timeline_in_two_weeks_is_around_that_day_and_urgent() -> None:
    timeline = parse_timeline("in two weeks", today=TODAY)
    assert timeline is not None and timeline.asap
    assert timeline.start <= date(2026, 12, 7) <= timeline.end


@pytest.mark.parametrize("text", ["ASAP", "as soon as possible please", "urgently!"])
def test_parse_timeline_asap_starts_today(text: str) -> None:
    timeline = parse_timeline(text, today=TODAY)
    assert timeline is not None and timeline.asap and timeline.start == TODAY


@pytest.mark.parametrize("text", ["just looking", "no rush", "not sure yet", "just browsing"])
def test_parse_timeline_just_looking_has_no_window(text: str) -> None:
    assert parse_timeline(text, today=TODAY) == Timeline(label="just looking", just_looking=True)


@pytest.mark.parametrize("text", ["", "blue", "may I ask something", "banana bread"])
def test_parse_timeline_finds_nothing_in_unrelated_text(text: str) -> None:
    assert parse_timeline(text, today=TODAY) is None


def test_parse_timeline_as_dict_uses_iso_dates() -> None:
    timeline = parse_timeline("next quarter", today=TODAY)
    assert timeline is not None
    assert timeline.as_dict()["start"] == "2027-01-01"


@given(st.text(max_size=300), st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
def test_parse_timeline_windows_never_end_before_they_start_or_before_today(
    text: str, today: date
) -> None:
    timeline = parse_timeline(text, today=today)
    if timeline is not None and timeline.start is not None:
        assert timeline.end is not None
        assert today <= timeline.start <= timeline.end


def test_parse_timeline_reads_only_the_start_of_a_very_long_answer() -> None:
    timeline = parse_timeline("next month " + "x" * 1_000_000, today=TODAY)
    assert timeline is not None and timeline.label == "next month"
