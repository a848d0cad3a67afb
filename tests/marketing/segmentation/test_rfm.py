"""RFM: quintile scores by rank, ties, tiny inputs, and the R x FM segment grid."""

import pytest

from marketing.segmentation import (
    LABELS,
    SEGMENT_GRID,
    compute_rfm,
    label,
    quintile_scores,
    segment,
)


def test_scores_on_a_hand_made_table() -> None:
    """Five customers, one per quintile on each axis: the best gets 5, the worst 1."""
    scores = compute_rfm(
        ["a", "b", "c", "d", "e"],
        last_order_days_ago=[3, 400, 30, 90, 200],
        order_counts=[12, 1, 6, 3, 2],
        total_spent=[900.0, 15.0, 300.0, 120.0, 40.0],
    )
    by_id = {s.customer_id: s for s in scores}
    assert [s.customer_id for s in scores] == ["a", "b", "c", "d", "e"]
    assert (by_id["a"].recency, by_id["a"].frequency, by_id["a"].monetary) == (5, 5, 5)
    assert by_id["b"].code == "111"
    assert by_id["c"].code == "444"
    assert by_id["a"].segment == "champions"
    assert by_id["b"].segment == "lost"


def test_equal_values_get_equal_scores() -> None:
    """Half the customers bought once: all of them score 1, whatever their order."""
    counts = [1, 1, 1, 1, 1, 2, 3, 5, 8, 13]
    scores = quintile_scores(counts)
    assert set(scores[:5]) == {1}
    assert list(scores[5:]) == sorted(scores[5:]) and scores[-1] == 5
    assert list(quintile_scores([7, 7, 7])) == [1, 1, 1]


def test_tiny_inputs() -> None:
    (only,) = compute_rfm([42], [10], [2], [50.0])
    assert only.code == "333"
    assert [s.code for s in compute_rfm([1, 2, 3], [1, 5, 9], [3, 2, 1], [30, 20, 10])] == [
        "555",
        "333",
        "111",
    ]
    assert compute_rfm([], [], [], []) == []


def test_recency_counts_fewer_days_as_better() -> None:
    scores = compute_rfm(range(10), range(10), [1] * 10, [1.0] * 10)
    assert [s.recency for s in scores] == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]


@pytest.mark.parametrize(
    ("scores", "name"),
    [
        ((5, 5, 5), "champions"),
        ((5, 4, 3), "champions"),  # FM 3.5 rounds up to 4
        ((4, 5, 5), "loyal"),
        ((3, 4, 4), "loyal"),
        ((5, 1, 1), "new_customers"),
        ((5, 2, 3), "potential_loyalist"),
        ((4, 1, 1), "promising"),
        ((3, 3, 3), "need_attention"),
        ((3, 1, 2), "about_to_sleep"),
        ((2, 3, 3), "at_risk"),
        ((1, 5, 5), "cant_lose"),
        ((2, 1, 2), "hibernating"),
        ((1, 1, 1), "lost"),
    ],
)
def test_segment_of_known_score_combinations(scores: tuple[int, int, int], name: str) -> None:
    assert segment(*scores) == name


def test_grid_uses_every_segment_and_every_segment_has_a_label() -> None:
    assert {name for row in SEGMENT_GRID.values() for name in row} == set(LABELS)
    assert label("cant_lose") == "Can't lose them"
    assert label("champions") == "Champions"


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        segment(6, 1, 1)
    with pytest.raises(ValueError, match="unknown"):
        label("vip")
    with pytest.raises(ValueError, match="same length"):
        compute_rfm([1, 2], [1], [1], [1])
    with pytest.raises(ValueError, match="finite"):
        compute_rfm([1], [float("nan")], [1], [1])
