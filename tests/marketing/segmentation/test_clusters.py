"""Behavioural k-means: k by silhouette, names from centroids, tiny inputs."""

import numpy as np
import pytest

from marketing.segmentation import ALL_CUSTOMERS, Clustering, cluster_customers


def _three_groups(n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loyal big spenders, lapsed one-time buyers and an ordinary middle, ``n`` each."""
    rng = np.random.default_rng(seed)
    groups = [(5, 20, 5000), (300, 1, 30), (60, 4, 300)]  # days ago, orders, total spent
    recency, orders, spent = (
        np.concatenate([rng.lognormal(np.log(g[i]), 0.25, n) for g in groups]) for i in range(3)
    )
    return recency, np.maximum(1, np.round(orders)), spent


@pytest.fixture(scope="module")
def blobs() -> Clustering:
    return cluster_customers(*_three_groups())


def test_three_obvious_groups_give_k_three(blobs: Clustering) -> None:
    assert blobs.k == 3
    assert set(blobs.silhouette) == set(range(2, 9))
    assert max(blobs.silhouette, key=blobs.silhouette.get) == 3
    assert sorted(blobs.sizes) == [200, 200, 200]
    # Each generated group lands in one cluster of its own.
    assert [len(set(blobs.labels[i * 200 : (i + 1) * 200])) for i in range(3)] == [1, 1, 1]


def test_names_are_distinct_and_read_the_centroids(blobs: Clustering) -> None:
    assert len(set(blobs.names)) == 3
    name = {g: blobs.name_of(i * 200) for i, g in enumerate(["loyal", "lapsed", "middle"])}
    assert name["loyal"] == "Recent frequent big spenders"
    assert name["lapsed"].startswith("Lapsed one-time")
    assert name["lapsed"].endswith("low spenders")
    assert name["middle"] == "Typical customers"


def test_centroids_are_in_original_units(blobs: Clustering) -> None:
    loyal = blobs.centroids[blobs.labels[0]]
    features = dict(zip(blobs.feature_names, loyal, strict=True))
    assert features["recency_days"] == pytest.approx(5, rel=0.2)
    assert features["frequency"] == pytest.approx(20, rel=0.2)
    assert features["monetary"] == pytest.approx(5000, rel=0.2)
    assert features["average_order_value"] == pytest.approx(250, rel=0.2)


def test_extra_columns_are_used_and_named() -> None:
    recency, orders, spent = _three_groups(100)
    categories = np.r_[np.full(100, 30.0), np.full(100, 1.0), np.full(100, 5.0)]
    result = cluster_customers(recency, orders, spent, extra={"categories": categories})
    assert result.feature_names[-1] == "categories"
    assert result.centroids.shape == (result.k, 5)


def test_clashing_names_are_made_unique() -> None:
    """Four groups that differ only in how big the spend is still get four names."""
    rng = np.random.default_rng(1)
    spend = np.concatenate([rng.lognormal(np.log(m), 0.05, 50) for m in (10, 100, 1e3, 1e4)])
    result = cluster_customers(np.full(200, 30.0), np.full(200, 2.0), spend, k_range=range(4, 5))
    assert result.k == 4 and len(set(result.names)) == 4


@pytest.mark.parametrize("n", [0, 1, 2])
def test_fewer_than_three_customers_form_one_cluster(n: int) -> None:
    result = cluster_customers(np.arange(n) * 10.0, np.ones(n), np.arange(n) + 5.0)
    assert result.k == 1 and result.names == (ALL_CUSTOMERS,)
    assert result.sizes == (n,) and result.labels.tolist() == [0] * n


def test_identical_customers_form_one_cluster() -> None:
    result = cluster_customers([7] * 10, [2] * 10, [40.0] * 10)
    assert result.names == (ALL_CUSTOMERS,) and result.silhouette == {}
    assert result.centroids[0].tolist() == pytest.approx([7, 2, 40, 20])


def test_few_customers_shrink_the_range_of_k() -> None:
    result = cluster_customers(
        [1, 2, 300, 320, 5, 290], [9, 8, 1, 1, 7, 1], [900, 800, 9, 8, 700, 7]
    )
    assert set(result.silhouette) <= {2, 3}
    assert result.k == 2 and sorted(result.sizes) == [3, 3]


def test_negative_features_are_refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        cluster_customers([1, 2, 3], [1, 1, -1], [5, 5, 5])
