"""BG/NBD repeat-purchase model (Fader, Hardie & Lee 2005, "Counting your customers").

While alive a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); after each
repeat purchase they drop out for good with probability p ~ Beta(a, b). Inputs are the
summary columns x (frequency), t_x (recency) and T, in days, so alpha is in days too.
The expectations need the Gauss hypergeometric function, which SciPy evaluates well
in some corners only (many purchases, or very large a and b, each break a different
form; Fader & Hardie 2013, "Overcoming the BG/NBD model's #NUM! error problem"), so
`_expected_if_alive` tries three equal forms and checks each result against bounds the
true value always meets, integrating numerically where none passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import betaincinv, betaln, expit, gammaln, hyp2f1, roots_legendre

from marketing.clv.mle import maximise

QUADRATURE_NODES = 200  # for the fallback integration only


@dataclass(frozen=True)
class BgNbdParams:
    """Purchase-rate heterogeneity Gamma(r, alpha) and dropout heterogeneity Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float


@dataclass(frozen=True)
class BgNbdFit:
    """Maximum-likelihood parameters, the total log-likelihood there, and the customers used."""

    params: BgNbdParams
    log_likelihood: float
    customers: int


def log_likelihood(
    params: BgNbdParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> np.ndarray:
    """Each customer's log-likelihood (FHL 2005, section 7), its two terms added by logaddexp."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x, t_x, age = _columns(frequency, recency, T)
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x) - betaln(a, b)
    still_alive = -(r + x) * np.log(alpha + age)
    if np.any(x > 0):
        dropped = np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x)
        still_alive = np.where(x > 0, np.logaddexp(still_alive, dropped), still_alive)
    return common + still_alive


def fit_bgnbd(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, *, penalizer_coef: float = 0.0
) -> BgNbdFit:
    """Fit r, alpha, a, b by maximum likelihood (raises `NotEnoughHistory` if it cannot)."""
    x, t_x, age = _columns(frequency, recency, T)
    rows, weights = np.unique(np.column_stack([x, t_x, age]), axis=0, return_counts=True)
    total = float(weights.sum())

    def mean_log_likelihood(theta: np.ndarray) -> float:
        ll = log_likelihood(BgNbdParams(*theta), rows[:, 0], rows[:, 1], rows[:, 2])
        return float(np.dot(weights, ll) / total)

    rate = max(float(x.mean()) / max(float(age.mean()), 1.0), 1e-4)  # repeat purchases a day
    starts = [(1.0, 1.0 / rate, 1.0, 1.0), (0.3, 0.3 / rate, 0.5, 2.0), (1.0, 1.0, 1.0, 1.0)]
    theta, mean = maximise(mean_log_likelihood, starts, penalizer_coef=penalizer_coef)
    return BgNbdFit(BgNbdParams(*(float(v) for v in theta)), mean * total, len(x))


def probability_alive(
    params: BgNbdParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> np.ndarray:
    """P(still alive at T | x, t_x, T); 1 for customers without repeat purchases."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x, t_x, age = _columns(frequency, recency, T)
    log_odds_dead = (
        np.log(a)
        - np.log(b + np.maximum(x, 1) - 1)
        + (r + x) * (np.log(alpha + age) - np.log(alpha + t_x))
    )
    return np.where(x > 0, expit(-log_odds_dead), 1.0)


def expected_purchases(
    params: BgNbdParams, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> np.ndarray:
    """E[purchases in (T, T + t] | x, t_x, T] (FHL 2005, eq. 10): P(alive) x E[... | alive]."""
    x, _, age = _columns(frequency, recency, T)
    if_alive = _expected_if_alive(params, np.asarray(t, dtype=float), x, age)
    return if_alive * probability_alive(params, frequency, recency, T)


def expected_purchases_new(params: BgNbdParams, t: ArrayLike) -> np.ndarray:
    """E[X(t)]: expected repeat purchases in the first t days of a new customer (eq. 9)."""
    return _expected_if_alive(params, np.asarray(t, dtype=float), 0.0, 0.0)


def _expected_if_alive(
    params: BgNbdParams, t: np.ndarray, x: np.ndarray | float, age: np.ndarray | float
) -> np.ndarray:
    """E[purchases in the next t days | alive at T, x] = E[(1 - (1 + p s)^-(r+x)) / p].

    Here p ~ Beta(a, b + x) and s = t / (alpha + T); it equals
    c / (a - 1) * (1 - 2F1(r + x, a - 1; c; -s)) with c = a + b + x - 1. SciPy's hyp2f1
    overflows or loses accuracy in different corners for different but equal forms, so
    the Euler form is tried first, then the untransformed one of the paper, then Pfaff's,
    each kept only if it lies in [0, (r + x) s] (the value always does); what none of
    them gets is integrated numerically.
    """
    r, alpha, a, b = params.r, params.alpha, _away_from_one(params.a), params.b
    shape = np.broadcast_shapes(np.shape(t), np.shape(x), np.shape(age))
    t, x, age = (np.broadcast_to(v, shape).astype(float).reshape(-1) for v in (t, x, age))
    s = t / (alpha + age)
    z = s / (1 + s)
    c = a + b + x - 1
    upper = (r + x) * s * (1 + 1e-6) + 1e-12
    result = np.full(len(t), np.nan)
    forms = (
        lambda i: (1 - z[i]) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, c[i], z[i]),  # Euler
        lambda i: (1 - z[i]) ** (r + x[i]) * hyp2f1(r + x[i], b + x[i], c[i], z[i]),  # paper
        lambda i: hyp2f1(r + x[i], a - 1, c[i], -s[i]),  # Pfaff
    )
    with np.errstate(all="ignore"):
        for tail in forms:
            todo = ~np.isfinite(result)
            if not todo.any():
                break
            value = c[todo] / (a - 1) * (1 - tail(todo))
            valid = np.isfinite(value) & (value >= -1e-12) & (value <= upper[todo])
            result[np.flatnonzero(todo)[valid]] = np.maximum(value[valid], 0.0)
    missing = ~np.isfinite(result)
    if missing.any():
        result[missing] = _integrated(r + x[missing], a, b + x[missing], s[missing])
    return result.reshape(shape)


def _integrated(k: np.ndarray, a: float, b: np.ndarray, s: np.ndarray) -> np.ndarray:
    """E[(1 - (1 + p s)^-k) / p] for p ~ Beta(a, b), over Beta quantiles by Gauss-Legendre.

    In quantile space the integrand is bounded by k s and needs no weight function,
    whatever the sizes of a and b.
    """
    u = (_NODES[None, :] + 1) / 2
    p = betaincinv(a, b[:, None], u)
    k, s = k[:, None], s[:, None]
    safe = np.where(p > 0, p, 1.0)
    f = np.where(p > 0, -np.expm1(-k * np.log1p(safe * s)) / safe, k * s)
    return f @ _WEIGHTS / 2


_NODES, _WEIGHTS = roots_legendre(QUADRATURE_NODES)


def _away_from_one(a: float) -> float:
    """Both formulas divide by a - 1; a fitted a of exactly 1 is nudged (the limit exists)."""
    return a if abs(a - 1.0) > 1e-7 else 1.0 + 1e-7


def _columns(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        np.asarray(frequency, dtype=float),
        np.asarray(recency, dtype=float),
        np.asarray(T, dtype=float),
    )
