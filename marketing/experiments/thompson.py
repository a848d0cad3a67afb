"""Thompson sampling over Bernoulli arms with uniform Beta(1, 1) priors.

Each arm's conversion rate has the posterior Beta(1 + successes, 1 + failures). Showing
the arm whose single posterior draw is highest sends traffic to each arm in proportion to
the chance that it is the best one: a clearly worse arm fades out quickly, while arms that
cannot yet be told apart keep sharing the traffic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import beta as beta_distribution

DEFAULT_DRAWS = 20_000
PRIOR = 1.0


@dataclass(frozen=True, slots=True)
class ArmCounts:
    """What one arm has seen: conversions (successes) and non-conversions (failures)."""

    successes: int
    failures: int

    def __post_init__(self) -> None:
        if self.successes < 0 or self.failures < 0:
            raise ValueError(f"counts cannot be negative: {self}")

    @classmethod
    def of(cls, *, trials: int, successes: int) -> ArmCounts:
        """Counts from trials and successes (successes cannot exceed trials)."""
        if successes > trials:
            raise ValueError(f"{successes} successes out of {trials} trials")
        return cls(successes=successes, failures=trials - successes)

    @property
    def trials(self) -> int:
        return self.successes + self.failures


@dataclass(frozen=True, slots=True)
class ArmSummary:
    """An arm's posterior as staff read it: mean rate, credible interval, P(best)."""

    mean: float
    interval: tuple[float, float]
    probability_best: float


def posterior(arm: ArmCounts) -> tuple[float, float]:
    """The (alpha, beta) parameters of the arm's Beta posterior."""
    return PRIOR + arm.successes, PRIOR + arm.failures


def posterior_mean(arm: ArmCounts) -> float:
    """The expected conversion rate: (1 + successes) / (2 + trials)."""
    alpha, beta = posterior(arm)
    return alpha / (alpha + beta)


def credible_interval(arm: ArmCounts, level: float = 0.95) -> tuple[float, float]:
    """The central credible interval of the rate (equal tails), 95 % by default."""
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, not {level}")
    alpha, beta = posterior(arm)
    tail = (1 - level) / 2
    low, high = beta_distribution.ppf([tail, 1 - tail], alpha, beta)
    return float(low), float(high)


def _parameters(arms: Sequence[ArmCounts]) -> tuple[np.ndarray, np.ndarray]:
    if not arms:
        raise ValueError("at least one arm is needed")
    alphas, betas = zip(*(posterior(arm) for arm in arms), strict=True)
    return np.array(alphas), np.array(betas)


def choose_arm(arms: Sequence[ArmCounts], rng: np.random.Generator) -> int:
    """One Thompson step: the index of the arm whose posterior draw is highest."""
    alphas, betas = _parameters(arms)
    return int(np.argmax(rng.beta(alphas, betas)))


def probability_best(
    arms: Sequence[ArmCounts], *, draws: int = DEFAULT_DRAWS, rng: np.random.Generator
) -> list[float]:
    """Monte Carlo estimate of each arm's chance to have the highest rate (sums to 1).

    Arms with identical counts have identical posteriors, so when all arms agree the
    answer is exactly 1/n by symmetry rather than an estimate around it.
    """
    alphas, betas = _parameters(arms)
    if len(set(arms)) == 1:
        return [1.0 / len(arms)] * len(arms)
    samples = rng.beta(alphas, betas, size=(draws, len(arms)))
    wins = np.bincount(np.argmax(samples, axis=1), minlength=len(arms))
    return [float(count) / draws for count in wins]


def summarize(
    arms: Sequence[ArmCounts], *, draws: int = DEFAULT_DRAWS, rng: np.random.Generator
) -> list[ArmSummary]:
    """Posterior mean, 95 % interval and P(best) of every arm, in the arms' order."""
    best = probability_best(arms, draws=draws, rng=rng)
    return [
        ArmSummary(mean=posterior_mean(arm), interval=credible_interval(arm), probability_best=p)
        for arm, p in zip(arms, best, strict=True)
    ]
