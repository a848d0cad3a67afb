"""RFM segments and k-means clusters of the customers as they stood at one day's end."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np

from benchmarks.clv.retail_orders import OrderLine
from marketing.segmentation import cluster_customers, compute_rfm, label


def segment_report(lines: Sequence[OrderLine], as_of: date) -> dict[str, Any]:
    """Segment every customer with an order up to ``as_of`` (days ago counted from it)."""
    last: dict[int, date] = {}
    invoices: dict[int, set[str]] = defaultdict(set)
    spent: dict[int, float] = defaultdict(float)
    for line in lines:
        day = line.when.date()
        if day > as_of:
            continue
        last[line.customer] = max(last.get(line.customer, day), day)
        invoices[line.customer].add(line.invoice)
        spent[line.customer] += line.amount
    ids = sorted(last)
    days_ago = np.array([(as_of - last[c]).days for c in ids], dtype=float)
    orders = np.array([len(invoices[c]) for c in ids], dtype=float)
    money = np.array([spent[c] for c in ids])
    rfm = Counter(score.segment for score in compute_rfm(ids, days_ago, orders, money))
    clusters = cluster_customers(days_ago, orders, money)
    return {
        "as_of": as_of.isoformat(),
        "customers": len(ids),
        "rfm_segments": {
            label(name): count for name, count in sorted(rfm.items(), key=lambda kv: -kv[1])
        },
        "kmeans": {
            "k": clusters.k,
            "silhouette": {str(k): round(v, 4) for k, v in clusters.silhouette.items()},
            "features": list(clusters.feature_names),
            "clusters": [
                {
                    "name": name,
                    "customers": size,
                    "centroid": {
                        f: round(float(v), 1)
                        for f, v in zip(clusters.feature_names, centroid, strict=True)
                    },
                }
                for name, size, centroid in zip(
                    clusters.names, clusters.sizes, clusters.centroids, strict=True
                )
            ],
        },
    }
