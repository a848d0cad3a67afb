"""Reading the inbox query string: valid values filter, bad ones are reported and left out."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.console import filters
from crm_bridge.enums import Channel, ConversationStatus


def test_valid_query_becomes_a_filter() -> None:
    query = filters.parse(
        {
            "channel": "telegram",
            "status": "waiting",
            "from": "2026-11-01",
            "to": "2026-11-02",
            "lead": "yes",
            "reviewed": "no",
            "low_confidence": "1",
            "q": " parcel ",
            "sort": "messages",
            "order": "asc",
            "page": "3",
        }
    )

    criteria = query.criteria
    assert (criteria.channel, criteria.status) == (Channel.telegram, ConversationStatus.waiting)
    assert criteria.active_from == datetime(2026, 11, 1, tzinfo=UTC)
    assert criteria.active_until == datetime(2026, 11, 3, tzinfo=UTC)  # the whole last day
    assert (criteria.has_lead, criteria.reviewed, criteria.low_confidence) == (True, False, True)
    assert criteria.had_fallback is False and criteria.text == "parcel"
    assert (query.sort, query.descending, query.page, query.problems) == ("messages", False, 3, [])
    assert "channel=telegram" in query.link(page=4) and "page=4" in query.link(page=4)
    assert "status" not in query.link(status=None)


def test_bad_values_are_reported_and_ignored() -> None:
    query = filters.parse(
        {"channel": "fax", "from": "yesterday", "sort": "random", "page": "x", "q": "y" * 300}
    )

    assert query.criteria.channel is None and query.criteria.active_from is None
    assert query.sort == "activity" and query.page == 1
    assert len(query.criteria.text or "") == filters.MAX_TEXT
    assert query.problems == [
        "Ignored channel 'fax': not one of web, telegram.",
        "Ignored sort 'random': not one of activity, started, messages.",
        "Ignored from 'yesterday': dates are written YYYY-MM-DD.",
        "The search text was cut to 200 characters.",
    ]
    assert "channel" not in query.values and "from" not in query.values
