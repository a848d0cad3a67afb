"""Grades A-D from configurable, validated thresholds."""

import math

import pytest

from marketing.lead_scoring import GradeThresholds


@pytest.mark.parametrize(
    ("probability", "grade"),
    [(0.99, "A"), (0.5, "A"), (0.4999, "B"), (0.3, "B"), (0.2, "C"), (0.15, "C"), (0.1, "D")],
)
def test_default_thresholds(probability: float, grade: str) -> None:
    assert GradeThresholds().grade(probability) == grade


def test_thresholds_are_configurable_in_order_a_b_c() -> None:
    strict = GradeThresholds(0.8, 0.6, 0.4)

    assert [strict.grade(p) for p in (0.85, 0.7, 0.5, 0.39)] == ["A", "B", "C", "D"]


@pytest.mark.parametrize(
    "values",
    [(0.3, 0.5, 0.15), (0.5, 0.5, 0.1), (1.2, 0.5, 0.1), (0.5, 0.3, 0.0), (math.nan, 0.3, 0.1)],
)
def test_thresholds_must_descend_within_zero_and_one(values: tuple[float, float, float]) -> None:
    with pytest.raises(ValueError, match="thresholds"):
        GradeThresholds(*values)
