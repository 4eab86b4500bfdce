"""Chance to win / to be best and expected loss against numerical integration and MC."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate
from scipy.special import betainc, betaln, ndtr
from scipy.stats import beta

from roasloop.stats.bayesian import (
    BetaPosterior,
    NormalPosterior,
    beta_posterior,
    chance_to_beat,
    compare_two,
    log_lift_moments,
    rank_arms,
)

arms = st.integers(1, 200_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


def _beta_pdf(x: float, p: BetaPosterior) -> float:
    return math.exp((p.a - 1) * math.log(x) + (p.b - 1) * math.log1p(-x) - betaln(p.a, p.b))


def _quad_chance(b: BetaPosterior, a: BetaPosterior) -> float:
    """P(B > A) by adaptive quadrature (scipy.integrate.quad) over the narrower density."""
    narrow, other = (b, a) if b.sd <= a.sd else (a, b)
    lo = max(0.0, narrow.mean - 15 * narrow.sd)
    hi = min(1.0, narrow.mean + 15 * narrow.sd)
    points = [
        narrow.mean + k * narrow.sd
        for k in (-3, -1, 0, 1, 3)
        if lo < narrow.mean + k * narrow.sd < hi
    ]
    value, _ = integrate.quad(
        lambda x: _beta_pdf(x, narrow) * betainc(other.a, other.b, x),
        lo,
        hi,
        points=points,
        limit=500,
        epsabs=1e-12,
    )
    return float(value) if narrow is b else 1.0 - float(value)


@settings(max_examples=150, deadline=None)
@given(arms, arms)
def test_chance_to_beat_matches_numerical_integration(
    a: tuple[int, int], b: tuple[int, int]
) -> None:
    post_a, post_b = beta_posterior(*a), beta_posterior(*b)
    assert chance_to_beat(post_b, post_a) == pytest.approx(_quad_chance(post_b, post_a), abs=1e-3)


def test_chance_to_beat_known_values() -> None:
    same = beta_posterior(50, 1000)
    assert chance_to_beat(same, same) == pytest.approx(0.5, abs=1e-9)
    # Evan Miller's closed form for integer parameters
    a, b = BetaPosterior(3, 8), BetaPosterior(5, 6)
    exact = sum(
        math.exp(
            math.lgamma(a.a + i)
            + math.lgamma(a.b + b.b)
            - math.lgamma(a.a + i + a.b + b.b)
            - math.log(b.b + i)
            - (math.lgamma(1 + i) + math.lgamma(b.b) - math.lgamma(1 + i + b.b))
            - (math.lgamma(a.a) + math.lgamma(a.b) - math.lgamma(a.a + a.b))
        )
        for i in range(int(b.a))
    )
    assert chance_to_beat(b, a) == pytest.approx(exact, abs=1e-9)


def test_normal_posteriors_have_the_closed_form() -> None:
    b, a = NormalPosterior(0.1, 0.05), NormalPosterior(0.0, 0.04)
    assert chance_to_beat(b, a) == pytest.approx(ndtr(0.1 / math.hypot(0.05, 0.04)), abs=1e-9)


def test_rank_arms_agrees_with_seeded_monte_carlo() -> None:
    posts = [beta_posterior(200, 10_000), beta_posterior(215, 10_000), beta_posterior(190, 9_000)]
    ranking = rank_arms(posts)
    rng = np.random.default_rng(5)
    draws = np.column_stack([rng.beta(p.a, p.b, 400_000) for p in posts])
    best = np.bincount(draws.argmax(axis=1), minlength=3) / len(draws)
    loss = draws.max(axis=1).mean() - draws.mean(axis=0)
    assert sum(ranking.chance_to_be_best) == pytest.approx(1.0, abs=1e-9)
    assert ranking.chance_to_be_best == pytest.approx(list(best), abs=4e-3)
    assert ranking.expected_loss == pytest.approx(list(loss), rel=0.02, abs=2e-6)


def test_two_arm_risk_and_chance_agree() -> None:
    b, a = beta_posterior(130, 5000), beta_posterior(100, 5000)
    chance, loss = compare_two(b, a)
    assert chance == pytest.approx(chance_to_beat(b, a))
    assert loss == pytest.approx(rank_arms([b, a]).expected_loss[0], rel=1e-6, abs=1e-12)
    assert loss < compare_two(a, b)[1]


def test_far_apart_and_very_different_widths() -> None:
    tight, wide = beta_posterior(50_000, 1_000_000), beta_posterior(2, 30)
    assert chance_to_beat(wide, tight) == pytest.approx(_quad_chance(wide, tight), abs=1e-4)
    far = [beta_posterior(10, 100_000), beta_posterior(5000, 10_000)]
    assert rank_arms(far).chance_to_be_best == pytest.approx([0.0, 1.0], abs=1e-9)


def test_log_moments_and_credible_interval() -> None:
    post = beta_posterior(40, 1000)
    mean, var = post.log_moments()
    rng = np.random.default_rng(3)
    logs = np.log(rng.beta(post.a, post.b, 400_000))
    assert mean == pytest.approx(logs.mean(), abs=2e-3)
    assert var == pytest.approx(logs.var(), rel=0.02)
    lo, hi = post.interval(0.05)
    assert (lo, hi) == pytest.approx(beta.ppf([0.025, 0.975], post.a, post.b), rel=1e-9)
    m, v = log_lift_moments(beta_posterior(60, 1000), post)
    assert m > 0 and v > var
