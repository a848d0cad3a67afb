"""Customers drawn from the BG/NBD and Gamma-Gamma models with known parameters."""

from dataclasses import dataclass

import numpy as np

from marketing.clv import BgNbdParams, GammaGammaParams, PurchaseSummary


@dataclass(frozen=True)
class Simulated:
    """Calibration summary, purchases in the following period, and who was alive at T."""

    summary: PurchaseSummary
    holdout_purchases: np.ndarray
    alive_at_end: np.ndarray
    holdout_days: float


def simulate(
    n: int,
    purchases: BgNbdParams,
    spend: GammaGammaParams,
    *,
    t_range: tuple[float, float] = (180.0, 365.0),
    holdout_days: float = 90.0,
    seed: int = 0,
) -> Simulated:
    """``n`` customers first buying at time 0, observed for T ~ U(t_range) days, then more."""
    rng = np.random.default_rng(seed)
    rates = rng.gamma(purchases.r, 1 / purchases.alpha, n)
    dropouts = rng.beta(purchases.a, purchases.b, n)
    value_rates = rng.gamma(spend.q, 1 / spend.v, n)
    ages = rng.uniform(*t_range, n)
    x, t_x, money = np.zeros(n), np.zeros(n), np.zeros(n)
    holdout, alive_at_end = np.zeros(n), np.zeros(n, dtype=bool)
    for i in range(n):
        now, alive, end = 0.0, True, ages[i] + holdout_days
        while alive:
            now += rng.exponential(1 / rates[i])
            if now > end:
                break
            if now <= ages[i]:
                x[i] += 1
                t_x[i] = now
                money[i] += rng.gamma(spend.p, 1 / value_rates[i])
            else:
                holdout[i] += 1
            alive = rng.random() >= dropouts[i]
        alive_at_end[i] = alive or now > ages[i]
    monetary = np.divide(money, x, out=np.zeros(n), where=x > 0)
    summary = PurchaseSummary.from_arrays(x, t_x, ages, monetary)
    return Simulated(summary, holdout, alive_at_end, holdout_days)
