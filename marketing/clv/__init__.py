"""Customer lifetime value: BG/NBD for how often customers buy, Gamma-Gamma for how much.

Typical use from the CRM side, with one row per order::

    summary = summarise(customer_ids, ordered_at, amounts, observation_end=date.today())
    try:
        model = fit_clv(summary)                                    # NotEnoughHistory
    except NotEnoughHistory:
        ...                                                         # fall back, e.g. to RFM
    value = model.predict(summary, horizon_days=365, annual_discount_rate=0.1)
    value.clv, value.expected_purchases, value.p_alive, value.expected_order_value

Both models are fitted by a small maximum-likelihood fit with SciPy (`mle`): the
`lifetimes` library is archived and needs pandas and autograd, and pymc-marketing is far
too heavy for this environment. The formulas follow Fader, Hardie & Lee (2005), and the
likelihoods, the penalizer and the summary conventions match `lifetimes`.
"""

from marketing.clv.bgnbd import (
    BgNbdFit,
    BgNbdParams,
    expected_purchases,
    expected_purchases_new,
    fit_bgnbd,
    probability_alive,
)
from marketing.clv.gamma_gamma import (
    GammaGammaFit,
    GammaGammaParams,
    expected_order_value,
    fit_gamma_gamma,
)
from marketing.clv.lifetime_value import ClvModel, ClvPrediction, fit_clv
from marketing.clv.summary import NotEnoughHistory, PurchaseSummary, summarise

__all__ = [
    "BgNbdFit",
    "BgNbdParams",
    "ClvModel",
    "ClvPrediction",
    "GammaGammaFit",
    "GammaGammaParams",
    "NotEnoughHistory",
    "PurchaseSummary",
    "expected_order_value",
    "expected_purchases",
    "expected_purchases_new",
    "fit_bgnbd",
    "fit_clv",
    "fit_gamma_gamma",
    "probability_alive",
    "summarise",
]
