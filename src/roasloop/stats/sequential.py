"""Always-valid inference: the normal-mixture sequential test and its confidence sequence.

The estimate ``θ̂`` (here a log ratio of the metric between two arms) with variance ``V`` is
treated as Gaussian. Mixing the likelihood ratio over a prior ``θ ~ N(0, τ²)`` gives the
mixture sequential probability ratio (mSPRT) of Johari, Koomen, Pekelis & Walsh, "Always Valid
Inference: Continuous Monitoring of A/B Tests", Operations Research 2022 (Optimizely's Stats
Engine)::

    Λ = sqrt(V / (V + τ²)) · exp(τ² θ̂² / (2 V (V + τ²)))

Λ is a nonnegative martingale under the null, so by Ville's inequality the **always-valid
p-value** ``min(1, 1/Λ)`` may be checked after every scheduler run without inflating the
false-positive rate. Inverting ``Λ < 1/α`` gives the two-sided confidence sequence::

    θ̂ ± sqrt( V (V + τ²) / τ² · (2 log(1/α) + log((V + τ²) / V)) )

This is the same boundary as GrowthBook's asymptotic confidence sequence (Waudby-Smith,
Arbour, Sinha, Kennedy & Ramdas, "Time-uniform central limit theory and asymptotic confidence
sequences", Ann. Stat. 2024), written on the information scale: GrowthBook's
``ρ² N`` equals our ``τ² / V``. Tuning GrowthBook's N* to the sample at which the test should
conclude is therefore tuning τ. :func:`default_tau` makes the boundary tightest at the variance
``V*`` the fixed-horizon test would need to detect the minimum detectable effect with the
configured power: ``τ² = V* · (−2 log α + log(1 − 2 log α))``. For α = 0.05 and 80 % power
that is ``τ ≈ 1.006 · log(1 + MDE)``: the mixing prior is centred on effects of the MDE's size,
which is data-independent (a requirement for validity).

The statistics are computed from the cumulative data at each look and are stateless; the
running minimum of the p-value would also be valid but needs storage the caller owns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.special import ndtri


@dataclass(frozen=True, slots=True)
class SequentialResult:
    """Always-valid p-value and confidence sequence for ``θ``."""

    estimate: float | None
    lower: float | None
    upper: float | None
    p_value: float | None
    error: str | None = None


def tuning_constant(alpha: float) -> float:
    """``−2 log α + log(1 − 2 log α)``: makes the boundary tightest at the chosen variance."""
    two_log = -2.0 * math.log(alpha)
    return two_log + math.log1p(two_log)


def default_tau(mde: float, alpha: float, power: float) -> float:
    """Mixing standard deviation τ tuned to the log-scale MDE (see the module docstring)."""
    effect = math.log1p(mde)
    z_sum = float(ndtri(1.0 - alpha / 2.0) + ndtri(power))
    target_variance = (effect / z_sum) ** 2
    return math.sqrt(target_variance * tuning_constant(alpha))


def half_width(variance: float, tau: float, alpha: float) -> float:
    """Half-width of the (1 − α) confidence sequence at estimate variance ``variance``."""
    tau2 = tau * tau
    inflation = (variance + tau2) / variance
    scale = variance * (variance + tau2) / tau2
    return math.sqrt(scale * (2.0 * math.log(1.0 / alpha) + math.log(inflation)))


def always_valid_p(estimate: float, variance: float, tau: float) -> float:
    """``min(1, 1/Λ)`` for the normal-mixture likelihood ratio Λ."""
    tau2 = tau * tau
    log_lambda = 0.5 * math.log(variance / (variance + tau2)) + tau2 * estimate * estimate / (
        2.0 * variance * (variance + tau2)
    )
    return 1.0 if log_lambda <= 0.0 else math.exp(-log_lambda)


def msprt(estimate: float, variance: float, tau: float, alpha: float) -> SequentialResult:
    """Always-valid p-value and (1 − α) confidence sequence for an asymptotically normal θ̂."""
    if not (math.isfinite(estimate) and math.isfinite(variance)) or variance <= 0.0:
        return SequentialResult(None, None, None, None, "the estimate has no positive variance")
    if tau <= 0.0 or not 0.0 < alpha < 1.0:
        return SequentialResult(None, None, None, None, "tau must be > 0 and alpha in (0, 1)")
    width = half_width(variance, tau, alpha)
    p = always_valid_p(estimate, variance, tau)
    return SequentialResult(estimate, estimate - width, estimate + width, p)
