"""The demo lead history: deterministic, valid against the lead contract, with a real signal."""

from collections import Counter
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import contacts
from crm_bridge.demo_leads import (
    HISTORY_DAYS,
    DemoLead,
    generate_demo_leads,
    seed_demo_leads,
    true_logit,
)
from crm_bridge.demo_shop import HISTORY_END, DemoShop, generate_demo_shop, seed_demo_shop
from crm_bridge.enums import LeadStatus
from crm_bridge.lead_history import training_rows
from crm_bridge.models import Contact, Lead
from crm_bridge.orders import NOT_PURCHASED
from marketing.lead_scoring import LEAD_COLUMNS, lead_features

CLOSED = (LeadStatus.converted, LeadStatus.lost)


@pytest.fixture(scope="module")
def shop() -> DemoShop:
    return generate_demo_shop(seed=42)


@pytest.fixture(scope="module")
def leads(shop: DemoShop) -> list[DemoLead]:
    return generate_demo_leads(shop, end=HISTORY_END, seed=42)


def test_same_seed_gives_the_same_history(shop: DemoShop, leads: list[DemoLead]) -> None:
    assert generate_demo_leads(shop, end=HISTORY_END, seed=42) == leads
    assert generate_demo_leads(shop, end=HISTORY_END, seed=7) != leads


def test_the_shop_itself_is_unchanged_by_the_leads(shop: DemoShop) -> None:
    # Leads draw from their own random stream: the shop's catalogue and orders stay put.
    assert generate_demo_shop(seed=42) == shop


def test_size_outcomes_and_dates(leads: list[DemoLead]) -> None:
    statuses = Counter(lead.status for lead in leads)
    closed = [lead for lead in leads if lead.status in CLOSED]
    converted_share = statuses[LeadStatus.converted] / len(closed)
    first_day = HISTORY_END - timedelta(days=HISTORY_DAYS)

    assert 600 <= len(leads) <= 1_000
    assert 0.30 <= converted_share <= 0.50  # the process is tuned for about 0.40
    assert 0.01 <= (len(leads) - len(closed)) / len(leads) <= 0.10  # a few still open
    assert set(statuses) <= {*CLOSED, LeadStatus.qualified, LeadStatus.contacted}
    assert all(first_day <= lead.created_at <= HISTORY_END for lead in leads)
    assert all(lead.created_at < lead.closed_at <= HISTORY_END for lead in closed if lead.closed_at)
    assert all(lead.closed_at is None for lead in leads if lead.status not in CLOSED)
    assert [lead.created_at for lead in leads] == sorted(lead.created_at for lead in leads)


def test_lead_data_follows_the_contract(leads: list[DemoLead], shop: DemoShop) -> None:
    refs = {customer.external_ref for customer in shop.customers}
    for lead in leads:
        data = lead.data
        assert lead.customer_ref in refs
        assert data["request"] in ("quote", "demo", "callback")
        assert isinstance(data["need"], str) and data["need"]
        assert data["authority"] in ("decision_maker", "influencer", "user", None)
        assert (data["role"] is None) == (data["authority"] is None)
        assert data["team_size"] is None or (
            isinstance(data["team_size"], int) and data["team_size"] >= 1
        )
        assert data["email_kind"] in ("business", "free_mail", "disposable", None)
        assert (data["email"] is None) == (data["email_kind"] is None)
        assert data["marketing_consent"] in (True, False, None)
        assert set(data["skipped"]) <= {"team_size", "budget", "timeline"}
        assert all(data[field] is None for field in data["skipped"])
        _check_budget(data["budget"])
        _check_timeline(data["timeline"])
        engagement = data["engagement"]
        assert engagement["channel"] == lead.channel.value
        assert set(engagement) == {
            "messages",
            "products_asked",
            "suggestions_clicked",
            "returning_visitor",
            "channel",
            "orders",
        }
        assert all(engagement[k] >= 0 for k in ("messages", "products_asked", "orders"))


def _check_budget(budget: dict | None) -> None:
    if budget is None:
        return
    assert set(budget) == {"min", "max", "currency", "period", "no_budget"}
    if budget["no_budget"]:
        assert budget["min"] is None and budget["max"] is None
        return
    assert 0 < budget["min"] <= budget["max"]
    assert budget["currency"] in ("EUR", "GBP", "USD", "CHF")
    assert budget["period"] in ("month", "year", "once")


def _check_timeline(timeline: dict | None) -> None:
    if timeline is None:
        return
    assert set(timeline) == {"label", "start", "end", "asap", "just_looking"}
    assert not (timeline["asap"] and timeline["just_looking"])
    if timeline["just_looking"]:
        assert timeline["start"] is None and timeline["end"] is None
    else:
        assert date.fromisoformat(timeline["start"]) <= date.fromisoformat(timeline["end"])


def test_past_orders_are_the_customers_real_orders(leads: list[DemoLead], shop: DemoShop) -> None:
    for lead in leads[::25]:
        bought_before = [
            order
            for order in shop.orders
            if order.customer_ref == lead.customer_ref
            and order.placed_at < lead.created_at
            and order.status not in NOT_PURCHASED
        ]
        assert lead.data["engagement"]["orders"] == len(bought_before)


def test_every_lead_gives_clean_features(leads: list[DemoLead]) -> None:
    for lead in leads:
        features = lead_features(lead.data, as_of=lead.created_at.date())
        assert set(features) == {column.name for column in LEAD_COLUMNS}
        assert features["request"] is not None and features["channel"] is not None


def test_outcomes_follow_the_stated_process(leads: list[DemoLead]) -> None:
    closed = [lead for lead in leads if lead.status in CLOSED]

    def share(picked: list[DemoLead]) -> float:
        return sum(lead.status == LeadStatus.converted for lead in picked) / len(picked)

    by_authority = {
        a: share([lead for lead in closed if lead.data["authority"] == a])
        for a in ("decision_maker", "user")
    }
    looking = [lead for lead in closed if (lead.data["timeline"] or {}).get("just_looking")]
    soon = [lead for lead in closed if (lead.data["timeline"] or {}).get("asap")]
    assert by_authority["decision_maker"] > by_authority["user"] + 0.25
    assert share(soon) > share(looking) + 0.25
    # The recorded chance is the logit of the stated process plus noise.
    likely = [lead for lead in closed if true_logit(lead.data, lead.created_at) > 1.0]
    unlikely = [lead for lead in closed if true_logit(lead.data, lead.created_at) < -2.0]
    assert share(likely) > 0.6 and share(unlikely) < 0.2


def test_seeding_writes_the_leads_once(store_session: Session, leads: list[DemoLead]) -> None:
    seed_demo_shop(store_session, seed=42)
    contact_ids = dict(
        store_session.execute(sa.select(Contact.external_ref, Contact.id)).tuples().all()
    )

    assert seed_demo_leads(store_session, leads, contact_ids) == 0  # already there
    count = store_session.scalar(sa.select(sa.func.count()).select_from(Lead))
    assert count == len(leads)
    first = leads[0]
    contact = contacts.get_by_external_ref(store_session, first.customer_ref)
    assert contact is not None
    stored = store_session.scalars(
        sa.select(Lead).where(Lead.contact_id == contact.id).order_by(Lead.created_at)
    ).first()
    assert stored is not None
    assert (stored.created_at, stored.qualified_at) == (first.created_at, first.created_at)
    assert (stored.status, stored.closed_at, stored.data) == (
        first.status,
        first.closed_at,
        first.data,
    )
    assert stored.conversation_id is None and stored.score is None
    closed = sum(lead.status in CLOSED for lead in leads)
    assert len(training_rows(store_session)) == closed
