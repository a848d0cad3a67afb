"""Value runs: RFM scores, behavioural clusters and CLV for every customer, and memberships.

`recompute_values` records a run first (committed, status ``running``), then reads the
order history, scores it with `marketing.segmentation` and `marketing.clv`, swaps the
stored values, moves contacts in and out of the ``rfm:*`` and ``cluster:*`` segments and
marks the run ``ok``, all in one transaction: a failure marks the run ``failed`` with the
error and leaves the previous values as they were. Too little repeat history for the
CLV model is not a failure: RFM and clusters are stored, the CLV columns stay empty and
the reason is in ``report["clv"]["reason"]``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits

from automation.value_scoring import score_customers
from crm_bridge import customer_values, segment_memberships, segment_rules, segments
from crm_bridge.models import ValueRun

logger = logging.getLogger(__name__)

SessionFactory = Callable[[], Session]


@dataclass(frozen=True)
class ValueRunResult:
    """How a run ended: ``ok`` or ``failed``, customers valued, and a one-line message."""

    run_id: int
    status: str
    customers: int
    message: str


def recompute_values(
    session_factory: SessionFactory,
    *,
    now: datetime,
    horizon_days: int = 365,
    annual_discount_rate: float = 0.10,
    triggered_by: str = "schedule",
) -> ValueRunResult:
    """Recompute every customer's value as of ``now``; the previous values stay on failure."""
    started = time.monotonic()
    with session_factory() as session:
        run = ValueRun(
            started_at=now,
            status="running",
            horizon_days=horizon_days,
            annual_discount_rate=annual_discount_rate,
            triggered_by=triggered_by[:254],
            report={},
        )
        session.add(run)
        session.commit()
        run_id = run.id
    try:
        with session_factory() as session:
            result = _compute(
                session, run_id, now, horizon_days, annual_discount_rate, started=started
            )
            session.commit()
        return result
    except Exception as error:
        logger.exception("value run %s failed", run_id)
        message = f"{error.__class__.__name__}: {error}"
        with session_factory() as session:
            failed = session.get(ValueRun, run_id)
            if failed is not None:
                failed.status = "failed"
                failed.error = message[:4000]
                failed.finished_at = now + timedelta(seconds=time.monotonic() - started)
                session.commit()
        return ValueRunResult(run_id, "failed", 0, f"value run failed: {message}")


def refresh_rule_segments(
    session_factory: SessionFactory, *, now: datetime
) -> dict[int, segment_memberships.MembershipChange]:
    """Bring every saved segment's ``rule:<id>`` members up to date, one transaction each."""
    with session_factory() as session:
        segment_ids = [segment.id for segment in segments.list_segments(session)]
    changes = {}
    for segment_id in segment_ids:
        with session_factory() as session:
            segment = segments.get_segment(session, segment_id)
            if segment is None:  # deleted meanwhile
                continue
            try:
                ids = segment_rules.matching_contact_ids(session, segment.rules, now=now)
            except segment_rules.InvalidRules as error:
                logger.warning("segment %s has rules that no longer hold: %s", segment_id, error)
                continue
            changes[segment_id] = segment_memberships.sync_segment(
                session, segment_key=segments.segment_key(segment_id), contact_ids=ids, now=now
            )
            session.commit()
    return changes


def _compute(
    session: Session,
    run_id: int,
    now: datetime,
    horizon_days: int,
    annual_discount_rate: float,
    *,
    started: float,
) -> ValueRunResult:
    run = session.get(ValueRun, run_id)
    assert run is not None  # committed just before
    history = customer_values.purchase_history(session, until=now)
    # One thread: k-means on a few thousand rows gains nothing from more, and the gateway
    # that runs this in the background keeps its cores for customers.
    with threadpool_limits(1):
        scored = score_customers(
            history, now=now, horizon_days=horizon_days, annual_discount_rate=annual_discount_rate
        )
    customer_values.replace_customer_values(session, run=run, rows=scored.rows)
    rfm = segment_memberships.sync_prefix(
        session, prefix="rfm:", memberships=scored.memberships("rfm"), now=now
    )
    clusters = segment_memberships.sync_prefix(
        session, prefix="cluster:", memberships=scored.memberships("cluster"), now=now
    )
    changes = {**rfm, **clusters}
    report = dict(scored.report)
    report["memberships"] = {
        "entered": sum(len(c.entered) for c in changes.values()),
        "left": sum(len(c.left) for c in changes.values()),
    }
    report["seconds"] = round(time.monotonic() - started, 3)
    run.finished_at = now + timedelta(seconds=report["seconds"])
    run.report = report
    run.customers = len(scored.rows)
    run.status = "ok"
    session.flush()
    clv = report["clv"]
    fitted = "CLV fitted" if clv["fitted"] else f"no CLV ({clv['reason']})"
    message = (
        f"{len(scored.rows)} customers, {report['clusters']['k']} clusters, {fitted}, "
        f"{report['seconds']:.1f} s"
    )
    return ValueRunResult(run_id, "ok", len(scored.rows), message)
