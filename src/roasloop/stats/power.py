"""Sample size for a minimum detectable effect, and days remaining at the current delivery.

* :func:`sample_size_proportions` — two-sided test of two proportions with Cohen's effect size
  ``h = 2·asin(√p1) − 2·asin(√p0)`` (Cohen, *Statistical Power Analysis*, 1988, ch. 6);
  ``n0 = (z_{1−α/2} + z_{power})² (1 + 1/ratio) / h²``, the closed form of
  ``statsmodels.stats.power.NormalIndPower().solve_power`` (which also counts the negligible
  opposite tail).
* :func:`sample_size_fixed` / :func:`sample_size_sequential` — for a log-ratio estimate whose
  variance is ``K / n`` with ``n`` units per arm (``K = (1−p0)/p0 + (1−p1)/p1`` for a rate,
  the per-cluster variance of the log ratio for ROAS/CPA). The sequential size solves
  ``log(1 + MDE) − w(V) = z_{power}·√V`` for the confidence-sequence half-width ``w`` of
  :mod:`roasloop.stats.sequential`: the single-look power at that size, so it is conservative
  (the test may also stop at an earlier look).

This replaces the seed's flat "100 conversions per variant", which at 80 % power detects only a
≈ 40 % relative lift (statistics reference notes §2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.optimize import brentq
from scipy.special import ndtri

from roasloop.stats.sequential import half_width


@dataclass(frozen=True, slots=True)
class SampleSize:
    """Units needed per arm (``None`` with ``error`` when it cannot be computed)."""

    per_arm: float | None
    error: str | None = None


def _z(p: float) -> float:
    return float(ndtri(p))


def cohens_h(p0: float, p1: float) -> float:
    """Cohen's effect size for two proportions."""
    return 2.0 * math.asin(math.sqrt(p1)) - 2.0 * math.asin(math.sqrt(p0))


def sample_size_proportions(
    p0: float, relative_mde: float, alpha: float, power: float, ratio: float = 1.0
) -> SampleSize:
    """Units in the first arm to detect ``p0 → p0·(1 + MDE)`` (``ratio`` = n1 / n0)."""
    p1 = p0 * (1.0 + relative_mde)
    if not (0.0 < p0 < 1.0 and 0.0 < p1 < 1.0) or relative_mde == 0.0:
        return SampleSize(None, "baseline and target rates must lie strictly between 0 and 1")
    h = cohens_h(p0, p1)
    z_sum = _z(1.0 - alpha / 2.0) + _z(power)
    return SampleSize(z_sum * z_sum * (1.0 + 1.0 / ratio) / (h * h))


def rate_variance_constant(p0: float, relative_mde: float) -> float | None:
    """``K`` such that Var(log rate ratio) = K / n per arm, at baseline p0 and the MDE."""
    p1 = p0 * (1.0 + relative_mde)
    if not (0.0 < p0 < 1.0 and 0.0 < p1 < 1.0):
        return None
    return (1.0 - p0) / p0 + (1.0 - p1) / p1


def sample_size_fixed(
    k_constant: float, relative_mde: float, alpha: float, power: float, two_sided: bool = True
) -> SampleSize:
    """Units per arm for a fixed-horizon Wald test of the log ratio."""
    effect = math.log1p(relative_mde)
    if k_constant <= 0.0 or effect == 0.0:
        return SampleSize(None, "no variance or a zero effect")
    z_alpha = _z(1.0 - alpha / 2.0) if two_sided else _z(1.0 - alpha)
    z_sum = z_alpha + _z(power)
    return SampleSize(k_constant * z_sum * z_sum / (effect * effect))


def sample_size_sequential(
    k_constant: float, relative_mde: float, tau: float, alpha: float, power: float
) -> SampleSize:
    """Units per arm at which the confidence sequence detects the MDE with ``power``."""
    effect = abs(math.log1p(relative_mde))
    if k_constant <= 0.0 or effect == 0.0 or tau <= 0.0:
        return SampleSize(None, "no variance, a zero effect or tau <= 0")
    z_power = _z(power)

    def gap(log_n: float) -> float:
        variance = k_constant / math.exp(log_n)
        return effect - half_width(variance, tau, alpha) - z_power * math.sqrt(variance)

    low, high = math.log(k_constant / effect**2), math.log(k_constant / effect**2) + 12.0
    if gap(high) <= 0.0:
        return SampleSize(None, "the effect is too small for the sequential test")
    if gap(low) >= 0.0:
        return SampleSize(math.exp(low))
    return SampleSize(math.exp(float(brentq(gap, low, high, xtol=1e-10))))


def days_remaining(required: float, current: float, daily: float) -> int | None:
    """Whole days until ``current`` reaches ``required`` at ``daily`` units a day."""
    if current >= required:
        return 0
    if daily <= 0.0:
        return None
    return math.ceil((required - current) / daily)
