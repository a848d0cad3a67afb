"""Customer segments from plain per-customer arrays: RFM scores and behavioural clusters.

Typical use from the CRM side, one row per customer::

    scores = compute_rfm(ids, last_order_days_ago, order_counts, total_spent)
    label(scores[0].segment)                       # "Champions", "Can't lose them", ...
    groups = cluster_customers(last_order_days_ago, order_counts, total_spent)
    groups.names[groups.labels[0]], groups.k, groups.silhouette

`rfm` gives every customer quintile scores and one of eleven named R x FM segments;
`clusters` finds k-means segments (k by silhouette) and names them from their centroids.
"""

from marketing.segmentation.clusters import ALL_CUSTOMERS, Clustering, cluster_customers
from marketing.segmentation.rfm import (
    LABELS,
    SEGMENT_GRID,
    RfmScore,
    compute_rfm,
    label,
    quintile_scores,
    segment,
)

__all__ = [
    "ALL_CUSTOMERS",
    "LABELS",
    "SEGMENT_GRID",
    "Clustering",
    "RfmScore",
    "cluster_customers",
    "compute_rfm",
    "label",
    "quintile_scores",
    "segment",
]
