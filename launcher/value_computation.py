"""Compute customer values from the launcher: `python -m launcher compute-values`.

One value run (`automation.values.recompute_values`) over the CRM store, then the rule
segments' members, and a few lines for the terminal: customers, RFM segment sizes, the
clusters and how k was chosen, whether the CLV model was fitted (or why not), the time.
`ensure_values` is the first-run variant: it computes only when no run has succeeded yet.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from automation.values import ValueRunResult, recompute_values, refresh_rule_segments
from crm_bridge import customer_values, db
from crm_bridge.column_types import utcnow
from crm_bridge.errors import StoreUnavailable
from crm_bridge.settings import StoreSettings
from launcher.errors import StartupError


def compute(
    database_url: str, *, now: datetime | None = None, triggered_by: str = "launcher"
) -> ValueRunResult:
    """One value run and a refresh of the rule segments, on an engine of its own."""
    engine = db.make_engine(database_url)
    try:
        factory = db.make_session_factory(engine)
        moment = now or utcnow()
        result = recompute_values(factory, now=moment, triggered_by=triggered_by)
        if result.status == "ok":
            refresh_rule_segments(factory, now=moment)
        return result
    finally:
        engine.dispose()


def ensure_values(database_url: str, *, now: datetime | None = None) -> ValueRunResult | None:
    """Compute once when no value run has succeeded yet; None when values exist."""
    engine = db.make_engine(database_url)
    try:
        with db.make_session_factory(engine)() as session:
            if customer_values.latest_successful_run(session) is not None:
                return None
    finally:
        engine.dispose()
    return compute(database_url, now=now, triggered_by="first run")


def compute_values_command(store: StoreSettings) -> str:
    """`compute-values`: run, then describe the run; `StartupError` (one line) when it failed."""
    started = time.monotonic()
    url = store.resolved_database_url()
    try:
        db.check_connection(url)
        result = compute(url)
    except StoreUnavailable as error:
        raise StartupError(str(error)) from None
    except SQLAlchemyError as error:  # e.g. a store that was never migrated
        first_line = str(error).splitlines()[0]
        raise StartupError(f"cannot record a value run in the CRM store: {first_line}") from None
    if result.status != "ok":
        raise StartupError(result.message)
    return describe(url, result, seconds=time.monotonic() - started)


def describe(database_url: str, result: ValueRunResult, *, seconds: float) -> str:
    """The run's figures in a few lines, for the terminal."""
    engine = db.make_engine(database_url)
    try:
        with db.make_session_factory(engine)() as session:
            run = customer_values.latest_successful_run(session)
            report: dict[str, Any] = dict(run.report) if run else {}
    finally:
        engine.dispose()
    lines = [f"Value run #{result.run_id}: {result.customers} customers in {seconds:.1f} s"]
    segments = (report.get("rfm") or {}).get("segments") or {}
    sizes = [(info["label"], info["customers"]) for info in segments.values() if info["customers"]]
    lines.append("RFM segments: " + (", ".join(f"{n} {c}" for n, c in sizes) or "none"))
    clusters = report.get("clusters") or {}
    lines.append(f"Clusters: k = {clusters.get('k')} ({clusters.get('chosen_by')})")
    lines += [f"  {item['name']}: {item['size']} customers" for item in clusters.get("items", [])]
    clv = report.get("clv") or {}
    if clv.get("fitted"):
        lines.append(
            f"CLV: fitted on {clv['customers']} customers ({clv['repeat_customers']} repeat), "
            f"{clv['horizon_days']} days at {clv['annual_discount_rate']:.0%} a year, "
            f"total {clv.get('total_clv', 0):,.2f}"
        )
    else:
        lines.append(f"CLV: not fitted: {clv.get('reason')}")
    return "\n".join(lines)
