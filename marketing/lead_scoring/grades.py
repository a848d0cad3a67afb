"""Grades A-D from a lead's probability of converting, with thresholds set per shop."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class GradeThresholds:
    """Lowest probability of grades A, B and C (anything lower is D); must descend strictly."""

    a: float = 0.5
    b: float = 0.3
    c: float = 0.15

    def __post_init__(self) -> None:
        values = (self.a, self.b, self.c)
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
            raise ValueError(f"grade thresholds must be numbers, not {values!r}")
        if not 1.0 >= self.a > self.b > self.c > 0.0:
            raise ValueError(
                f"grade thresholds must descend within (0, 1]: A {self.a} > B {self.b} > C {self.c}"
            )

    def grade(self, probability: float) -> str:
        """The grade of one probability."""
        if probability >= self.a:
            return "A"
        if probability >= self.b:
            return "B"
        if probability >= self.c:
            return "C"
        return "D"
