"""Purchase summary: the Fader/Hardie conventions in days."""

from datetime import date, datetime

import numpy as np
import pytest

from marketing.clv import PurchaseSummary, summarise


def test_summary_conventions_on_a_hand_made_history() -> None:
    """Same-day purchases merge; the first purchase is left out of the monetary value."""
    summary = summarise(
        ["ann", "ann", "ann", "ann", "bob", "cy", "cy"],
        [0.0, 0.2, 10.5, 30.0, 5.0, 20.0, 20.9],
        [10.0, 5.0, 20.0, 40.0, 99.0, 7.0, 8.0],
        observation_end=40.0,
    )
    assert summary.customer_ids.tolist() == ["ann", "bob", "cy"]
    assert summary.frequency.tolist() == [2, 0, 0]  # ann: days 0, 10, 30; cy: one day
    assert summary.recency.tolist() == [30, 0, 0]
    assert summary.T.tolist() == [40, 35, 20]
    assert summary.monetary_value.tolist() == [30.0, 0.0, 0.0]  # mean of 20 and 40


def test_datetimes_count_calendar_days_and_later_purchases_are_ignored() -> None:
    summary = summarise(
        [1, 1, 1, 2],
        [
            datetime(2011, 1, 1, 9),
            datetime(2011, 1, 1, 23, 59),
            datetime(2011, 1, 2, 0, 1),
            datetime(2011, 2, 1),  # after the end: customer 2 is left out
        ],
        [1.0, 2.0, 4.0, 8.0],
        observation_end=date(2011, 1, 31),
    )
    assert summary.customer_ids.tolist() == [1]
    assert (summary.frequency[0], summary.recency[0], summary.T[0]) == (1, 1, 30)
    assert summary.monetary_value[0] == 4.0


def test_datetime64_and_dates_agree() -> None:
    days = np.array(["2011-03-01", "2011-03-05"], dtype="datetime64[s]")
    as_numpy = summarise([7, 7], days, [1.0, 3.0], observation_end=np.datetime64("2011-03-11"))
    as_dates = summarise(
        [7, 7], [date(2011, 3, 1), date(2011, 3, 5)], [1.0, 3.0], observation_end=date(2011, 3, 11)
    )
    for column in ("frequency", "recency", "T", "monetary_value"):
        assert getattr(as_numpy, column).tolist() == getattr(as_dates, column).tolist()
    assert as_dates.T.tolist() == [10]


def test_end_defaults_to_the_last_purchase_day() -> None:
    summary = summarise(["a", "b"], [0.0, 12.5], [1.0, 1.0])
    assert summary.T.tolist() == [12, 0]


def test_empty_input_gives_an_empty_summary() -> None:
    assert len(summarise([], [], [])) == 0
    assert len(summarise(["late"], [50.0], [1.0], observation_end=10.0)) == 0


def test_from_arrays_checks_the_columns() -> None:
    assert len(PurchaseSummary.from_arrays([1, 0], [5, 0], [9, 3])) == 2
    with pytest.raises(ValueError, match="recency"):
        PurchaseSummary.from_arrays([1], [10], [5])
    with pytest.raises(ValueError, match="one value per customer"):
        PurchaseSummary.from_arrays([1, 2], [1], [5])
