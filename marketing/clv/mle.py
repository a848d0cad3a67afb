"""Maximum likelihood over log-parameters with SciPy: a few starts, the best one kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.optimize import minimize

from marketing.clv.summary import NotEnoughHistory

LOG_BOUND = 15.0  # parameters between e^-15 and e^15 (3e-7 .. 3e6) in any unit used here


def maximise(
    mean_log_likelihood: Callable[[np.ndarray], float],
    starts: Sequence[Sequence[float]],
    *,
    penalizer_coef: float = 0.0,
) -> tuple[np.ndarray, float]:
    """The positive parameters maximising the mean log-likelihood, and that mean.

    The objective is -mean_log_likelihood(theta) + penalizer_coef * sum(theta ** 2), the
    L2 penalty of `lifetimes` on the natural parameters, minimised by L-BFGS-B over
    log(theta) from each start. Raises `NotEnoughHistory` when no start gives a finite value.
    """
    if penalizer_coef < 0:
        raise ValueError("penalizer_coef must be >= 0")

    def objective(log_theta: np.ndarray) -> float:
        theta = np.exp(log_theta)
        value = -mean_log_likelihood(theta) + penalizer_coef * float(np.sum(theta**2))
        return value if np.isfinite(value) else 1e100

    best: tuple[np.ndarray, float] | None = None
    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(starts[0])
    with np.errstate(all="ignore"):
        for start in starts:
            result = minimize(
                objective, np.log(np.asarray(start, dtype=float)), method="L-BFGS-B", bounds=bounds
            )
            if result.fun < 1e99 and (best is None or result.fun < best[1]):
                best = (np.exp(result.x), float(result.fun))
        if best is None:
            raise NotEnoughHistory("the likelihood is not finite anywhere the fit looked")
        theta = best[0]
        mean = float(mean_log_likelihood(theta))
    if not np.isfinite(mean):
        raise NotEnoughHistory("the fit ended on a non-finite likelihood")
    return theta, mean
