"""Suggestion click-through and conversion over a range, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from crm_bridge.analytics.suggestions import suggestion_funnel
from crm_bridge.enums import SuggestionEventKind
from crm_bridge.models import SuggestionEvent
from tests.crm_bridge.analytics.data import END, START, at
from tests.utils.factories import make_product

K = SuggestionEventKind


def _events(session: Session, version: str, *kinds_at: tuple[SuggestionEventKind, int]) -> None:
    product = make_product(session)
    for kind, day in kinds_at:
        moment = END if day == 8 else at(day)
        session.add(
            SuggestionEvent(
                product_id=product.id, kind=kind, rank=1, model_version=version, created_at=moment
            )
        )
    session.flush()


def test_suggestion_funnel_counts_events_of_the_range_per_version(store_session: Session) -> None:
    _events(store_session, "v1", (K.shown, 1), (K.shown, 1), (K.clicked, 2), (K.shown, 8))
    _events(store_session, "v2", (K.shown, 3), (K.shown, 3), (K.clicked, 3), (K.bought, 5))
    _events(store_session, "v2", (K.asked, 4), (K.clicked, 8), (K.bought, 8))

    figures = suggestion_funnel(store_session, start=START, end=END)

    assert (figures.shown, figures.clicked, figures.asked, figures.bought) == (4, 2, 1, 1)
    assert figures.click_through_rate == pytest.approx(0.5)
    assert figures.conversion_rate == pytest.approx(0.25)
    assert [
        (row.model_version, row.shown, row.clicked, row.bought) for row in figures.by_version
    ] == [
        ("v1", 2, 1, 0),
        ("v2", 2, 1, 1),
    ]


def test_suggestion_rates_without_anything_shown_are_none(store_session: Session) -> None:
    figures = suggestion_funnel(store_session, start=START, end=END)

    assert figures.by_version == []
    assert figures.click_through_rate is None and figures.conversion_rate is None
