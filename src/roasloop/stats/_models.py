"""Primary-metric models: what each method needs, for binomial rates and for ratio metrics.

Arm ``0`` is the control. Log ratios are ``log(metric_i / metric_j)`` on the metric's own
scale; *scores* and *posteriors* are oriented so that higher is better (CPA is negated).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy.special import chdtrc

from roasloop.stats._data import BoolArray, FloatArray, MetricSpec, TestData
from roasloop.stats.bayesian import NormalPosterior, Posterior, beta_posterior
from roasloop.stats.chi_square import (
    MIN_EXPECTED,
    ChiSquareResult,
    chi_square_test,
    cmh_2x2,
    cmh_kx2,
    expected_counts,
)
from roasloop.stats.power import rate_variance_constant
from roasloop.stats.proportions import LogRatio
from roasloop.stats.ratio import (
    ClusterSums,
    RatioEstimate,
    comparison_dof,
    log_ratio_difference,
    ratio_estimate,
    t_two_sided_p,
)
from roasloop.stats.strata import mantel_haenszel_log_rr, pooled_log_rr, standardized_counts


@dataclass(frozen=True, slots=True)
class MonteCarlo:
    """Draws and seed for the only randomized computation (small-count exact test)."""

    draws: int
    seed: int


class MetricModel(Protocol):
    """The sufficient statistics of the primary metric and the tests built on them."""

    spec: MetricSpec

    def log_ratio(self, i: int, j: int) -> LogRatio: ...
    def pooled_log_ratio(self, i: int, j: int) -> LogRatio | None: ...
    def dof(self, i: int, j: int) -> float | None: ...
    def arm_values(self) -> list[float | None]: ...
    def scores(self) -> list[float | None]: ...
    def posteriors(self, prior: tuple[float, float]) -> list[Posterior] | str: ...
    def fixed_pair(self, i: int, j: int, mc: MonteCarlo) -> ChiSquareResult: ...
    def omnibus(self, mc: MonteCarlo) -> ChiSquareResult: ...
    def variance_constant(self, mde: float) -> float | None: ...
    def units(self) -> FloatArray: ...
    def daily_units(self, window_days: int) -> FloatArray: ...
    def floor_counts(self) -> FloatArray: ...
    def low_counts(self) -> bool: ...


class BinomialModel:
    """A rate ``numerator / denominator`` (CVR, CTR, conversions per impression)."""

    def __init__(self, spec: MetricSpec, data: TestData) -> None:
        self.spec = spec
        self._data = data
        self.s = data.cells[spec.numerator]
        self.n = data.cells[spec.denominator]
        self.effective = standardized_counts(self.s, self.n)
        self._log_ratios: dict[tuple[int, int], LogRatio] = {}

    def validity_error(self) -> str | None:
        bad = np.argwhere(self.s > self.n)
        if bad.size:
            vid = self._data.variant_ids[int(bad[0][0])]
            return f"variant {vid!r}: {self.spec.numerator} exceed {self.spec.denominator}"
        return None

    def log_ratio(self, i: int, j: int) -> LogRatio:
        if (i, j) not in self._log_ratios:
            lr = mantel_haenszel_log_rr(self.s[i], self.n[i], self.s[j], self.n[j])
            self._log_ratios[(i, j)] = lr
        return self._log_ratios[(i, j)]

    def pooled_log_ratio(self, i: int, j: int) -> LogRatio | None:
        return pooled_log_rr(self.s[i], self.n[i], self.s[j], self.n[j])

    def dof(self, i: int, j: int) -> float | None:
        return None

    def arm_values(self) -> list[float | None]:
        return [eff.rate for eff in self.effective]

    def scores(self) -> list[float | None]:
        return self.arm_values()

    def posteriors(self, prior: tuple[float, float]) -> list[Posterior] | str:
        return [beta_posterior(e.successes, e.trials, prior) for e in self.effective]

    def _single_stratum(self, rows: list[int]) -> bool:
        return int(np.count_nonzero(self.n[rows].sum(axis=0) > 0)) <= 1

    def fixed_pair(self, i: int, j: int, mc: MonteCarlo) -> ChiSquareResult:
        if self._single_stratum([i, j]):
            s, n = self.s[[i, j]].sum(axis=1), self.n[[i, j]].sum(axis=1)
            return chi_square_test(list(s), list(n), draws=mc.draws, seed=mc.seed)
        return cmh_2x2(self.s[i], self.n[i], self.s[j], self.n[j])

    def omnibus(self, mc: MonteCarlo) -> ChiSquareResult:
        rows = list(range(self.s.shape[0]))
        if self._single_stratum(rows):
            s, n = self.s.sum(axis=1), self.n.sum(axis=1)
            return chi_square_test(list(s), list(n), draws=mc.draws, seed=mc.seed)
        return cmh_kx2(self.s, self.n)

    def variance_constant(self, mde: float) -> float | None:
        p0 = self.effective[0].rate
        return None if p0 is None else rate_variance_constant(p0, mde)

    def units(self) -> FloatArray:
        return np.asarray(self.n.sum(axis=1), dtype=np.float64)

    def daily_units(self, window_days: int) -> FloatArray:
        mask, span = self._data.recent_mask(window_days)
        return np.asarray(self.n[:, mask].sum(axis=1) / span, dtype=np.float64)

    def floor_counts(self) -> FloatArray:
        return np.asarray(self.s.sum(axis=1), dtype=np.float64)

    def low_counts(self) -> bool:
        s, n = self.s.sum(axis=1), self.n.sum(axis=1)
        if np.any(n == 0) or s.sum() in (0.0, n.sum()):
            return True
        return bool(expected_counts(np.column_stack([s, n - s])).min() < MIN_EXPECTED)


class RatioModel:
    """A ratio of sums (ROAS, CPA) with (day × ad set) rows as clusters."""

    def __init__(self, spec: MetricSpec, data: TestData, alpha: float, min_clusters: int) -> None:
        self.spec = spec
        self._data = data
        self._sign = 1.0 if spec.higher_is_better else -1.0
        self._min_clusters = min_clusters
        x, y = data.cells[spec.denominator], data.cells[spec.numerator]
        self.estimates = [
            ratio_estimate(cluster_sums(x[a], y[a], data.present[a]), alpha)
            for a in range(x.shape[0])
        ]

    def log_ratio(self, i: int, j: int) -> LogRatio:
        return log_ratio_difference(self.estimates[i], self.estimates[j])

    def pooled_log_ratio(self, i: int, j: int) -> LogRatio | None:
        return None

    def dof(self, i: int, j: int) -> float | None:
        return comparison_dof(self.estimates[i], self.estimates[j])

    def arm_values(self) -> list[float | None]:
        return [est.ratio for est in self.estimates]

    def scores(self) -> list[float | None]:
        return [
            self._sign * math.log(est.ratio) if est.ratio is not None and est.ratio > 0 else None
            for est in self.estimates
        ]

    def posteriors(self, prior: tuple[float, float]) -> list[Posterior] | str:
        posts: list[Posterior] = []
        for est, score in zip(self.estimates, self.scores(), strict=True):
            if score is None or est.ratio is None or not est.variance:
                return est.error or "a variant has no positive ratio or no variance yet"
            posts.append(NormalPosterior(score, math.sqrt(est.variance) / est.ratio))
        return posts

    def fixed_pair(self, i: int, j: int, mc: MonteCarlo) -> ChiSquareResult:
        lr, dof = self.log_ratio(i, j), self.dof(i, j)
        if not lr.ok or not lr.variance or dof is None:
            return ChiSquareResult("wald_t", None, None, None, error=lr.error or "no variance")
        assert lr.log_ratio is not None
        t = lr.log_ratio / math.sqrt(lr.variance)
        return ChiSquareResult("wald_t", t, round(dof), t_two_sided_p(t, dof))

    def omnibus(self, mc: MonteCarlo) -> ChiSquareResult:
        return wald_heterogeneity(self.estimates)

    def variance_constant(self, mde: float) -> float | None:
        per_cluster = [
            est.variance / est.ratio**2 * est.clusters
            for est in self.estimates
            if est.ok and est.ratio and est.variance is not None
        ]
        return 2.0 * sum(per_cluster) / len(per_cluster) if per_cluster else None

    def units(self) -> FloatArray:
        return np.asarray(self._data.present.sum(axis=1), dtype=np.float64)

    def daily_units(self, window_days: int) -> FloatArray:
        mask, span = self._data.recent_mask(window_days)
        return np.asarray(self._data.present[:, mask].sum(axis=1) / span, dtype=np.float64)

    def floor_counts(self) -> FloatArray:
        return self._data.totals("conversions")

    def low_counts(self) -> bool:
        return any(est.clusters < self._min_clusters for est in self.estimates)


def cluster_sums(x: FloatArray, y: FloatArray, present: BoolArray) -> ClusterSums:
    """Sufficient statistics of the clusters (rows) a variant actually has."""
    return ClusterSums.from_arrays(x[present], y[present])


def wald_heterogeneity(estimates: list[RatioEstimate]) -> ChiSquareResult:
    """Wald chi-square test that all log ratios are equal (k − 1 dof)."""
    logs, weights = [], []
    for est in estimates:
        if not est.ok or not est.ratio or est.ratio <= 0 or not est.variance:
            return ChiSquareResult("wald_chi2", None, None, None, error="a ratio has no variance")
        logs.append(math.log(est.ratio))
        weights.append(est.ratio**2 / est.variance)
    w, theta = np.array(weights), np.array(logs)
    center = float(np.sum(w * theta) / np.sum(w))
    statistic = float(np.sum(w * (theta - center) ** 2))
    dof = len(estimates) - 1
    return ChiSquareResult("wald_chi2", statistic, dof, float(chdtrc(dof, statistic)))


def build_model(
    spec: MetricSpec, data: TestData, alpha: float, min_clusters: int
) -> MetricModel | str:
    """The model for the primary metric, or an error string when the data contradict it."""
    if spec.kind == "ratio":
        return RatioModel(spec, data, alpha, min_clusters)
    model = BinomialModel(spec, data)
    return model.validity_error() or model
