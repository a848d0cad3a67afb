"""One simulated population of BG/NBD + Gamma-Gamma customers, fitted once per test session."""

import pytest

from marketing.clv import BgNbdParams, ClvModel, GammaGammaParams, fit_clv
from tests.marketing.clv.simulate import Simulated, simulate

TRUE_PURCHASES = BgNbdParams(r=0.25, alpha=4.0, a=0.8, b=2.5)
TRUE_SPEND = GammaGammaParams(p=6.0, q=4.0, v=15.0)


@pytest.fixture(scope="session")
def simulated() -> Simulated:
    """3,000 customers observed for 180-365 days, then 90 days more; seed 0."""
    return simulate(3000, TRUE_PURCHASES, TRUE_SPEND, seed=0)


@pytest.fixture(scope="session")
def fitted(simulated: Simulated) -> ClvModel:
    return fit_clv(simulated.summary)
