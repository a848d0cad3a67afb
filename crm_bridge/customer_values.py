"""Customer value in the store: order history in, RFM scores, clusters and CLV out.

A value run (`automation.values`) reads `purchase_history`, scores it with `marketing`
and writes one `CustomerValue` per customer with `replace_customer_values`; the console
and the analytics dashboard read them back per customer or summed per segment. RFM
segment labels come from the run's report (``report["rfm"]["segments"][key]["label"]``),
since this package does not import `marketing`.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.models import ContactTag, CustomerValue, Order, Segment, ValueRun
from crm_bridge.orders import NOT_PURCHASED
from crm_bridge.segment_memberships import current_segments

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class ContactHistory:
    """One customer's purchases as plain data: order times and totals, oldest first."""

    contact_id: int
    placed_at: tuple[datetime, ...]
    totals: tuple[Decimal, ...]
    currency: str

    @property
    def order_count(self) -> int:
        return len(self.placed_at)

    @property
    def total_spent(self) -> Decimal:
        return sum(self.totals, start=Decimal("0.00"))


@dataclass(frozen=True)
class ValueRow:
    """What a value run found for one customer (the columns of `CustomerValue`)."""

    contact_id: int
    first_order_at: datetime
    last_order_at: datetime
    order_count: int
    total_spent: Decimal
    recency_days: int
    r_score: int
    f_score: int
    m_score: int
    rfm_segment: str
    cluster: str
    p_alive: float | None = None
    expected_purchases: float | None = None
    expected_order_value: Decimal | None = None
    clv: Decimal | None = None
    currency: str = "EUR"


@dataclass(frozen=True)
class SegmentValue:
    """Customers and lifetime value of one RFM segment (``kind`` "rfm") or cluster ("cluster")."""

    kind: str
    key: str
    label: str
    customers: int
    average_clv: Decimal | None
    total_clv: Decimal | None


@dataclass(frozen=True)
class SegmentStats:
    """A segment's value plus its average order count and spend, for the segments page."""

    value: SegmentValue
    average_orders: float
    average_spent: Decimal


@dataclass(frozen=True)
class SegmentSummary:
    """Every RFM segment and every cluster of the latest values, biggest total CLV first."""

    rfm: list[SegmentStats]
    clusters: list[SegmentStats]


@dataclass(frozen=True)
class ValueCard:
    """A contact's value as the conversation page shows it."""

    value: CustomerValue | None
    rfm_label: str | None
    segments: list[str]
    tags: list[str]


def purchase_history(session: Session, *, until: datetime | None = None) -> list[ContactHistory]:
    """Orders that count as purchases (not cancelled or returned), grouped per contact."""
    statement = (
        sa.select(Order.contact_id, Order.placed_at, Order.total, Order.currency)
        .where(Order.status.not_in(NOT_PURCHASED))
        .order_by(Order.contact_id, Order.placed_at, Order.id)
    )
    if until is not None:
        statement = statement.where(Order.placed_at <= until)
    grouped: dict[int, list[tuple[datetime, Decimal, str]]] = {}
    for contact_id, placed_at, total, currency in session.execute(statement):
        grouped.setdefault(contact_id, []).append((placed_at, Decimal(total), currency))
    return [
        ContactHistory(
            contact_id=contact_id,
            placed_at=tuple(row[0] for row in rows),
            totals=tuple(row[1] for row in rows),
            currency=rows[-1][2],
        )
        for contact_id, rows in grouped.items()
    ]


def replace_customer_values(session: Session, *, run: ValueRun, rows: Iterable[ValueRow]) -> int:
    """Swap every stored value for this run's rows (the caller commits both at once)."""
    session.execute(sa.delete(CustomerValue))
    computed_at = run.finished_at or run.started_at
    values = [{**asdict(row), "run_id": run.id, "computed_at": computed_at} for row in rows]
    for start in range(0, len(values), 500):
        session.execute(sa.insert(CustomerValue), values[start : start + 500])
    session.flush()
    return len(values)


def get_customer_value(session: Session, contact_id: int) -> CustomerValue | None:
    """The contact's value from the latest run, or None (no purchase, or never computed)."""
    return session.get(CustomerValue, contact_id)


def latest_run(session: Session) -> ValueRun | None:
    """The newest value run, whatever its status."""
    statement = sa.select(ValueRun).order_by(ValueRun.started_at.desc(), ValueRun.id.desc())
    return session.scalars(statement.limit(1)).first()


def latest_successful_run(session: Session) -> ValueRun | None:
    """The newest run whose values are the ones stored now."""
    statement = (
        sa.select(ValueRun)
        .where(ValueRun.status == "ok")
        .order_by(ValueRun.started_at.desc(), ValueRun.id.desc())
    )
    return session.scalars(statement.limit(1)).first()


def rfm_labels(session: Session) -> dict[str, str]:
    """RFM segment key -> label, as the latest successful run reported them."""
    run = latest_successful_run(session)
    segments = ((run.report if run else {}).get("rfm") or {}).get("segments") or {}
    return {key: str(info.get("label") or _plain(key)) for key, info in segments.items()}


def clv_by_segment(session: Session) -> list[SegmentValue]:
    """Customers, average and total CLV per RFM segment, then per cluster."""
    summary = segment_summary(session)
    return [stats.value for stats in summary.rfm + summary.clusters]


def segment_summary(session: Session) -> SegmentSummary:
    """Per RFM segment and per cluster: customers, CLV, average orders and spend."""
    labels = rfm_labels(session)
    return SegmentSummary(
        rfm=_stats(session, "rfm", CustomerValue.rfm_segment, labels),
        clusters=_stats(session, "cluster", CustomerValue.cluster, {}),
    )


def value_card(session: Session, contact_id: int) -> ValueCard:
    """The contact's value, the segments they are in now (readable) and their tags."""
    value = get_customer_value(session, contact_id)
    labels = rfm_labels(session)
    tags = sa.select(ContactTag.tag).where(ContactTag.contact_id == contact_id)
    keys = current_segments(session, contact_id)
    return ValueCard(
        value=value,
        rfm_label=labels.get(value.rfm_segment, _plain(value.rfm_segment)) if value else None,
        segments=[_segment_name(session, key, labels) for key in keys],
        tags=list(session.scalars(tags.order_by(ContactTag.tag))),
    )


def _stats(session: Session, kind: str, column: Any, labels: dict[str, str]) -> list[SegmentStats]:
    statement = sa.select(
        column,
        sa.func.count(),
        sa.func.count(CustomerValue.clv),
        sa.func.sum(CustomerValue.clv),
        sa.func.avg(CustomerValue.order_count),
        sa.func.sum(CustomerValue.total_spent),
    ).group_by(column)
    result = []
    for key, customers, valued, clv_total, orders, spent in session.execute(statement):
        total = _money(clv_total) if valued else None
        value = SegmentValue(
            kind=kind,
            key=key,
            label=labels.get(key, _plain(key)) if kind == "rfm" else key,
            customers=customers,
            average_clv=(total / valued).quantize(_CENT) if total is not None else None,
            total_clv=total,
        )
        average_spent = (_money(spent) / customers).quantize(_CENT)
        result.append(SegmentStats(value, round(float(orders), 2), average_spent))
    result.sort(key=lambda s: (-(s.value.total_clv or 0), -s.value.customers, s.value.key))
    return result


def _segment_name(session: Session, key: str, labels: dict[str, str]) -> str:
    kind, _, name = key.partition(":")
    if kind == "rfm":
        return f"RFM: {labels.get(name, _plain(name))}"
    if kind == "cluster":
        return f"Cluster: {name}"
    if kind == "rule" and name.isdigit():
        segment = session.get(Segment, int(name))
        return f"Segment: {segment.name}" if segment else key
    return key


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(_CENT)


def _plain(key: str) -> str:
    return key.replace("_", " ").capitalize()
