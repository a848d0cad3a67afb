"""Marketing cost rows: validation, listing and deletion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from crm_bridge import marketing_costs
from crm_bridge.marketing_costs import InvalidCost
from crm_bridge.models import Campaign, MarketingCost


def _add(session: Session, **changes: Any) -> MarketingCost:
    values: dict[str, Any] = {
        "period_start": date(2026, 11, 1),
        "period_end": date(2026, 11, 30),
        "amount": Decimal("250.00"),
        "entered_by": "mia@shop.test",
    }
    return marketing_costs.add_cost(session, **{**values, **changes})


def test_add_cost_stores_a_clean_row(db_session: Session) -> None:
    cost = _add(db_session, currency=" usd ", channel="  telegram ads ", note=" launch ")

    stored = db_session.get(MarketingCost, cost.id)
    assert stored is not None
    assert (stored.currency, stored.channel, stored.note) == ("USD", "telegram ads", "launch")
    assert stored.amount == Decimal("250.00") and stored.created_at.tzinfo is not None


def test_a_one_day_period_is_accepted(db_session: Session) -> None:
    cost = _add(db_session, period_end=date(2026, 11, 1))

    assert cost.period_start == cost.period_end


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"period_end": date(2026, 10, 31)}, "ends before it starts"),
        ({"amount": Decimal("0")}, "more than 0"),
        ({"amount": Decimal("-5")}, "more than 0"),
        ({"amount": Decimal("NaN")}, "more than 0"),
        ({"amount": Decimal("1.005")}, "two decimals"),
        ({"amount": Decimal("10000000000")}, "at most"),
        ({"currency": "EURO"}, "three-letter"),
        ({"currency": "€"}, "three-letter"),
        ({"channel": "x" * 61}, "60 characters"),
        ({"campaign_id": 999_999}, "no campaign 999999"),
    ],
)
def test_add_cost_refuses_bad_input_and_says_why(
    db_session: Session, changes: dict[str, Any], reason: str
) -> None:
    with pytest.raises(InvalidCost, match=reason):
        _add(db_session, **changes)

    assert marketing_costs.list_costs(db_session) == []


def test_a_cost_can_name_its_campaign(db_session: Session) -> None:
    campaign = Campaign(name="Win-back", trigger="inactive", created_by="mia@shop.test")
    db_session.add(campaign)
    db_session.flush()

    assert _add(db_session, campaign_id=campaign.id).campaign_id == campaign.id


def test_list_costs_latest_period_first_and_by_overlap(db_session: Session) -> None:
    october = _add(db_session, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31))
    november = _add(db_session)
    december = _add(db_session, period_start=date(2026, 12, 1), period_end=date(2026, 12, 31))

    assert marketing_costs.list_costs(db_session) == [december, november, october]
    assert marketing_costs.list_costs(db_session, limit=1) == [december]
    overlapping = (date(2026, 10, 31), date(2026, 11, 1))
    assert marketing_costs.list_costs(db_session, overlapping=overlapping) == [november, october]


def test_delete_cost_removes_the_row_and_refuses_an_unknown_one(db_session: Session) -> None:
    cost = _add(db_session)

    deleted = marketing_costs.delete_cost(db_session, cost.id)

    assert deleted.amount == Decimal("250.00")
    assert marketing_costs.get_cost(db_session, cost.id) is None
    with pytest.raises(LookupError, match=f"no cost {cost.id}"):
        marketing_costs.delete_cost(db_session, cost.id)
