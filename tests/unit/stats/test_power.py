"""Sample sizes against statsmodels' NormalIndPower and known values; days remaining."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtri
from statsmodels.stats.power import NormalIndPower

from roasloop.stats.power import (
    cohens_h,
    days_remaining,
    rate_variance_constant,
    sample_size_fixed,
    sample_size_proportions,
    sample_size_sequential,
)
from roasloop.stats.sequential import default_tau, half_width


@settings(max_examples=100, deadline=None)
@given(
    st.floats(0.002, 0.3),
    st.floats(0.05, 0.6),
    st.sampled_from([0.01, 0.05, 0.1]),
    st.sampled_from([0.8, 0.9]),
    st.sampled_from([0.5, 1.0, 2.0]),
)
def test_sample_size_matches_statsmodels(
    p0: float, mde: float, alpha: float, power: float, ratio: float
) -> None:
    ours = sample_size_proportions(p0, mde, alpha, power, ratio)
    h = cohens_h(p0, p0 * (1 + mde))
    ref = NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=ratio)
    assert ours.per_arm == pytest.approx(ref, rel=1e-4)


def test_known_values() -> None:
    # 2% -> 2.4% (+20%), alpha 5%, power 80%: ~21k clicks per arm (Evan Miller's calculator
    # gives 21,135 with the arcsine approximation's cousin, the pooled-variance formula)
    n = sample_size_proportions(0.02, 0.20, 0.05, 0.8).per_arm
    assert n == pytest.approx(21_100, rel=0.01)
    # the seed's 100 conversions per variant detects only ~40% relative lift at 2% CVR
    assert sample_size_proportions(0.02, 0.40, 0.05, 0.8).per_arm * 0.02 == pytest.approx(
        100, rel=0.15
    )


def test_fixed_log_ratio_size_closed_form() -> None:
    k = rate_variance_constant(0.02, 0.2)
    n = sample_size_fixed(k, 0.2, 0.05, 0.8).per_arm
    z = ndtri(0.975) + ndtri(0.8)
    assert n == pytest.approx(k * z * z / math.log(1.2) ** 2)
    assert sample_size_fixed(k, 0.2, 0.05, 0.8, two_sided=False).per_arm < n


def test_sequential_size_is_larger_and_solves_the_boundary() -> None:
    k = rate_variance_constant(0.02, 0.2)
    tau = default_tau(0.2, 0.05, 0.8)
    fixed = sample_size_fixed(k, 0.2, 0.05, 0.8).per_arm
    seq = sample_size_sequential(k, 0.2, tau, 0.05, 0.8).per_arm
    assert fixed < seq < 3 * fixed
    variance = k / seq
    gap = math.log(1.2) - half_width(variance, tau, 0.05) - ndtri(0.8) * math.sqrt(variance)
    assert gap == pytest.approx(0.0, abs=1e-8)


def test_degenerate_inputs_give_errors() -> None:
    assert sample_size_proportions(0.0, 0.2, 0.05, 0.8).error is not None
    assert sample_size_proportions(0.9, 0.2, 0.05, 0.8).error is not None
    assert sample_size_fixed(0.0, 0.2, 0.05, 0.8).error is not None
    assert sample_size_sequential(10.0, 0.2, 0.0, 0.05, 0.8).error is not None
    assert rate_variance_constant(0.0, 0.2) is None


def test_days_remaining() -> None:
    assert days_remaining(1000, 1000, 0) == 0
    assert days_remaining(1000, 400, 100) == 6
    assert days_remaining(1000, 401, 100) == 6
    assert days_remaining(1000, 400, 0) is None
