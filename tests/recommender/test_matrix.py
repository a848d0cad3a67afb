import numpy as np

from recommender import Interactions
from recommender.matrix import IdIndex, build_training_matrix, merge_rows

DAY = 86_400.0


def test_id_index_keeps_first_seen_order() -> None:
    index = IdIndex(["b", "a", "b"])
    assert index.ids == ["b", "a"] and index.get("a") == 1 and index.get("z") is None
    assert index.lookup(["a", "z"]).tolist() == [1, -1]


def test_training_matrix_sums_weights_and_keeps_newest_age() -> None:
    events = Interactions.from_arrays(
        ["u", "u", "v"],
        ["x", "x", "y"],
        weights=[1, 2, 1],
        timestamps=[0, 8 * DAY, 10 * DAY],
        purchased=[False, False, True],
    )
    users, items = IdIndex(), IdIndex()
    matrix = build_training_matrix(events, users, items)
    assert matrix.weights.toarray().tolist() == [[3.0, 0.0], [0.0, 1.0]]
    assert matrix.age_days.toarray().tolist() == [[3.0, 0.0], [0.0, 1.0]]  # age + 1
    assert matrix.purchased.toarray().tolist() == [[0.0, 0.0], [0.0, 1.0]]


def test_merge_rows_adds_events_and_new_users() -> None:
    users, items = IdIndex(), IdIndex(["x", "y"])
    base = build_training_matrix(
        Interactions.from_arrays(["u"], ["x"], timestamps=[0.0]), users, items, now=10 * DAY
    )
    new = build_training_matrix(
        Interactions.from_arrays(["u", "w"], ["y", "x"], timestamps=[9 * DAY, 9 * DAY]),
        users,
        items,
        now=10 * DAY,
    )
    merged = merge_rows(base, new)
    assert merged.shape == (2, 2)
    assert merged.weights.toarray().tolist() == [[1.0, 1.0], [1.0, 0.0]]
    np.testing.assert_allclose(merged.age_days.toarray(), [[11.0, 2.0], [2.0, 0.0]])
