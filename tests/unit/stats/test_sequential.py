"""The mSPRT / confidence sequence: duality, tuning and a seeded peeking simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.stats.sequential import (
    always_valid_p,
    default_tau,
    half_width,
    msprt,
    tuning_constant,
)


def test_default_tau_is_about_the_log_mde() -> None:
    assert tuning_constant(0.05) == pytest.approx(
        -2 * math.log(0.05) + math.log(1 - 2 * math.log(0.05))
    )
    assert default_tau(0.2, 0.05, 0.8) == pytest.approx(1.006 * math.log(1.2), rel=1e-3)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(-1.0, 1.0),
    st.floats(1e-6, 1.0),
    st.floats(0.01, 1.0),
    st.sampled_from([0.01, 0.05, 0.1]),
)
def test_p_value_and_sequence_are_dual(
    theta: float, variance: float, tau: float, alpha: float
) -> None:
    result = msprt(theta, variance, tau, alpha)
    assert result.lower < theta < result.upper
    excludes_zero = result.lower > 0 or result.upper < 0
    margin = abs(abs(theta) - half_width(variance, tau, alpha))
    if margin > 1e-9 * (1 + abs(theta)):
        assert excludes_zero == (result.p_value < alpha)


def test_p_value_properties() -> None:
    assert always_valid_p(0.0, 0.01, 0.2) == 1.0
    assert always_valid_p(0.3, 0.01, 0.2) == pytest.approx(always_valid_p(-0.3, 0.01, 0.2))
    assert always_valid_p(0.3, 0.001, 0.2) < always_valid_p(0.3, 0.01, 0.2)
    # wider than the fixed-horizon interval: the price of peeking
    assert half_width(0.01, 0.2, 0.05) > 1.96 * 0.1


@pytest.mark.parametrize(
    ("theta", "variance", "tau"), [(float("nan"), 0.1, 0.2), (0.1, 0.0, 0.2), (0.1, 0.1, 0.0)]
)
def test_degenerate_inputs_give_errors(theta: float, variance: float, tau: float) -> None:
    result = msprt(theta, variance, tau, 0.05)
    assert result.error is not None and result.p_value is None


def test_false_positive_rate_under_continuous_peeking() -> None:
    """Gaussian null random walks checked 200 times each: rejections stay below alpha."""
    rng = np.random.default_rng(20240601)
    walks, looks, sigma = 4000, 200, 1.0
    sums = np.cumsum(rng.normal(0.0, sigma, size=(walks, looks)), axis=1)
    n = np.arange(1, looks + 1)
    tau = 0.3
    rejected = np.zeros(walks, dtype=bool)
    for t in range(looks):
        estimate, variance = sums[:, t] / n[t], sigma**2 / n[t]
        p = np.array([always_valid_p(e, variance, tau) for e in estimate])
        rejected |= p < 0.05
    naive = np.abs(sums / np.sqrt(n)).max(axis=1) > 1.96
    assert rejected.mean() <= 0.05
    assert naive.mean() > 0.3  # the fixed-horizon test peeked at 200 times
