"""Order histories in, value rows and a run report out: the CRM side of `marketing`'s models.

Plain data both ways (`crm_bridge.customer_values.ContactHistory` in, `ValueRow` out), so
it runs and tests without a store. Recency is whole days from the last order to ``now``;
CLV uses days since the epoch (UTC), so a customer's purchases on one UTC day are one
purchase, as the BG/NBD summary expects.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np

from crm_bridge.customer_values import ContactHistory, ValueRow
from marketing.clv import ClvPrediction, NotEnoughHistory, fit_clv, summarise
from marketing.segmentation import LABELS, Clustering, cluster_customers, compute_rfm

_CENT = Decimal("0.01")
_DAY_SECONDS = 86_400.0


@dataclass(frozen=True)
class ScoredValues:
    """One row per customer and the report of the run (JSON-ready)."""

    rows: list[ValueRow]
    report: dict[str, Any] = field(default_factory=dict)

    def memberships(self, kind: str) -> dict[str, set[int]]:
        """Contact ids per segment key of one kind: ``"rfm"`` or ``"cluster"``."""
        groups: dict[str, set[int]] = {}
        for row in self.rows:
            name = row.rfm_segment if kind == "rfm" else row.cluster
            groups.setdefault(f"{kind}:{name}", set()).add(row.contact_id)
        return groups


def score_customers(
    history: list[ContactHistory],
    *,
    now: datetime,
    horizon_days: int = 365,
    annual_discount_rate: float = 0.10,
) -> ScoredValues:
    """RFM scores, a cluster and (when the model fits) CLV for every customer given."""
    ids = [h.contact_id for h in history]
    recency = np.array([max((now - h.placed_at[-1]).days, 0) for h in history], dtype=float)
    counts = np.array([h.order_count for h in history], dtype=float)
    spent = np.array([float(h.total_spent) for h in history], dtype=float)
    rfm = compute_rfm(ids, recency, counts, spent)
    clustering = cluster_customers(recency, counts, spent)
    prediction, clv_report = _clv(history, now, horizon_days, annual_discount_rate)
    rows = [
        ValueRow(
            contact_id=h.contact_id,
            first_order_at=h.placed_at[0],
            last_order_at=h.placed_at[-1],
            order_count=h.order_count,
            total_spent=h.total_spent.quantize(_CENT),
            recency_days=int(recency[i]),
            r_score=rfm[i].recency,
            f_score=rfm[i].frequency,
            m_score=rfm[i].monetary,
            rfm_segment=rfm[i].segment,
            cluster=clustering.name_of(i),
            currency=h.currency,
            **_predicted(prediction, h.contact_id),
        )
        for i, h in enumerate(history)
    ]
    if prediction is not None:
        clv_report["total_clv"] = float(sum(r.clv for r in rows if r.clv is not None))
    sizes = Counter(row.rfm_segment for row in rows)
    report = {
        "as_of": now.isoformat(),
        "customers": len(rows),
        "orders": int(counts.sum()),
        "rfm": {
            "segments": {
                key: {"label": label, "customers": sizes.get(key, 0)}
                for key, label in LABELS.items()
            }
        },
        "clusters": _cluster_report(clustering),
        "clv": clv_report,
    }
    return ScoredValues(rows, report)


def _clv(
    history: list[ContactHistory], now: datetime, horizon_days: int, annual_discount_rate: float
) -> tuple[dict[int, dict[str, Any]] | None, dict[str, Any]]:
    report: dict[str, Any] = {
        "fitted": False,
        "reason": None,
        "horizon_days": horizon_days,
        "annual_discount_rate": annual_discount_rate,
    }
    ids = [h.contact_id for h in history for _ in h.placed_at]
    days = [t.timestamp() / _DAY_SECONDS for h in history for t in h.placed_at]
    amounts = [float(total) for h in history for total in h.totals]
    summary = summarise(ids, days, amounts, observation_end=now.timestamp() / _DAY_SECONDS)
    try:
        model = fit_clv(summary)
    except NotEnoughHistory as reason:
        report["reason"] = str(reason) or "not enough repeat purchases"
        return None, report
    predicted = model.predict(summary, horizon_days, annual_discount_rate)
    report.update(
        fitted=True,
        customers=model.customers,
        repeat_customers=model.repeat_customers,
        log_likelihood=_number(model.log_likelihood),
        spend_log_likelihood=_number(model.spend_log_likelihood),
        params={
            "bgnbd": {k: _number(v) for k, v in vars(model.purchases).items()},
            "gamma_gamma": {k: _number(v) for k, v in vars(model.spend).items()},
        },
    )
    return _by_customer(predicted), report


def _by_customer(predicted: ClvPrediction) -> dict[int, dict[str, Any]]:
    result = {}
    for i, contact_id in enumerate(predicted.customer_ids.tolist()):
        result[int(contact_id)] = {
            "p_alive": _number(predicted.p_alive[i]),
            "expected_purchases": _number(predicted.expected_purchases[i]),
            "expected_order_value": _money(predicted.expected_order_value[i]),
            "clv": _money(predicted.clv[i]),
        }
    return result


def _predicted(prediction: dict[int, dict[str, Any]] | None, contact_id: int) -> dict[str, Any]:
    if prediction is None:
        return {}
    return prediction.get(contact_id, {})


def _cluster_report(clustering: Clustering) -> dict[str, Any]:
    return {
        "k": clustering.k,
        "chosen_by": "silhouette" if clustering.silhouette else "too few customers to split",
        "silhouette": {str(k): round(v, 4) for k, v in sorted(clustering.silhouette.items())},
        "features": list(clustering.feature_names),
        "items": [
            {
                "name": name,
                "size": clustering.sizes[i],
                "centroid": {
                    feature: round(float(clustering.centroids[i][j]), 2)
                    for j, feature in enumerate(clustering.feature_names)
                },
            }
            for i, name in enumerate(clustering.names)
        ],
    }


def _number(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def _money(value: Any) -> Decimal | None:
    number = _number(value)
    return None if number is None else Decimal(str(number)).quantize(_CENT)
