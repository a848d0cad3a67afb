"""Thompson sampling on simulated conversion streams with fixed seeds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from marketing.experiments import (
    ArmCounts,
    choose_arm,
    credible_interval,
    posterior,
    posterior_mean,
    probability_best,
    summarize,
)


def _arms(successes: list[int], failures: list[int]) -> list[ArmCounts]:
    return [ArmCounts(s, f) for s, f in zip(successes, failures, strict=True)]


def _simulate(
    rates: Sequence[float], steps: int, seed: int
) -> tuple[list[int], list[ArmCounts], np.random.Generator]:
    """Assign `steps` visitors by Thompson sampling; each converts with its arm's true rate."""
    rng = np.random.default_rng(seed)
    successes, failures = [0] * len(rates), [0] * len(rates)
    picks = []
    for _ in range(steps):
        arm = choose_arm(_arms(successes, failures), rng)
        picks.append(arm)
        if rng.random() < rates[arm]:
            successes[arm] += 1
        else:
            failures[arm] += 1
    return picks, _arms(successes, failures), rng


def test_stream_converges_to_the_better_arm() -> None:
    picks, arms, rng = _simulate([0.05, 0.08], steps=5000, seed=7)

    late = picks[-1000:]
    assert late.count(1) / len(late) > 0.8
    assert picks[:200].count(0) > 40  # the worse arm was explored at the start
    assert probability_best(arms, rng=rng)[1] > 0.95
    assert posterior_mean(arms[1]) > posterior_mean(arms[0])


def test_the_better_arm_wins_whichever_arm_it_is() -> None:
    _, arms, rng = _simulate([0.08, 0.05], steps=5000, seed=7)

    assert probability_best(arms, rng=rng)[0] > 0.95


def test_equal_arms_keep_both_alive() -> None:
    shares = []
    for seed in range(10):
        picks, _, _ = _simulate([0.06, 0.06], steps=2000, seed=seed)
        share = picks.count(1) / len(picks)
        assert 0.02 < share < 0.98, (seed, share)
        shares.append(share)

    assert 0.35 < float(np.mean(shares)) < 0.65


def test_a_single_arm_is_always_chosen_and_surely_best() -> None:
    rng = np.random.default_rng(1)
    arm = [ArmCounts.of(trials=10, successes=3)]

    assert {choose_arm(arm, rng) for _ in range(20)} == {0}
    assert probability_best(arm, rng=rng) == [1.0]


@pytest.mark.parametrize("n", [2, 3, 4])
def test_zero_data_gives_each_arm_one_in_n(n: int) -> None:
    rng = np.random.default_rng(2)
    arms = [ArmCounts(0, 0)] * n

    assert probability_best(arms, rng=rng) == [1 / n] * n
    picks = [choose_arm(arms, rng) for _ in range(3000)]
    assert all(abs(picks.count(i) / 3000 - 1 / n) < 0.05 for i in range(n))


def test_probability_best_sums_to_one_and_favours_the_clear_winner() -> None:
    arms = [ArmCounts.of(trials=200, successes=10), ArmCounts.of(trials=200, successes=40)]

    best = probability_best(arms, rng=np.random.default_rng(3))

    assert sum(best) == pytest.approx(1.0)
    assert best[1] > 0.999


def test_posterior_mean_and_interval_follow_the_beta_posterior() -> None:
    arm = ArmCounts.of(trials=98, successes=9)

    assert posterior(arm) == (10, 90)
    assert posterior_mean(arm) == pytest.approx(0.1)
    low, high = credible_interval(arm)
    # Checked against the quantiles of a large sample of Beta(10, 90).
    sample = np.random.default_rng(5).beta(10, 90, size=400_000)
    assert low == pytest.approx(np.quantile(sample, 0.025), abs=1e-3)
    assert high == pytest.approx(np.quantile(sample, 0.975), abs=1e-3)
    assert low < posterior_mean(arm) < high


def test_intervals_narrow_with_more_data() -> None:
    few = credible_interval(ArmCounts.of(trials=20, successes=2))
    many = credible_interval(ArmCounts.of(trials=2000, successes=200))

    assert many[1] - many[0] < (few[1] - few[0]) / 5


def test_summarize_lists_every_arm_in_order() -> None:
    arms = [ArmCounts.of(trials=100, successes=5), ArmCounts.of(trials=100, successes=20)]

    rows = summarize(arms, rng=np.random.default_rng(4))

    assert [row.mean for row in rows] == [posterior_mean(arm) for arm in arms]
    assert rows[1].probability_best > rows[0].probability_best
    assert rows[0].interval == credible_interval(arms[0])


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        ArmCounts(-1, 3)
    with pytest.raises(ValueError, match="5 successes out of 4"):
        ArmCounts.of(trials=4, successes=5)
    with pytest.raises(ValueError, match="at least one arm"):
        choose_arm([], np.random.default_rng(0))
