"""A/B/n tests of assistant messages decided by Thompson sampling on conversion counts.

Plain numbers in, plain numbers out: the CRM side counts assignments and conversions per
variant, this package turns them into Beta posteriors, draws the next assignment and
says how likely each variant is to be the best::

    arms = [ArmCounts.of(trials=120, successes=9), ArmCounts.of(trials=118, successes=15)]
    choose_arm(arms, rng)                  # index of the variant to show next
    probability_best(arms, rng=rng)        # e.g. [0.09, 0.91]
    summarize(arms, rng=rng)[1].interval   # 95 % credible interval of variant 1's rate
"""

from marketing.experiments.thompson import (
    ArmCounts,
    ArmSummary,
    choose_arm,
    credible_interval,
    posterior,
    posterior_mean,
    probability_best,
    summarize,
)

__all__ = [
    "ArmCounts",
    "ArmSummary",
    "choose_arm",
    "credible_interval",
    "posterior",
    "posterior_mean",
    "probability_best",
    "summarize",
]
