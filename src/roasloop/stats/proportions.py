"""Binomial proportions: intervals, the two-proportion z-test and the relative lift.

Everything here takes counts (successes, trials), the sufficient statistics of a binomial
metric, and returns a result object whose ``error`` is set instead of raising when the input
is degenerate (no trials, no variance).

References
----------
* Wilson interval: E. B. Wilson, "Probable inference, the law of succession, and statistical
  inference", JASA 1927; recommended over Wald by Brown, Cai & DasGupta, Stat. Sci. 2001.
  Same values as ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.
* Two-proportion z-test with pooled variance: same as
  ``statsmodels.stats.proportion.proportions_ztest``; its square is the uncorrected Pearson
  chi-square of the 2×2 table.
* Relative lift on the log scale with the delta-method variance
  ``1/s1 - 1/n1 + 1/s0 - 1/n0`` (Katz et al., Biometrics 1978, log risk ratio). The interval is
  ``exp(θ ± z·se) - 1``, so it can never extend below -100 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.special import ndtr, ndtri


@dataclass(frozen=True, slots=True)
class RateInterval:
    """A rate with a two-sided interval; all ``None`` when ``error`` is set."""

    estimate: float | None
    lower: float | None
    upper: float | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ZTest:
    """A z statistic and its two-sided p-value."""

    statistic: float | None
    p_value: float | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class LogRatio:
    """An estimate of ``log(metric_b / metric_a)`` and the variance of that estimate."""

    log_ratio: float | None
    variance: float | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.log_ratio is not None and self.variance is not None


def z_two_sided(alpha: float) -> float:
    """The standard-normal quantile ``z_{1-alpha/2}``."""
    return float(ndtri(1.0 - alpha / 2.0))


def two_sided_p(z: float) -> float:
    """Two-sided standard-normal p-value of a z statistic."""
    return float(2.0 * ndtr(-abs(z)))


def _check_counts(successes: float, trials: float) -> str | None:
    if trials <= 0:
        return "no trials"
    if successes < 0 or successes > trials:
        return "successes must lie between 0 and trials"
    return None


def wilson_interval(successes: float, trials: float, alpha: float = 0.05) -> RateInterval:
    """Wilson score interval for ``successes / trials``."""
    error = _check_counts(successes, trials)
    if error:
        return RateInterval(None, None, None, error)
    z = z_two_sided(alpha)
    p = successes / trials
    denom = 1.0 + z * z / trials
    center = (p + z * z / (2.0 * trials)) / denom
    half = z * math.sqrt(p * (1.0 - p) / trials + z * z / (4.0 * trials * trials)) / denom
    # the exact bounds at 0 and n are 0 and 1; pin them against rounding
    lower = 0.0 if successes == 0 else max(0.0, center - half)
    upper = 1.0 if successes == trials else min(1.0, center + half)
    return RateInterval(p, lower, upper)


def normal_interval(successes: float, trials: float, alpha: float = 0.05) -> RateInterval:
    """Wald interval ``p ± z·sqrt(p(1-p)/n)``, clipped to [0, 1] (for comparison only)."""
    error = _check_counts(successes, trials)
    if error:
        return RateInterval(None, None, None, error)
    p = successes / trials
    half = z_two_sided(alpha) * math.sqrt(p * (1.0 - p) / trials)
    return RateInterval(p, max(0.0, p - half), min(1.0, p + half))


def two_proportion_ztest(s1: float, n1: float, s2: float, n2: float) -> ZTest:
    """Pooled two-proportion z-test of ``s1/n1 == s2/n2`` (two-sided)."""
    error = _check_counts(s1, n1) or _check_counts(s2, n2)
    if error:
        return ZTest(None, None, error)
    pooled = (s1 + s2) / (n1 + n2)
    variance = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    if variance <= 0.0:
        return ZTest(None, None, "no variance: every trial has the same outcome")
    z = (s1 / n1 - s2 / n2) / math.sqrt(variance)
    return ZTest(z, two_sided_p(z))


def log_rate_ratio(s1: float, n1: float, s0: float, n0: float) -> LogRatio:
    """``log((s1/n1) / (s0/n0))`` with its delta-method variance."""
    error = _check_counts(s1, n1) or _check_counts(s0, n0)
    if error:
        return LogRatio(None, None, error)
    if s1 <= 0 or s0 <= 0:
        return LogRatio(None, None, "a variant has no successes yet")
    variance = max(0.0, 1.0 / s1 - 1.0 / n1 + 1.0 / s0 - 1.0 / n0)
    return LogRatio(math.log((s1 / n1) / (s0 / n0)), variance)


#: A log-ratio beyond which a lift is reported as this (a 10^9-fold change): a bound that far
#: out only says "unbounded", and ``exp`` of a wider one overflows a float.
LOG_LIFT_CAP = math.log(1e9)


def lift_of(log_ratio: float) -> float:
    """``exp(log_ratio) − 1``, capped at ±:data:`LOG_LIFT_CAP` on the log scale."""
    return math.expm1(max(-LOG_LIFT_CAP, min(log_ratio, LOG_LIFT_CAP)))


def lift_interval(log_ratio: float, half_width: float) -> tuple[float, float, float]:
    """Relative lift and its interval from a log-ratio estimate and a log-scale half-width."""
    return (
        lift_of(log_ratio),
        lift_of(log_ratio - half_width),
        lift_of(log_ratio + half_width),
    )
