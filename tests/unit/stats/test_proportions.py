"""Intervals, the z-test and the lift against statsmodels and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from roasloop.stats.proportions import (
    lift_interval,
    log_rate_ratio,
    normal_interval,
    two_proportion_ztest,
    wilson_interval,
)

counts = st.integers(1, 1_000_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@settings(max_examples=300, deadline=None)
@given(counts, counts)
def test_ztest_equals_statsmodels(a: tuple[int, int], b: tuple[int, int]) -> None:
    (s1, n1), (s2, n2) = a, b
    assume(0 < s1 + s2 < n1 + n2)
    ours = two_proportion_ztest(s1, n1, s2, n2)
    z, p = proportions_ztest(np.array([s1, s2]), np.array([n1, n2]))
    assert ours.statistic == pytest.approx(z, rel=1e-9, abs=1e-12)
    assert ours.p_value == pytest.approx(p, rel=1e-9, abs=1e-15)


@settings(max_examples=200, deadline=None)
@given(counts, st.sampled_from([0.01, 0.05, 0.1]))
def test_wilson_equals_statsmodels(c: tuple[int, int], alpha: float) -> None:
    s, n = c
    lo, hi = proportion_confint(s, n, alpha=alpha, method="wilson")
    ours = wilson_interval(s, n, alpha)
    assert ours.lower == pytest.approx(lo, rel=1e-9, abs=1e-12)
    assert ours.upper == pytest.approx(hi, rel=1e-9, abs=1e-12)
    assert ours.lower <= s / n <= ours.upper


def test_normal_interval_equals_statsmodels() -> None:
    lo, hi = proportion_confint(30, 1000, alpha=0.05, method="normal")
    ours = normal_interval(30, 1000)
    assert (ours.lower, ours.upper) == pytest.approx((lo, hi), rel=1e-12)


def test_log_rate_ratio_and_lift() -> None:
    lr = log_rate_ratio(120, 5000, 100, 5000)
    assert lr.log_ratio == pytest.approx(math.log(1.2))
    assert lr.variance == pytest.approx(1 / 120 - 1 / 5000 + 1 / 100 - 1 / 5000)
    lift, lo, hi = lift_interval(lr.log_ratio, 1.96 * math.sqrt(lr.variance))
    assert lift == pytest.approx(0.2)
    assert lo < 0.2 < hi and lo > -1.0


@pytest.mark.parametrize("args", [(0, 0, 1, 10), (1, 10, 0, 0), (5, 4, 1, 10), (-1, 10, 1, 10)])
def test_degenerate_counts_return_errors(args: tuple[int, int, int, int]) -> None:
    s1, n1, s2, n2 = args
    assert two_proportion_ztest(s1, n1, s2, n2).error is not None
    assert log_rate_ratio(s1, n1, s2, n2).error is not None
    assert wilson_interval(s1, n1).error is not None or wilson_interval(s2, n2).error is not None


def test_no_variance_and_no_successes() -> None:
    assert two_proportion_ztest(0, 10, 0, 10).error is not None
    assert two_proportion_ztest(10, 10, 10, 10).error is not None
    assert log_rate_ratio(0, 10, 3, 10).error is not None
