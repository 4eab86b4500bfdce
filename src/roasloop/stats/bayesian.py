"""Bayesian comparison of arms: chance to beat control, chance to be best, expected loss.

Binomial metrics use conjugate Beta posteriors (Beta(1, 1) prior by default, as GrowthBook's
and VWO's Bayesian engines); ratio metrics (ROAS, CPA) use a normal posterior on the log of the
metric built from the delta-method variance (flat prior), as GrowthBook does for ratio metrics.

Arms are independent a posteriori, so every quantity is a one-dimensional integral, computed
here by composite Gauss–Legendre quadrature — no Monte-Carlo, hence exact to ~1e-8 and
deterministic:

* chance that B beats A: ``∫ f_B(x) F_A(x) dx`` (Evan Miller's closed form gives the same
  number for integer Beta parameters);
* chance that arm i is best: ``∫ f_i(x) Π_{l≠i} F_l(x) dx``;
* expected loss ("risk", Chris Stucchio, "Bayesian A/B Testing at VWO", 2015) of choosing arm
  j: ``E[max_l θ_l] − E[θ_j]`` with ``E[max] = Σ_i ∫ x f_i(x) Π_{l≠i} F_l(x) dx``.

The grid places 8 Gauss–Legendre nodes on every panel between the breakpoints
``mean ± {0, 1.5, 3, 6, 12}·sd`` of every posterior (clipped to the support), so each density
and each steep CDF is resolved whatever the arms' relative widths.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from scipy.special import (
    betainc,
    betaincinv,
    betaln,
    digamma,
    ndtr,
    ndtri,
    polygamma,
    xlog1py,
    xlogy,
)

FloatArray = npt.NDArray[np.float64]

_NODES_PER_PANEL = 8
_OFFSETS = (-12.0, -6.0, -3.0, -1.5, 0.0, 1.5, 3.0, 6.0, 12.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


@dataclass(frozen=True, slots=True)
class BetaPosterior:
    """Beta(a, b) posterior of a rate."""

    a: float
    b: float

    @property
    def mean(self) -> float:
        return self.a / (self.a + self.b)

    @property
    def sd(self) -> float:
        total = self.a + self.b
        return math.sqrt(self.a * self.b / (total * total * (total + 1.0)))

    @property
    def support(self) -> tuple[float, float]:
        return (0.0, 1.0)

    def pdf(self, x: FloatArray) -> FloatArray:
        log_pdf = xlogy(self.a - 1.0, x) + xlog1py(self.b - 1.0, -x) - betaln(self.a, self.b)
        return np.asarray(np.exp(log_pdf), dtype=np.float64)

    def cdf(self, x: FloatArray) -> FloatArray:
        return np.asarray(betainc(self.a, self.b, x), dtype=np.float64)

    def interval(self, alpha: float) -> tuple[float, float]:
        """Equal-tailed credible interval."""
        lo = float(betaincinv(self.a, self.b, alpha / 2.0))
        return lo, float(betaincinv(self.a, self.b, 1.0 - alpha / 2.0))

    def log_moments(self) -> tuple[float, float]:
        """Exact mean and variance of ``log θ`` under Beta(a, b)."""
        mean = float(digamma(self.a) - digamma(self.a + self.b))
        var = float(polygamma(1, self.a) - polygamma(1, self.a + self.b))
        return mean, var


@dataclass(frozen=True, slots=True)
class NormalPosterior:
    """N(mean, sd²) posterior, used on the log scale of a ratio metric."""

    mean: float
    sd: float

    @property
    def support(self) -> tuple[float, float]:
        return (-math.inf, math.inf)

    def pdf(self, x: FloatArray) -> FloatArray:
        z = (x - self.mean) / self.sd
        return np.asarray(np.exp(-0.5 * z * z) * _INV_SQRT_2PI / self.sd, dtype=np.float64)

    def cdf(self, x: FloatArray) -> FloatArray:
        return np.asarray(ndtr((x - self.mean) / self.sd), dtype=np.float64)

    def interval(self, alpha: float) -> tuple[float, float]:
        half = float(ndtri(1.0 - alpha / 2.0)) * self.sd
        return self.mean - half, self.mean + half

    def log_moments(self) -> tuple[float, float]:
        return self.mean, self.sd * self.sd


Posterior = BetaPosterior | NormalPosterior


def beta_posterior(
    successes: float, trials: float, prior: tuple[float, float] = (1.0, 1.0)
) -> BetaPosterior:
    """Conjugate update of a Beta prior with ``successes`` out of ``trials``."""
    return BetaPosterior(prior[0] + successes, prior[1] + trials - successes)


@cache
def _legendre(n: int) -> tuple[FloatArray, FloatArray]:
    nodes, weights = np.polynomial.legendre.leggauss(n)
    return np.asarray(nodes, dtype=np.float64), np.asarray(weights, dtype=np.float64)


def quadrature_grid(posteriors: Sequence[Posterior]) -> tuple[FloatArray, FloatArray]:
    """Composite Gauss–Legendre nodes and weights covering every posterior's mass."""
    points: set[float] = set()
    for post in posteriors:
        lo, hi = post.support
        points.update(min(hi, max(lo, post.mean + k * post.sd)) for k in _OFFSETS)
    edges = np.array(sorted(points), dtype=np.float64)
    left, right = edges[:-1], edges[1:]
    nodes, weights = _legendre(_NODES_PER_PANEL)
    half = (right - left)[:, None] / 2.0
    x = (left[:, None] + half * (nodes[None, :] + 1.0)).ravel()
    w = (half * weights[None, :]).ravel()
    return x, w


def _leave_one_out_products(cdfs: FloatArray) -> FloatArray:
    """Row i: the product of every other row (no division, so zeros are safe)."""
    k = cdfs.shape[0]
    ones = np.ones((1, cdfs.shape[1]))
    prefix = np.cumprod(np.vstack([ones, cdfs[:-1]]), axis=0)
    suffix = np.cumprod(np.vstack([ones, cdfs[::-1][:-1]]), axis=0)[::-1]
    return np.asarray(prefix[:k] * suffix[:k], dtype=np.float64)


def chance_to_beat(challenger: Posterior, baseline: Posterior) -> float:
    """P(challenger > baseline) for independent posteriors."""
    return compare_two(challenger, baseline)[0]


def compare_two(challenger: Posterior, baseline: Posterior) -> tuple[float, float]:
    """P(challenger > baseline) and the expected loss of choosing the challenger."""
    x, w = quadrature_grid([challenger, baseline])
    f1, f0 = challenger.pdf(x), baseline.pdf(x)
    c1, c0 = challenger.cdf(x), baseline.cdf(x)
    chance = min(1.0, max(0.0, float(np.sum(w * f1 * c0))))
    expected_max = float(np.sum(w * x * (f1 * c0 + f0 * c1)))
    return chance, max(0.0, expected_max - challenger.mean)


@dataclass(frozen=True, slots=True)
class ArmRanking:
    """Chance that each arm is best and the expected loss of choosing it."""

    chance_to_be_best: tuple[float, ...]
    expected_loss: tuple[float, ...]


def rank_arms(posteriors: Sequence[Posterior]) -> ArmRanking:
    """Chance to be best and expected loss (risk) for each arm, higher values being better."""
    x, w = quadrature_grid(posteriors)
    pdfs = np.vstack([post.pdf(x) for post in posteriors])
    others = _leave_one_out_products(np.vstack([post.cdf(x) for post in posteriors]))
    mass = pdfs * others * w
    best = mass.sum(axis=1)
    total = float(best.sum())
    expected_max = float((mass * x).sum())
    probabilities = best / total if total > 0 else best
    return ArmRanking(
        tuple(float(p) for p in np.clip(probabilities, 0.0, 1.0)),
        tuple(max(0.0, expected_max - post.mean) for post in posteriors),
    )


def log_lift_moments(challenger: Posterior, baseline: Posterior) -> tuple[float, float]:
    """Posterior mean and variance of ``log(θ_challenger / θ_baseline)``."""
    m1, v1 = challenger.log_moments()
    m0, v0 = baseline.log_moments()
    return m1 - m0, v1 + v0
