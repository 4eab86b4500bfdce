"""SRM, Simpson reversal and the stratified estimators."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chisquare

from roasloop.stats.guards import simpson_reversal, srm_check
from roasloop.stats.proportions import LogRatio, log_rate_ratio
from roasloop.stats.strata import mantel_haenszel_log_rr, pooled_log_rr, standardized_counts


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 10**7), min_size=2, max_size=5))
def test_srm_equals_scipy_chisquare(observed: list[int]) -> None:
    split = [1.0 / len(observed)] * len(observed)
    ref = chisquare(observed)
    ours = srm_check(observed, split)
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-9, abs=1e-12)
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)
    assert ours.tripped == (ref.pvalue < 0.001)


def test_srm_with_an_unequal_design_and_errors() -> None:
    assert not srm_check([20_000, 80_000], [0.2, 0.8]).tripped
    assert srm_check([21_000, 79_000], [0.2, 0.8]).tripped
    assert srm_check([1, 2], [0.5]).error is not None
    assert srm_check([0, 0], [0.5, 0.5]).error is not None
    assert srm_check([5, 5], [0.0, 1.0]).error is not None


def test_mantel_haenszel_on_one_stratum_is_the_pooled_log_ratio() -> None:
    one = mantel_haenszel_log_rr(
        np.array([130.0]), np.array([5000.0]), np.array([100.0]), np.array([5200.0])
    )
    ref = log_rate_ratio(130, 5000, 100, 5200)
    assert one.log_ratio == pytest.approx(ref.log_ratio, rel=1e-12)
    assert one.variance == pytest.approx(ref.variance, rel=1e-12)


def test_mantel_haenszel_risk_ratio_equals_statsmodels() -> None:
    from statsmodels.stats.contingency_tables import StratifiedTable

    a, n1 = np.array([30.0, 12.0, 50.0]), np.array([1000.0, 300.0, 2000.0])
    c, n0 = np.array([20.0, 15.0, 40.0]), np.array([900.0, 500.0, 2100.0])
    tables = [np.array([[a[i], n1[i] - a[i]], [c[i], n0[i] - c[i]]]) for i in range(3)]
    ours = mantel_haenszel_log_rr(a, n1, c, n0)
    assert math.exp(ours.log_ratio) == pytest.approx(
        StratifiedTable(tables).riskratio_pooled, rel=1e-12
    )


SIMPSON = (
    # (successes, trials) per stratum: A is better every day, B gets the good day's traffic
    np.array([[1200.0, 1080.0], [9000.0, 100.0]]),
    np.array([[10_000.0, 90_000.0], [90_000.0, 10_000.0]]),
)


def test_simpson_fixture_reverses_when_pooled() -> None:
    s, n = SIMPSON
    stratified = mantel_haenszel_log_rr(s[1], n[1], s[0], n[0])
    pooled = pooled_log_rr(s[1], n[1], s[0], n[0])
    assert stratified.log_ratio < 0 < pooled.log_ratio
    assert simpson_reversal(pooled, stratified, 1.96)
    effective = standardized_counts(s, n)
    assert effective[0].rate == pytest.approx(0.5 * 0.12 + 0.5 * 0.012)
    assert effective[1].rate == pytest.approx(0.5 * 0.10 + 0.5 * 0.01)


def test_simpson_needs_a_clear_effect() -> None:
    assert not simpson_reversal(LogRatio(0.01, 1.0), LogRatio(-0.01, 1.0), 1.96)
    assert not simpson_reversal(LogRatio(0.5, 0.01), LogRatio(0.4, 0.01), 1.96)
    assert not simpson_reversal(LogRatio(None, None, "x"), LogRatio(0.4, 0.01), 1.96)


def test_standardized_counts_equal_pooled_under_a_constant_split() -> None:
    s = np.array([[10.0, 30.0, 5.0], [12.0, 40.0, 9.0]])
    n = np.array([[500.0, 1500.0, 250.0], [1000.0, 3000.0, 500.0]])
    eff = standardized_counts(s, n)
    for arm in range(2):
        assert eff[arm].trials == pytest.approx(n[arm].sum())
        assert eff[arm].successes == pytest.approx(s[arm].sum())
