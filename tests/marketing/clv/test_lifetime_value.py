"""Discounted lifetime value and the fallback signal for thin history."""

import numpy as np
import pytest

from marketing.clv import ClvModel, NotEnoughHistory, PurchaseSummary, fit_clv
from tests.marketing.clv.simulate import Simulated


def test_without_discounting_clv_is_purchases_times_value(
    simulated: Simulated, fitted: ClvModel
) -> None:
    value = fitted.predict(simulated.summary, horizon_days=365, annual_discount_rate=0.0)
    np.testing.assert_allclose(value.clv, value.expected_purchases * value.expected_order_value)
    assert value.customer_ids is simulated.summary.customer_ids


def test_a_higher_discount_rate_lowers_clv(simulated: Simulated, fitted: ClvModel) -> None:
    low, high = (
        fitted.predict(simulated.summary, horizon_days=730, annual_discount_rate=rate).clv
        for rate in (0.05, 0.30)
    )
    buyers = low > 0
    assert np.all(high[buyers] < low[buyers])
    # Two years at 30 %: at most the undiscounted value, at least that divided by 1.3^2.
    flat = fitted.predict(simulated.summary, horizon_days=730, annual_discount_rate=0.0).clv
    assert np.all(high <= flat) and np.all(high >= flat / 1.3**2 - 1e-9)


def test_steps_split_the_horizon_without_changing_the_total(
    simulated: Simulated, fitted: ClvModel
) -> None:
    monthly = fitted.predict(simulated.summary, 365, 0.0)
    weekly = fitted.predict(simulated.summary, 365, 0.0, step_days=7)
    np.testing.assert_allclose(monthly.clv, weekly.clv, rtol=1e-9)


def test_one_step_discounts_once() -> None:
    model = fit_clv(_repeat_buyers(40))
    summary = _repeat_buyers(3)
    whole = model.predict(summary, 365.25, 0.0, step_days=365.25)
    discounted = model.predict(summary, 365.25, 0.1, step_days=365.25)
    np.testing.assert_allclose(discounted.clv, whole.clv / 1.1)


def test_predictions_are_sensible_per_customer(simulated: Simulated, fitted: ClvModel) -> None:
    value = fitted.predict(simulated.summary, 365, 0.1)
    assert np.all(np.isfinite(value.clv)) and np.all(value.clv >= 0)
    assert np.all((value.p_alive > 0) & (value.p_alive <= 1))
    assert value.horizon_days == 365 and value.annual_discount_rate == 0.1


@pytest.mark.parametrize("customers", [0, 5, 19])
def test_too_few_repeat_customers_raise_not_enough_history(customers: int) -> None:
    with pytest.raises(NotEnoughHistory, match="at least 20"):
        fit_clv(_repeat_buyers(customers))


def test_bad_prediction_arguments_are_refused(simulated: Simulated, fitted: ClvModel) -> None:
    with pytest.raises(ValueError, match="horizon_days"):
        fitted.predict(simulated.summary, horizon_days=0)


def _repeat_buyers(n: int) -> PurchaseSummary:
    """``n`` customers with a few repeat purchases each, and as many one-time buyers."""
    rng = np.random.default_rng(n)
    x = np.concatenate([rng.integers(1, 6, n), np.zeros(n)]).astype(float)
    age = np.full(2 * n, 200.0)
    recency = np.where(x > 0, rng.uniform(20, 200, 2 * n), 0.0)
    spend = np.where(x > 0, rng.gamma(4.0, 10.0, 2 * n), 0.0)
    return PurchaseSummary.from_arrays(x, recency, age, spend)
