"""Delta-method ratio metrics: closed form on a known example, agreement with a bootstrap."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import t as student_t

from roasloop.stats.ratio import ClusterSums, log_ratio_difference, ratio_estimate


def test_known_example() -> None:
    spend = [100.0, 120.0, 80.0, 100.0]
    revenue = [250.0, 260.0, 230.0, 180.0]
    est = ratio_estimate(ClusterSums.from_pairs(zip(spend, revenue, strict=True)))
    ratio = sum(revenue) / sum(spend)
    x, y = np.array(spend), np.array(revenue)
    residual = y - ratio * x
    variance = residual.var(ddof=1) / (len(x) * x.mean() ** 2)
    assert est.ratio == pytest.approx(2.3)
    assert est.variance == pytest.approx(variance, rel=1e-12)
    half = student_t.ppf(0.975, 3) * math.sqrt(variance)
    assert (est.lower, est.upper) == pytest.approx((ratio - half, ratio + half), rel=1e-12)
    assert ClusterSums.from_arrays(x, y) == pytest.approx(
        ClusterSums.from_pairs(zip(spend, revenue, strict=True))
    )


def test_delta_interval_agrees_with_a_seeded_bootstrap() -> None:
    rng = np.random.default_rng(11)
    days = 40
    spend = rng.gamma(20.0, 10.0, days)  # ~200 a day
    conversions = rng.poisson(spend / 25.0)
    revenue = np.array([rng.gamma(2.0, 25.0, c).sum() for c in conversions])
    est = ratio_estimate(ClusterSums.from_arrays(spend, revenue))
    idx = rng.integers(0, days, size=(20_000, days))
    boot = revenue[idx].sum(axis=1) / spend[idx].sum(axis=1)
    lo, hi = np.percentile(boot, [2.5, 97.5])
    half = (est.upper - est.lower) / 2
    assert est.ratio == pytest.approx(revenue.sum() / spend.sum())
    assert abs(est.lower - lo) < 0.15 * half
    assert abs(est.upper - hi) < 0.15 * half
    assert math.sqrt(est.variance) == pytest.approx(boot.std(), rel=0.1)


def test_comparison_on_the_log_scale() -> None:
    a = ratio_estimate(ClusterSums.from_pairs([(100, 200), (100, 220), (100, 180)]))
    b = ratio_estimate(ClusterSums.from_pairs([(100, 240), (100, 260), (100, 250)]))
    diff = log_ratio_difference(b, a)
    assert diff.log_ratio == pytest.approx(math.log(2.5 / 2.0))
    assert diff.variance == pytest.approx(b.variance / 2.5**2 + a.variance / 2.0**2)


def test_degenerate_inputs_give_errors() -> None:
    assert ratio_estimate(ClusterSums.from_pairs([(10, 20)])).error is not None
    assert ratio_estimate(ClusterSums.from_pairs([(0, 20), (0, 5)])).error is not None
    ok = ratio_estimate(ClusterSums.from_pairs([(10, 20), (10, 22)]))
    zero = ratio_estimate(ClusterSums.from_pairs([(10, 0), (10, 0)]))
    assert log_ratio_difference(zero, ok).error is not None
    assert log_ratio_difference(ratio_estimate(ClusterSums()), ok).error is not None
