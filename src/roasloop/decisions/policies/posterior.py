"""Posterior of an ad set's revenue per dollar on a saturating, drifting response curve.

Model, per matured day j of ad set i (spend s_j, exposure x_j = its clicks ÷ today's clicks
per dollar — or s_j when clicks are unknown —, expected visible share v_j, time weight w_j,
t_j = days after the report day, ≤ 0):

    conversions_j ~ Poisson(v_j · x_j · exp(a + γ·t_j − ε · log(max(s_j, k) / max(s0, k))))

so exp(a) is conversions per dollar at today's clicks per dollar and the operating point s0
(the current budget) on the report day, γ the daily drift of conversions per click (learning,
late bloomers warming up; fatigue's CTR and CPM are in the clicks, market_benchmarks §2)
and ε the CPA elasticity above the knee k (CPA ∝ spend^ε, §4c/§7 saturation: ε ≈ 0.15–0.45).
Priors: a ~ N(campaign log-rate, τ² + its own variance) — the ad sets of a campaign share a
hierarchical prior on conversions per click, so a thin ad set borrows strength from its
siblings — and normal priors on γ and ε (the policy's: γ ~ N(0, 0.02²), ε ~ N(0.2, 0.08²),
:mod:`.config`). The weighted log-likelihood is maximised by Newton's method and the
posterior approximated by the Gaussian at the mode (Laplace), its covariance inflated by an
over-dispersion factor (conversions are negative-binomial, not Poisson). Revenue per dollar
multiplies the rate by the average order value, whose log is normal around a shrunken estimate.
This is the Gamma-Poisson × compound model of the reference notes (§5.2) with the gamma
replaced by its log-normal Laplace twin, which lets drift and elasticity share the fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from roasloop.decisions.policies.allocation import pressure
from roasloop.decisions.policies.evidence import Evidence

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

_NEWTON_STEPS = 30
_EPS_RANGE = (0.0, 0.9)


@dataclass(frozen=True, slots=True)
class CurvePrior:
    log_rate: float
    log_rate_sd: float
    trend_mean: float = -0.01
    trend_sd: float = 0.04
    eps_mean: float = 0.2
    eps_sd: float = 0.15
    dispersion: float = 1.3


@dataclass(frozen=True, slots=True)
class Curve:
    """Gaussian posterior of (a, γ, ε) around the anchor spend ``anchor``."""

    mean: tuple[float, float, float]
    cov: tuple[tuple[float, ...], ...]
    anchor: float

    def draw(
        self, rng: np.random.Generator, size: int, ahead: float = 1.0
    ) -> tuple[FloatArray, FloatArray]:
        """``size`` joint draws of (log-rate ``ahead`` days after the report day, ε)."""
        draws = rng.multivariate_normal(self.mean, self.cov, size=size, method="cholesky")
        return draws[:, 0] + ahead * draws[:, 1], np.clip(draws[:, 2], *_EPS_RANGE)


def fit_curve(evidence: Evidence, anchor: float, prior: CurvePrior, knee: float = 0.0) -> Curve:
    """The Laplace posterior of (a, γ, ε) given the matured days (see the module doc); spend
    below ``knee`` adds no saturation (:func:`.allocation.pressure`)."""
    days = evidence.days
    w = np.array([d.weight for d in days], dtype=np.float64)
    c = np.array([d.conversions for d in days], dtype=np.float64)
    exposure = np.array([evidence.dollars(d) for d in days], dtype=np.float64)
    t = np.array([d.offset for d in days], dtype=np.float64)
    x = np.array([pressure(d.spend, anchor, knee) for d in days], dtype=np.float64)
    design = np.stack([np.ones_like(t), t, -x], axis=1) if days else np.zeros((0, 3))
    prior_mean = np.array([prior.log_rate, prior.trend_mean, prior.eps_mean])
    prior_prec = np.diag([prior.log_rate_sd**-2, prior.trend_sd**-2, prior.eps_sd**-2])
    theta = prior_mean.copy()
    hessian = prior_prec
    for _ in range(_NEWTON_STEPS):
        mu = exposure * np.exp(design @ theta)
        grad = design.T @ (w * (c - mu)) - prior_prec @ (theta - prior_mean)
        hessian = (design * (w * mu)[:, None]).T @ design + prior_prec
        step = np.linalg.solve(hessian, grad)
        theta = theta + _damped(step)
        if float(np.abs(step).max()) < 1e-9:
            break
    cov = np.linalg.inv(hessian) * prior.dispersion
    return Curve(
        (float(theta[0]), float(theta[1]), float(theta[2])),
        tuple(tuple(float(v) for v in row) for row in cov),
        anchor,
    )


def _damped(step: FloatArray) -> FloatArray:
    """Newton steps of at most 1 in log-rate keep exp() finite on wild first iterates."""
    largest = float(np.abs(step).max())
    return step if largest <= 1.0 else step / largest


@dataclass(frozen=True, slots=True)
class OrderValue:
    """Log-normal posterior of the ad set's average order value."""

    log_mean: float
    log_sd: float

    def draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        return np.exp(rng.normal(self.log_mean, self.log_sd, size))


def order_value(
    evidence: Evidence, pooled: float, prior_orders: float, spread: float
) -> OrderValue:
    """Average order value shrunk towards the campaign's ``pooled`` value by ``prior_orders``."""
    orders = evidence.conversions
    mean = (evidence.revenue + prior_orders * pooled) / (orders + prior_orders)
    return OrderValue(math.log(max(mean, 1e-6)), spread / math.sqrt(orders + prior_orders))
