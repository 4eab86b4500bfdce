"""Stratified estimates of binomial arms across strata (day × ad set).

Pooling counts over strata whose traffic split differs between arms can reverse a comparison
(Simpson's paradox); ad platforms shift delivery between creatives from day to day and ad set
to ad set, so every binomial comparison here is stratified.

* :func:`mantel_haenszel_log_rr` — pairwise: the Mantel–Haenszel common risk ratio
  ``RR = Σ a·n0/N / Σ c·n1/N`` with the Greenland–Robins variance of ``log RR``
  (Greenland & Robins, Biometrics 1985). It stays consistent with many sparse strata, and on a
  single stratum it is exactly the pooled ratio with the usual delta-method variance.
* :func:`standardized_counts` — per arm: direct standardization (post-stratification, as
  GrowthBook's gbstats) ``μ_a = Σ_s w_s p_as`` with stratum weights ``w_s`` = the stratum's
  share of all trials, over the strata every arm reached; reported as *effective* counts
  ``(μ_a·n_eff, n_eff)`` with Kish's effective size ``n_eff = 1 / Σ_s w_s² / n_as``. With one
  stratum, or the same split every day, these are the raw pooled counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from roasloop.stats.proportions import LogRatio

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class EffectiveCounts:
    """Standardized successes and trials of one arm."""

    successes: float
    trials: float

    @property
    def rate(self) -> float | None:
        return self.successes / self.trials if self.trials > 0 else None


def mantel_haenszel_log_rr(
    a: FloatArray, n1: FloatArray, c: FloatArray, n0: FloatArray
) -> LogRatio:
    """``log`` of the MH risk ratio of arm 1 (``a`` of ``n1``) to arm 0 (``c`` of ``n0``)."""
    big_n = n1 + n0
    keep = (n1 > 0) & (n0 > 0)
    if not np.any(keep):
        return LogRatio(None, None, "the arms share no stratum")
    a, n1, c, n0, big_n = a[keep], n1[keep], c[keep], n0[keep], big_n[keep]
    r = float(np.sum(a * n0 / big_n))
    s = float(np.sum(c * n1 / big_n))
    if r <= 0.0 or s <= 0.0:
        return LogRatio(None, None, "a variant has no successes yet")
    numerator = float(np.sum((n1 * n0 * (a + c) - a * c * big_n) / (big_n * big_n)))
    return LogRatio(math.log(r / s), max(0.0, numerator / (r * s)))


def pooled_log_rr(a: FloatArray, n1: FloatArray, c: FloatArray, n0: FloatArray) -> LogRatio:
    """The same estimate after collapsing all strata into one (used to detect Simpson)."""
    return mantel_haenszel_log_rr(
        np.array([a.sum()]), np.array([n1.sum()]), np.array([c.sum()]), np.array([n0.sum()])
    )


def standardized_counts(successes: FloatArray, trials: FloatArray) -> tuple[EffectiveCounts, ...]:
    """Directly standardized effective counts per arm (rows) across strata (columns)."""
    common = np.all(trials > 0, axis=0)
    if not np.any(common):
        return tuple(
            EffectiveCounts(float(s), float(t))
            for s, t in zip(successes.sum(axis=1), trials.sum(axis=1), strict=True)
        )
    s, t = successes[:, common], trials[:, common]
    weights = t.sum(axis=0) / t.sum()
    rates = (s / t) @ weights
    n_eff = 1.0 / ((weights * weights / t).sum(axis=1))
    return tuple(
        EffectiveCounts(float(rate * n), float(n)) for rate, n in zip(rates, n_eff, strict=True)
    )
