"""BG/NBD: parameters recovered from simulated customers, predictions against simulation."""

import numpy as np
import pytest
from scipy.special import hyp2f1

from marketing.clv import (
    BgNbdParams,
    ClvModel,
    expected_purchases,
    expected_purchases_new,
    fit_bgnbd,
    probability_alive,
)
from marketing.clv.bgnbd import _integrated, log_likelihood
from tests.marketing.clv.conftest import TRUE_PURCHASES, TRUE_SPEND
from tests.marketing.clv.simulate import Simulated, simulate


def test_fit_recovers_the_simulated_parameters(fitted: ClvModel) -> None:
    """r and alpha within 25 % of the truth, a and b within 50 %, on 3,000 customers.

    Over seeds 0-7 the largest errors were 4 % (r), 12 % (alpha) and 24 % (a, b), so the
    bounds hold with room to spare while a likelihood missing a term lands far outside.
    """
    fit = fitted.purchases
    assert fit.r == pytest.approx(TRUE_PURCHASES.r, rel=0.25)
    assert fit.alpha == pytest.approx(TRUE_PURCHASES.alpha, rel=0.25)
    assert fit.a == pytest.approx(TRUE_PURCHASES.a, rel=0.5)
    assert fit.b == pytest.approx(TRUE_PURCHASES.b, rel=0.5)


def test_fit_maximises_the_likelihood(simulated: Simulated, fitted: ClvModel) -> None:
    s = simulated.summary
    best = log_likelihood(fitted.purchases, s.frequency, s.recency, s.T).sum()
    assert best == pytest.approx(fitted.log_likelihood)
    for factor in (0.9, 1.1):
        for field in ("r", "alpha", "a", "b"):
            moved = BgNbdParams(
                **{**vars(fitted.purchases), field: getattr(fitted.purchases, field) * factor}
            )
            assert log_likelihood(moved, s.frequency, s.recency, s.T).sum() < best


@pytest.mark.parametrize("params", ["true", "fitted"])
def test_conditional_expectation_matches_the_next_period(
    simulated: Simulated, fitted: ClvModel, params: str
) -> None:
    """Expected purchases in the 90 days after T, summed, within 10 % of the simulated ones.

    Within each calibration-frequency group (0, 1-3, 4+) within 20 % (seed 0: 6 % at most).
    """
    p = TRUE_PURCHASES if params == "true" else fitted.purchases
    s = simulated.summary
    expected = expected_purchases(p, simulated.holdout_days, s.frequency, s.recency, s.T)
    actual = simulated.holdout_purchases
    assert expected.sum() == pytest.approx(actual.sum(), rel=0.10)
    for group in (s.frequency == 0, (s.frequency >= 1) & (s.frequency <= 3), s.frequency >= 4):
        assert expected[group].sum() == pytest.approx(actual[group].sum(), rel=0.20)


def test_probability_alive_matches_the_simulated_share(simulated: Simulated) -> None:
    s = simulated.summary
    alive = probability_alive(TRUE_PURCHASES, s.frequency, s.recency, s.T)
    assert np.all((alive > 0) & (alive <= 1))
    assert np.all(alive[s.frequency == 0] == 1.0)
    assert alive.mean() == pytest.approx(simulated.alive_at_end.mean(), abs=0.03)
    # Among repeat buyers, those with a long silence since their last purchase are less alive.
    silent = (s.frequency > 2) & (s.T - s.recency > 120)
    recent = (s.frequency > 2) & (s.T - s.recency < 10)
    assert alive[silent].mean() < 0.5 < alive[recent].mean()


def test_unconditional_expectation_matches_new_customers() -> None:
    """E[X(t)] within 10 % of the mean repeat purchases of 3,000 customers watched t days."""
    days = 200.0
    new = simulate(3000, TRUE_PURCHASES, TRUE_SPEND, t_range=(days, days), seed=1)
    assert expected_purchases_new(TRUE_PURCHASES, days) == pytest.approx(
        new.summary.frequency.mean(), rel=0.10
    )


def test_new_customer_is_the_conditional_case_with_no_history() -> None:
    t = np.array([1.0, 30.0, 365.0])
    conditional = expected_purchases(TRUE_PURCHASES, t, 0.0, 0.0, 0.0)
    np.testing.assert_allclose(conditional, expected_purchases_new(TRUE_PURCHASES, t), rtol=1e-10)


def test_euler_form_equals_the_published_formula() -> None:
    """FHL 2005 eq. 10 written out with the untransformed 2F1, for moderate histories."""
    r, alpha, a, b = 0.24, 4.4, 0.79, 2.43
    params = BgNbdParams(r, alpha, a, b)
    x, t_x, age, t = np.array([0, 1, 5, 20]), np.array([0, 10, 30, 35]), 38.9, 39.0
    z = t / (alpha + age + t)
    head = (a + b + x - 1) / (a - 1)
    tail = ((alpha + age) / (alpha + age + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    odds = np.where(
        x > 0, a / (b + np.maximum(x, 1) - 1) * ((alpha + age) / (alpha + t_x)) ** (r + x), 0
    )
    published = head * (1 - tail) / (1 + odds)
    np.testing.assert_allclose(expected_purchases(params, t, x, t_x, age), published, rtol=1e-8)


def test_expectation_grows_with_the_horizon_and_stays_finite_for_heavy_buyers() -> None:
    t = np.array([7.0, 30.0, 90.0, 365.0])
    expected = expected_purchases(TRUE_PURCHASES, t, 300.0, 364.0, 365.0)
    assert np.all(np.isfinite(expected)) and np.all(np.diff(expected) > 0)


def test_penalizer_shrinks_the_parameters(simulated: Simulated, fitted: ClvModel) -> None:
    s = simulated.summary
    shrunk = fit_bgnbd(s.frequency, s.recency, s.T, penalizer_coef=0.01).params
    assert shrunk.alpha < fitted.purchases.alpha


@pytest.mark.parametrize(
    "params",
    [
        BgNbdParams(r=0.3, alpha=21.0, a=1815.0, b=5651.0),  # no dropout heterogeneity
        BgNbdParams(r=0.8, alpha=60.0, a=1e-4, b=520.0),  # nobody drops out
        BgNbdParams(r=5.0, alpha=10.0, a=0.5, b=0.5),  # c = a + b + x - 1 = 0 when x = 0
    ],
)
def test_expectation_is_finite_and_right_for_extreme_parameters(params: BgNbdParams) -> None:
    """Each equals the expectation integrated over Beta quantiles, whichever form served."""
    x = np.array([0.0, 1.0, 5.0, 300.0])
    age, t = np.full(4, 200.0), np.full(4, 365.0)
    got = expected_purchases(params, t, x, np.minimum(x, 150.0), age)
    s = t / (params.alpha + age)
    integrated = _integrated(params.r + x, params.a, params.b + x, s)
    alive = probability_alive(params, x, np.minimum(x, 150.0), age)
    np.testing.assert_allclose(got, integrated * alive, rtol=1e-3)
