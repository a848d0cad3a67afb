"""Gamma-Gamma: the population mean order value recovered, shrinkage towards it."""

import numpy as np
import pytest

from marketing.clv import (
    ClvModel,
    GammaGammaParams,
    NotEnoughHistory,
    expected_order_value,
    fit_gamma_gamma,
)
from tests.marketing.clv.conftest import TRUE_SPEND
from tests.marketing.clv.simulate import Simulated


def test_fit_recovers_the_mean_order_value(fitted: ClvModel) -> None:
    """p v / (q - 1) within 10 % of the true 30, q within 25 % of 4 (seeds 0-7: 2 % and 6 %).

    p, q and v one by one are weakly identified (only their combinations are), so the mean
    is the figure that matters for lifetime value.
    """
    assert fitted.spend.mean_order_value == pytest.approx(TRUE_SPEND.mean_order_value, rel=0.10)
    assert fitted.spend.q == pytest.approx(TRUE_SPEND.q, rel=0.25)


def test_expected_value_shrinks_the_customers_own_mean_towards_the_population() -> None:
    params = GammaGammaParams(p=6.0, q=4.0, v=15.0)  # population mean 30
    few, many = expected_order_value(params, [1.0, 50.0], [100.0, 100.0])
    assert 30 < few < many < 100
    assert expected_order_value(params, [0.0], [0.0])[0] == pytest.approx(30.0)


def test_expected_value_is_unbiased_on_simulated_customers(simulated: Simulated) -> None:
    s = simulated.summary
    repeat = s.frequency > 0
    value = expected_order_value(TRUE_SPEND, s.frequency[repeat], s.monetary_value[repeat])
    assert value.mean() == pytest.approx(s.monetary_value[repeat].mean(), rel=0.05)


def test_fit_needs_repeat_customers_with_value() -> None:
    with pytest.raises(NotEnoughHistory):
        fit_gamma_gamma(np.zeros(5), np.zeros(5))


def test_fit_refuses_spend_without_a_finite_mean() -> None:
    """Order values drawn from a Pareto tail with no mean give q <= 1."""
    rng = np.random.default_rng(0)
    x = rng.integers(1, 6, 500).astype(float)
    spend = np.array([np.mean(rng.pareto(0.7, int(n)) + 1) for n in x])
    with pytest.raises(NotEnoughHistory, match="heavy-tailed"):
        fit_gamma_gamma(x, spend * 10)
