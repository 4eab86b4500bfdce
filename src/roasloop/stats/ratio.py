"""Ratio metrics (ROAS = revenue / spend, CPA = spend / conversions) by the delta method.

Money and conversions are not Bernoulli trials, so the variance comes from the spread of the
ratio's numerator and denominator across independent clusters — here the (day × ad set) rows of
one variant. The sufficient statistics are ``n, Σx, Σy, Σx², Σy², Σxy`` with ``x`` the
denominator and ``y`` the numerator, and the ratio of means ``R = ȳ / x̄`` has the delta-method
variance (Deng, Knoblich & Lu, "Applying the Delta Method in Metric Analytics", KDD 2018;
GrowthBook ratio metrics)::

    Var(R) ≈ (s_y² − 2 R s_xy + R² s_x²) / (n x̄²)

Intervals use Student's t with n − 1 degrees of freedom (few clusters early in a test);
comparisons are made on ``log R`` (variance ``Var(R) / R²``) with Welch–Satterthwaite degrees
of freedom.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import stdtr, stdtrit

from roasloop.stats.proportions import LogRatio

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ClusterSums:
    """Sufficient statistics of (x, y) pairs: x is the denominator, y the numerator."""

    n: int = 0
    sum_x: float = 0.0
    sum_y: float = 0.0
    sum_xx: float = 0.0
    sum_yy: float = 0.0
    sum_xy: float = 0.0

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[float, float]]) -> ClusterSums:
        n, sx, sy, sxx, syy, sxy = 0, 0.0, 0.0, 0.0, 0.0, 0.0
        for x, y in pairs:
            n += 1
            sx += x
            sy += y
            sxx += x * x
            syy += y * y
            sxy += x * y
        return cls(n, sx, sy, sxx, syy, sxy)

    @classmethod
    def from_arrays(cls, x: FloatArray, y: FloatArray) -> ClusterSums:
        return cls(
            int(x.size),
            float(x.sum()),
            float(y.sum()),
            float(x @ x),
            float(y @ y),
            float(x @ y),
        )


@dataclass(frozen=True, slots=True)
class RatioEstimate:
    """``R = Σy / Σx`` with its delta-method variance and (1 − α) t-interval."""

    ratio: float | None
    variance: float | None
    lower: float | None
    upper: float | None
    clusters: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.ratio is not None and self.variance is not None


def _centered(sum_a: float, sum_b: float, sum_ab: float, n: int) -> float:
    """Sample covariance from sums (n − 1 denominator)."""
    return (sum_ab - sum_a * sum_b / n) / (n - 1)


def ratio_estimate(sums: ClusterSums, alpha: float = 0.05) -> RatioEstimate:
    """Delta-method estimate of the ratio of means with a t interval."""
    if sums.n < 2:
        return RatioEstimate(None, None, None, None, sums.n, "need at least two clusters")
    if sums.sum_x <= 0.0:
        return RatioEstimate(None, None, None, None, sums.n, "the denominator sums to zero")
    n = sums.n
    ratio = sums.sum_y / sums.sum_x
    var_x = _centered(sums.sum_x, sums.sum_x, sums.sum_xx, n)
    var_y = _centered(sums.sum_y, sums.sum_y, sums.sum_yy, n)
    cov = _centered(sums.sum_x, sums.sum_y, sums.sum_xy, n)
    mean_x = sums.sum_x / n
    variance = max(0.0, (var_y - 2.0 * ratio * cov + ratio * ratio * var_x) / (n * mean_x**2))
    half = float(stdtrit(n - 1, 1.0 - alpha / 2.0)) * math.sqrt(variance)
    return RatioEstimate(ratio, variance, ratio - half, ratio + half, n)


def log_ratio_difference(b: RatioEstimate, a: RatioEstimate) -> LogRatio:
    """``log(R_b / R_a)`` with variance ``Var(R_b)/R_b² + Var(R_a)/R_a²`` (independent arms)."""
    if not (b.ok and a.ok) or b.ratio is None or a.ratio is None:
        return LogRatio(None, None, b.error or a.error or "missing estimate")
    if b.ratio <= 0.0 or a.ratio <= 0.0:
        return LogRatio(None, None, "a ratio is zero, so its log is undefined")
    assert b.variance is not None and a.variance is not None
    variance = b.variance / b.ratio**2 + a.variance / a.ratio**2
    return LogRatio(math.log(b.ratio / a.ratio), variance)


def comparison_dof(b: RatioEstimate, a: RatioEstimate) -> float:
    """Welch–Satterthwaite degrees of freedom of ``log R_b − log R_a``."""
    parts = [
        (est.variance / est.ratio**2, est.clusters - 1)
        for est in (b, a)
        if est.variance is not None and est.ratio and est.clusters > 1
    ]
    total = sum(v for v, _ in parts)
    denominator = sum(v * v / df for v, df in parts)
    if len(parts) < 2 or denominator <= 0.0:
        return float(max(1, min(b.clusters, a.clusters) - 1))
    return total * total / denominator


def t_two_sided_p(statistic: float, dof: float) -> float:
    """Two-sided Student-t p-value."""
    return float(2.0 * stdtr(dof, -abs(statistic)))


def t_quantile(alpha: float, dof: float) -> float:
    """``t_{1−α/2, dof}``."""
    return float(stdtrit(dof, 1.0 - alpha / 2.0))
