"""Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie 2013).

A customer's order values are Gamma(p, nu) with a mean p / nu of their own, and
nu ~ Gamma(q, v) across customers. It is fitted on the x > 0 customers' mean repeat-order
value and assumes that value is independent of how often they buy. The population mean
order value p v / (q - 1) exists only for q > 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import gammaln

from marketing.clv.mle import maximise
from marketing.clv.summary import NotEnoughHistory


@dataclass(frozen=True)
class GammaGammaParams:
    """Shape p of order values; shape q and rate v of the customers' rate parameter nu."""

    p: float
    q: float
    v: float

    @property
    def mean_order_value(self) -> float:
        """Expected order value of a customer nothing is known about: p v / (q - 1)."""
        return self.p * self.v / (self.q - 1) if self.q > 1 else float("inf")


@dataclass(frozen=True)
class GammaGammaFit:
    """Maximum-likelihood parameters, the total log-likelihood there, and the customers used."""

    params: GammaGammaParams
    log_likelihood: float
    customers: int


def log_likelihood(
    params: GammaGammaParams, frequency: ArrayLike, monetary_value: ArrayLike
) -> np.ndarray:
    """Each customer's log-likelihood of their mean value over x > 0 repeat orders."""
    p, q, v = params.p, params.q, params.v
    x, m = np.asarray(frequency, dtype=float), np.asarray(monetary_value, dtype=float)
    return (
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(v)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(x * m + v)
    )


def fit_gamma_gamma(
    frequency: ArrayLike, monetary_value: ArrayLike, *, penalizer_coef: float = 0.0
) -> GammaGammaFit:
    """Fit p, q, v on the customers with x > 0 and a positive mean value.

    Raises `NotEnoughHistory` when there are none, or when the fit gives q <= 1 (order
    values so heavy-tailed that the mean does not exist).
    """
    x, m = np.asarray(frequency, dtype=float), np.asarray(monetary_value, dtype=float)
    used = (x > 0) & (m > 0)
    x, m = x[used], m[used]
    if len(x) == 0:
        raise NotEnoughHistory("no customer with a repeat purchase of positive value")

    def mean_log_likelihood(theta: np.ndarray) -> float:
        return float(np.mean(log_likelihood(GammaGammaParams(*theta), x, m)))

    mean_value = float(np.mean(m))
    starts = [(1.0, 1.0, 1.0), (2.0, 3.0, mean_value), (5.0, 5.0, mean_value)]
    theta, mean = maximise(mean_log_likelihood, starts, penalizer_coef=penalizer_coef)
    params = GammaGammaParams(*(float(t) for t in theta))
    if params.q <= 1:
        raise NotEnoughHistory(f"order values too heavy-tailed for a finite mean (q = {params.q})")
    return GammaGammaFit(params, mean * len(x), len(x))


def expected_order_value(
    params: GammaGammaParams, frequency: ArrayLike, monetary_value: ArrayLike
) -> np.ndarray:
    """E[order value | x, mean value]: the population mean shrunk towards the customer's own."""
    p, q, v = params.p, params.q, params.v
    x = np.asarray(frequency, dtype=float)
    m = np.where(x > 0, np.asarray(monetary_value, dtype=float), 0.0)
    return p * (v + x * m) / (p * x + q - 1)
