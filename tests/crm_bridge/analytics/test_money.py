"""Revenue, prorated costs, new customers, CAC and ROI, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from crm_bridge import marketing_costs
from crm_bridge.analytics.money import money_figures, new_customers, prorated
from crm_bridge.enums import OrderStatus
from tests.crm_bridge.analytics.data import END, START, at, order
from tests.utils.factories import make_contact


def _cost(session: Session, first: date, last: date, amount: str, currency: str = "EUR") -> None:
    marketing_costs.add_cost(
        session,
        period_start=first,
        period_end=last,
        amount=Decimal(amount),
        currency=currency,
        entered_by="test@shop.test",
    )


@pytest.fixture
def shop(store_session: Session) -> None:
    returning = make_contact(store_session)
    order(store_session, returning, at(20, month=10), "40.00")
    order(store_session, returning, at(2), "25.50")
    new = make_contact(store_session)
    order(store_session, new, at(3), "100.00")
    order(store_session, new, at(6), "10.00", status=OrderStatus.placed)
    cancelled_first = make_contact(store_session)  # first real purchase after the range
    order(store_session, cancelled_first, at(4), "60.00", status=OrderStatus.cancelled)
    order(store_session, cancelled_first, END, "70.00")
    returned = make_contact(store_session)
    order(store_session, returned, at(5), "80.00", status=OrderStatus.returned)
    dollars = make_contact(store_session)
    order(store_session, dollars, at(5), "999.00", currency="USD")


def test_revenue_and_new_customers_count_purchases_of_the_range(
    store_session: Session, shop: None
) -> None:
    figures = money_figures(store_session, start=START, end=END)

    assert figures.revenue == Decimal("135.50")
    assert figures.orders == 3
    # new and dollars: a first purchase in the range, whatever its currency.
    assert figures.new_customers == 2
    assert new_customers(store_session, start=START, end=at(3)) == 0


def test_costs_are_prorated_by_the_days_inside_the_range(
    store_session: Session, shop: None
) -> None:
    _cost(store_session, date(2026, 11, 2), date(2026, 11, 4), "300")
    _cost(store_session, date(2026, 10, 25), date(2026, 11, 3), "100")  # 3 of 10 days
    _cost(store_session, date(2026, 11, 8), date(2026, 11, 30), "500")  # starts at the end
    _cost(store_session, date(2026, 11, 1), date(2026, 11, 2), "50", currency="USD")

    figures = money_figures(store_session, start=START, end=END)

    assert [(share.amount, share.counted) for share in figures.costs] == [
        (Decimal("100.00"), Decimal("30.00")),
        (Decimal("300.00"), Decimal("300.00")),
    ]
    assert figures.cost == Decimal("330.00")
    assert figures.cac == Decimal("165.00")
    assert figures.roi == pytest.approx((135.50 - 330) / 330)


def test_cac_and_roi_are_none_without_new_customers_or_cost(store_session: Session) -> None:
    figures = money_figures(store_session, start=START, end=END)

    assert (figures.revenue, figures.cost, figures.new_customers) == (Decimal("0.00"), 0, 0)
    assert figures.cac is None
    assert figures.roi is None


def test_cac_is_none_without_new_customers_even_with_cost(store_session: Session) -> None:
    _cost(store_session, date(2026, 11, 1), date(2026, 11, 7), "70")

    figures = money_figures(store_session, start=START, end=END)

    assert figures.cost == Decimal("70.00")
    assert figures.cac is None
    assert figures.roi == pytest.approx(-1.0)


def test_prorated_handles_ranges_that_do_not_start_at_midnight() -> None:
    noon = datetime(2026, 11, 1, 12, tzinfo=UTC)

    assert prorated(Decimal("10"), date(2026, 11, 1), date(2026, 11, 1), start=noon, end=END) == (
        Decimal("5.00")
    )
    assert prorated(Decimal("10"), date(2026, 10, 1), date(2026, 10, 31), start=START, end=END) == (
        Decimal("0.00")
    )
