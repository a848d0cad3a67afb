"""Value runs on a real store: values and memberships written, changes tracked, failures safe."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from automation.values import recompute_values, refresh_rule_segments
from crm_bridge import customer_values, segment_memberships, segments
from crm_bridge.db import make_engine, make_session_factory
from crm_bridge.enums import OrderStatus
from crm_bridge.models import CustomerValue, Order, ValueRun
from tests.utils.factories import make_contact, make_order, make_product

NOW = datetime(2026, 11, 23, 6, tzinfo=UTC)
Factory = Callable[[], Session]


@pytest.fixture
def factory(sqlite_url: str) -> Iterator[Factory]:
    engine = make_engine(sqlite_url)
    yield make_session_factory(engine)
    engine.dispose()


def _shop(factory: Factory, *, customers: int, repeat: bool, seed: int = 0) -> list[int]:
    """Customers with 1-8 orders over two years (one each when not ``repeat``)."""
    rng = random.Random(seed)
    ids = []
    with factory() as session:
        product = make_product(session, price=Decimal("10.00"))
        for _ in range(customers):
            contact = make_contact(session)
            ids.append(contact.id)
            for _ in range(rng.randint(1, 8) if repeat else 1):
                placed_at = NOW - timedelta(days=rng.randint(1, 700), hours=rng.randint(0, 23))
                items = [(product, rng.randint(1, 6))]
                make_order(session, contact=contact, items=items, placed_at=placed_at)
        session.commit()
    return ids


def _values(factory: Factory) -> dict[int, CustomerValue]:
    with factory() as session:
        return {v.contact_id: v for v in session.scalars(sa.select(CustomerValue))}


def test_a_run_values_every_customer_and_fills_the_segments(factory: Factory) -> None:
    ids = _shop(factory, customers=60, repeat=True)
    with factory() as session:
        make_contact(session)  # never ordered: no value
        session.commit()

    result = recompute_values(factory, now=NOW, triggered_by="test")

    assert result.status == "ok" and result.customers == 60, result.message
    values = _values(factory)
    assert set(values) == set(ids)
    assert all(
        v.clv is not None and v.clv >= 0 and 0 <= (v.p_alive or 0) <= 1 for v in values.values()
    )
    assert all(1 <= v.r_score <= 5 and v.run_id == result.run_id for v in values.values())
    with factory() as session:
        run = session.get(ValueRun, result.run_id)
        assert run is not None and run.status == "ok" and run.customers == 60
        assert run.triggered_by == "test" and run.finished_at and run.finished_at >= NOW
        report = run.report
        for value in values.values():
            assert value.contact_id in segment_memberships.members(
                session, f"rfm:{value.rfm_segment}"
            )
            assert value.contact_id in segment_memberships.members(
                session, f"cluster:{value.cluster}"
            )
    assert report["clv"]["fitted"] is True and report["clv"]["params"]["bgnbd"]["r"] > 0
    assert report["memberships"] == {"entered": 120, "left": 0}
    assert sum(s["customers"] for s in report["rfm"]["segments"].values()) == 60
    assert sum(item["size"] for item in report["clusters"]["items"]) == 60
    assert report["clusters"]["k"] in {int(k) for k in report["clusters"]["silhouette"]}


def test_a_second_run_moves_contacts_in_and_out(factory: Factory) -> None:
    ids = _shop(factory, customers=40, repeat=True)
    recompute_values(factory, now=NOW)
    gone = ids[0]
    before = _values(factory)[gone]
    with factory() as session:  # every order of one customer is returned; a new customer buys
        session.execute(
            sa.update(Order).where(Order.contact_id == gone).values(status=OrderStatus.returned)
        )
        newcomer = make_contact(session)
        make_order(session, contact=newcomer, placed_at=NOW - timedelta(hours=1))
        session.commit()
        newcomer_id = newcomer.id

    later = NOW + timedelta(days=1)
    result = recompute_values(factory, now=later)

    assert result.status == "ok" and result.customers == 40
    values = _values(factory)
    assert gone not in values and newcomer_id in values
    with factory() as session:
        assert segment_memberships.current_segments(session, gone) == []
        assert gone not in segment_memberships.members(session, f"rfm:{before.rfm_segment}")
        entered = segment_memberships.entries_since(session, after=NOW)
        assert {m.contact_id for m in entered} >= {newcomer_id}
        assert all(m.entered_at == later for m in entered)
        report = customer_values.latest_run(session).report  # type: ignore[union-attr]
    assert report["memberships"]["left"] >= 2  # at least the returned customer's two segments


def test_a_failed_run_keeps_the_previous_values(factory: Factory) -> None:
    _shop(factory, customers=40, repeat=True)
    first = recompute_values(factory, now=NOW)
    values_before = {k: (v.clv, v.run_id) for k, v in _values(factory).items()}

    failed = recompute_values(factory, now=NOW + timedelta(days=1), horizon_days=0)

    assert failed.status == "failed" and "horizon_days > 0" in failed.message
    assert {k: (v.clv, v.run_id) for k, v in _values(factory).items()} == values_before
    with factory() as session:
        run = session.get(ValueRun, failed.run_id)
        assert run is not None and run.status == "failed" and "horizon_days" in (run.error or "")
        assert customer_values.latest_successful_run(session).id == first.run_id  # type: ignore[union-attr]
        assert segment_memberships.entries_since(session, after=NOW) == []


def test_too_little_repeat_history_keeps_rfm_and_clusters_without_clv(factory: Factory) -> None:
    ids = _shop(factory, customers=30, repeat=False)

    result = recompute_values(factory, now=NOW)

    assert result.status == "ok" and "no CLV" in result.message
    values = _values(factory)
    assert set(values) == set(ids)
    assert all(v.clv is None and v.p_alive is None and v.rfm_segment for v in values.values())
    with factory() as session:
        report = customer_values.latest_run(session).report  # type: ignore[union-attr]
    assert report["clv"]["fitted"] is False
    assert "0 customers bought more than once" in report["clv"]["reason"]
    assert report["clusters"]["items"]


def test_an_empty_shop_gives_an_empty_ok_run(factory: Factory) -> None:
    result = recompute_values(factory, now=NOW)

    assert result.status == "ok" and result.customers == 0
    assert _values(factory) == {}


def test_rule_segments_are_refreshed_from_their_rules(factory: Factory) -> None:
    ids = _shop(factory, customers=30, repeat=True, seed=3)
    recompute_values(factory, now=NOW)
    with factory() as session:
        segment = segments.create_segment(
            session,
            name="Frequent",
            rules={"field": "value.order_count", "op": "gt", "value": 4},
            created_by="m@shop.test",
        )
        session.commit()
        frequent = {c for c, v in _values(factory).items() if v.order_count > 4}

    changes = refresh_rule_segments(factory, now=NOW)

    assert frequent and changes[segment.id].entered == sorted(frequent)
    with factory() as session:
        segments.update_segment(session, segment.id, name="Frequent", rules={"all": []})
        session.commit()
    again = refresh_rule_segments(factory, now=NOW + timedelta(hours=1))
    assert again[segment.id].entered == sorted(set(ids) - frequent)
    assert again[segment.id].left == []
