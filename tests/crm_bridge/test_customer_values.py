"""Customer values in the store: purchase history, replacing a run's rows, sums per segment."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from crm_bridge import customer_values, segment_memberships
from crm_bridge.customer_values import SegmentValue, ValueRow
from crm_bridge.enums import OrderStatus
from crm_bridge.models import Contact, ContactTag, CustomerValue, Order, ValueRun
from tests.utils.factories import make_contact, make_order, make_product

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
REPORT = {"rfm": {"segments": {"champions": {"label": "Champions", "customers": 2}}}}


def _run(session: Session, *, status: str = "ok", minutes_ago: int = 0) -> ValueRun:
    run = ValueRun(started_at=NOW - timedelta(minutes=minutes_ago), status=status, report=REPORT)
    session.add(run)
    session.flush()
    return run


def _row(contact_id: int, *, segment: str = "champions", cluster: str = "Big spenders", **fields):
    values = {
        "contact_id": contact_id,
        "first_order_at": NOW - timedelta(days=100),
        "last_order_at": NOW - timedelta(days=3),
        "order_count": 4,
        "total_spent": Decimal("200.00"),
        "recency_days": 3,
        "r_score": 5,
        "f_score": 4,
        "m_score": 4,
        "rfm_segment": segment,
        "cluster": cluster,
        "clv": Decimal("120.50"),
        "p_alive": 0.9,
        "expected_purchases": 2.5,
        "expected_order_value": Decimal("48.20"),
    }
    values.update(fields)
    return ValueRow(**values)


def test_purchase_history_counts_only_purchases_up_to_the_end(store_session: Session) -> None:
    buyer, other = make_contact(store_session), make_contact(store_session)
    product = make_product(store_session, price=Decimal("10.00"))

    def order(contact: Contact, quantity: int, placed_at: datetime, **fields: Any) -> Order:
        items = [(product, quantity)]
        return make_order(
            store_session, contact=contact, items=items, placed_at=placed_at, **fields
        )

    first = order(buyer, 2, NOW - timedelta(days=9))
    order(buyer, 1, NOW - timedelta(days=2))
    for status in (OrderStatus.cancelled, OrderStatus.returned):
        order(buyer, 5, NOW, status=status)
    order(buyer, 7, NOW + timedelta(days=1))
    order(other, 3, NOW - timedelta(days=1), status=OrderStatus.paid)

    history = {h.contact_id: h for h in customer_values.purchase_history(store_session, until=NOW)}

    mine = history[buyer.id]
    assert mine.placed_at == (first.placed_at, NOW - timedelta(days=2))
    assert mine.totals == (Decimal("20.00"), Decimal("10.00"))
    assert mine.order_count == 2 and mine.total_spent == Decimal("30.00")
    assert history[other.id].totals == (Decimal("30.00"),)
    assert len(customer_values.purchase_history(store_session)[0].placed_at) >= 1


def test_replacing_values_keeps_only_the_new_runs_rows(store_session: Session) -> None:
    kept, dropped = make_contact(store_session), make_contact(store_session)
    old = _run(store_session, minutes_ago=60)
    customer_values.replace_customer_values(
        store_session, run=old, rows=[_row(kept.id), _row(dropped.id)]
    )
    new = _run(store_session)

    written = customer_values.replace_customer_values(
        store_session, run=new, rows=[_row(kept.id, clv=None, segment="lost")]
    )

    assert written == 1
    assert customer_values.get_customer_value(store_session, dropped.id) is None
    value = customer_values.get_customer_value(store_session, kept.id)
    assert value is not None and value.run_id == new.id
    assert value.rfm_segment == "lost" and value.clv is None
    assert value.total_spent == Decimal("200.00") and value.last_order_at == NOW - timedelta(days=3)


def test_latest_run_and_latest_successful_run(store_session: Session) -> None:
    assert customer_values.latest_run(store_session) is None
    ok = _run(store_session, minutes_ago=30)
    failed = _run(store_session, status="failed", minutes_ago=5)

    assert customer_values.latest_run(store_session).id == failed.id  # type: ignore[union-attr]
    assert customer_values.latest_successful_run(store_session).id == ok.id  # type: ignore[union-attr]
    assert customer_values.rfm_labels(store_session) == {"champions": "Champions"}


def test_clv_by_segment_sums_per_rfm_segment_and_cluster(store_session: Session) -> None:
    contacts = [make_contact(store_session) for _ in range(4)]
    run = _run(store_session)
    rows = [
        _row(contacts[0].id, clv=Decimal("100.00"), cluster="Big spenders"),
        _row(contacts[1].id, clv=Decimal("50.00"), cluster="Small spenders"),
        _row(contacts[2].id, segment="at_risk", clv=None, cluster="Small spenders"),
        _row(contacts[3].id, segment="at_risk", clv=Decimal("10.00"), cluster="Small spenders",
             order_count=2, total_spent=Decimal("30.00")),
    ]  # fmt: skip
    customer_values.replace_customer_values(store_session, run=run, rows=rows)

    values = customer_values.clv_by_segment(store_session)

    big, small = "Big spenders", "Small spenders"
    assert values == [
        SegmentValue("rfm", "champions", "Champions", 2, Decimal("75.00"), Decimal("150.00")),
        # Not in the run's report: a readable label from the key; the average is over
        # customers with a CLV, the count over all.
        SegmentValue("rfm", "at_risk", "At risk", 2, Decimal("10.00"), Decimal("10.00")),
        SegmentValue("cluster", big, big, 1, Decimal("100.00"), Decimal("100.00")),
        SegmentValue("cluster", small, small, 3, Decimal("30.00"), Decimal("60.00")),
    ]
    at_risk = customer_values.segment_summary(store_session).rfm[1]
    assert at_risk.average_orders == 3.0 and at_risk.average_spent == Decimal("115.00")


def test_segments_without_any_clv_report_none(db_session: Session) -> None:
    contact = make_contact(db_session)
    customer_values.replace_customer_values(
        db_session, run=_run(db_session), rows=[_row(contact.id, clv=None)]
    )

    [rfm, cluster] = customer_values.clv_by_segment(db_session)

    assert rfm.customers == 1 and rfm.average_clv is None and rfm.total_clv is None
    assert cluster.kind == "cluster" and cluster.total_clv is None


def test_value_card_names_segments_and_lists_tags(db_session: Session) -> None:
    contact = make_contact(db_session)
    customer_values.replace_customer_values(
        db_session, run=_run(db_session), rows=[_row(contact.id)]
    )
    for key in ("rfm:champions", "cluster:Big spenders", "rule:99999"):
        segment_memberships.sync_segment(
            db_session, segment_key=key, contact_ids={contact.id}, now=NOW
        )
    db_session.add_all(
        [ContactTag(contact_id=contact.id, tag=t, added_by="a@shop.test") for t in ("vip", "b2b")]
    )
    db_session.flush()

    card = customer_values.value_card(db_session, contact.id)
    empty = customer_values.value_card(db_session, make_contact(db_session).id)

    assert isinstance(card.value, CustomerValue) and card.rfm_label == "Champions"
    assert card.segments == ["Cluster: Big spenders", "RFM: Champions", "rule:99999"]
    assert card.tags == ["b2b", "vip"]
    assert empty.value is None and empty.segments == [] and empty.tags == []
