"""Discounted customer lifetime value from a fitted BG/NBD and Gamma-Gamma pair.

CLV = sum over steps k = 1..K of R_k / (1 + r)^k, where R_k is the expected purchases in
step k given the customer's history, E[X(t_k)] - E[X(t_(k-1))], times their expected
order value, and r is the per-step rate equivalent to the annual discount rate. Steps
are months (365.25 / 12 days) unless told otherwise; the last one may be shorter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from marketing.clv.bgnbd import (
    BgNbdParams,
    expected_purchases,
    fit_bgnbd,
    probability_alive,
)
from marketing.clv.gamma_gamma import GammaGammaParams, expected_order_value, fit_gamma_gamma
from marketing.clv.summary import NotEnoughHistory, PurchaseSummary

DAYS_PER_YEAR = 365.25
MONTH_DAYS = DAYS_PER_YEAR / 12
MIN_REPEAT_CUSTOMERS = 20


@dataclass(frozen=True, eq=False)
class ClvPrediction:
    """Per customer, in the summary's order: what the model expects over the horizon."""

    customer_ids: np.ndarray
    expected_purchases: np.ndarray
    p_alive: np.ndarray
    expected_order_value: np.ndarray
    clv: np.ndarray
    horizon_days: float
    annual_discount_rate: float


@dataclass(frozen=True)
class ClvModel:
    """Fitted purchase (BG/NBD) and spend (Gamma-Gamma) parameters, with their fit figures."""

    purchases: BgNbdParams
    spend: GammaGammaParams
    customers: int
    repeat_customers: int
    log_likelihood: float  # of the BG/NBD fit; the Gamma-Gamma one is separate
    spend_log_likelihood: float

    def predict(
        self,
        summary: PurchaseSummary,
        horizon_days: float = DAYS_PER_YEAR,
        annual_discount_rate: float = 0.1,
        *,
        step_days: float = MONTH_DAYS,
    ) -> ClvPrediction:
        """Expected purchases, P(alive), order value and discounted CLV of each customer."""
        if horizon_days <= 0 or step_days <= 0 or annual_discount_rate <= -1:
            raise ValueError("need horizon_days > 0, step_days > 0, annual_discount_rate > -1")
        history = (summary.frequency, summary.recency, summary.T)
        steps = math.ceil(horizon_days / step_days - 1e-9)
        ends = np.minimum(np.arange(1, steps + 1) * step_days, horizon_days)
        cumulative = np.stack([expected_purchases(self.purchases, t, *history) for t in ends])
        per_step = np.diff(cumulative, axis=0, prepend=0.0)
        step_rate = (1 + annual_discount_rate) ** (step_days / DAYS_PER_YEAR) - 1
        discount = (1 + step_rate) ** -np.arange(1, steps + 1, dtype=float)
        value = expected_order_value(self.spend, summary.frequency, summary.monetary_value)
        return ClvPrediction(
            customer_ids=summary.customer_ids,
            expected_purchases=cumulative[-1],
            p_alive=probability_alive(self.purchases, *history),
            expected_order_value=value,
            clv=value * (discount @ per_step),
            horizon_days=float(horizon_days),
            annual_discount_rate=float(annual_discount_rate),
        )


def fit_clv(
    summary: PurchaseSummary,
    *,
    penalizer_coef: float = 0.0,
    min_repeat_customers: int = MIN_REPEAT_CUSTOMERS,
) -> ClvModel:
    """Fit both models; `NotEnoughHistory` when too few customers repeat or a fit fails."""
    repeat = int(np.sum(summary.frequency > 0))
    if repeat < min_repeat_customers:
        raise NotEnoughHistory(
            f"{repeat} customers bought more than once; at least {min_repeat_customers} are needed"
        )
    purchases = fit_bgnbd(
        summary.frequency, summary.recency, summary.T, penalizer_coef=penalizer_coef
    )
    spend = fit_gamma_gamma(
        summary.frequency, summary.monetary_value, penalizer_coef=penalizer_coef
    )
    return ClvModel(
        purchases=purchases.params,
        spend=spend.params,
        customers=len(summary),
        repeat_customers=repeat,
        log_likelihood=purchases.log_likelihood,
        spend_log_likelihood=spend.log_likelihood,
    )
