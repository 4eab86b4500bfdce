"""Fixed-horizon tests of k binomial arms: Pearson, Fisher, Monte-Carlo exact and CMH.

Input is per-arm ``successes`` and ``trials`` (a k×2 table ``[s, t - s]``), or per-arm ×
per-stratum arrays for the stratified tests.

* :func:`pearson_kx2` — Pearson's chi-square **without** Yates' correction; identical to
  ``scipy.stats.chi2_contingency(table, correction=False)`` (Yates' correction is
  conservative on 2×2 tables, see the statistics reference notes §2).
* :func:`fisher_2x2` — Fisher's exact test (two-sided), used when an expected count is < 5.
* :func:`monte_carlo_kx2` — for k > 2 with small expected counts: the Pearson statistic's
  exact conditional distribution given both margins, estimated from ``draws`` seeded
  multivariate-hypergeometric tables (Hope, JRSS-B 1968; what R's
  ``chisq.test(simulate.p.value = TRUE)`` does). ``p = (1 + #{X²_sim ≥ X²_obs}) / (B + 1)``.
* :func:`cmh_2x2` — Cochran–Mantel–Haenszel test of two arms across strata (days × ad sets),
  no continuity correction; equals ``statsmodels StratifiedTable.test_null_odds(False)``.
* :func:`cmh_kx2` — the generalized CMH "general association" statistic for k arms across
  strata (Landis, Heyman & Koch, Int. Stat. Rev. 1978), k − 1 degrees of freedom.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import chdtrc
from scipy.stats import fisher_exact

FloatArray = npt.NDArray[np.float64]

MIN_EXPECTED = 5.0
"""Cochran's rule: the chi-square approximation needs every expected count ≥ 5."""


@dataclass(frozen=True, slots=True)
class ChiSquareResult:
    """Outcome of one test; ``statistic`` is the odds ratio for Fisher's test."""

    test: str
    statistic: float | None
    dof: int | None
    p_value: float | None
    min_expected: float | None = None
    error: str | None = None


def _table(successes: Sequence[float], trials: Sequence[float]) -> FloatArray | str:
    s = np.asarray(successes, dtype=np.float64)
    t = np.asarray(trials, dtype=np.float64)
    if s.shape != t.shape or s.ndim != 1 or s.size < 2:
        return "need at least two arms with matching successes and trials"
    if np.any(s < 0) or np.any(s > t):
        return "successes must lie between 0 and trials"
    table = np.column_stack([s, t - s])
    if np.any(table.sum(axis=1) == 0) or np.any(table.sum(axis=0) == 0):
        return "degenerate table: an arm has no trials or every trial has the same outcome"
    return table


def expected_counts(table: FloatArray) -> FloatArray:
    """Expected cell counts under independence: row total × column total / grand total."""
    outer = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    return np.asarray(outer, dtype=np.float64)


def pearson_kx2(successes: Sequence[float], trials: Sequence[float]) -> ChiSquareResult:
    """Uncorrected Pearson chi-square of the k×2 table ``[successes, failures]``."""
    table = _table(successes, trials)
    if isinstance(table, str):
        return ChiSquareResult("pearson_chi2", None, None, None, error=table)
    expected = expected_counts(table)
    statistic = float(np.sum((table - expected) ** 2 / expected))
    dof = table.shape[0] - 1
    return ChiSquareResult(
        "pearson_chi2", statistic, dof, float(chdtrc(dof, statistic)), float(expected.min())
    )


def fisher_2x2(s1: float, n1: float, s2: float, n2: float) -> ChiSquareResult:
    """Fisher's exact test (two-sided) of ``[[s1, n1 - s1], [s2, n2 - s2]]``."""
    table = _table([s1, s2], [n1, n2])
    if isinstance(table, str):
        return ChiSquareResult("fisher_exact", None, None, None, error=table)
    result = fisher_exact(table.astype(np.int64), alternative="two-sided")
    odds = float(result.statistic)
    return ChiSquareResult(
        "fisher_exact",
        odds if np.isfinite(odds) else None,
        None,
        float(result.pvalue),
        float(expected_counts(table).min()),
    )


def monte_carlo_kx2(
    successes: Sequence[float], trials: Sequence[float], *, draws: int, seed: int
) -> ChiSquareResult:
    """Monte-Carlo exact p-value of Pearson's statistic given both margins (seeded)."""
    observed = pearson_kx2(successes, trials)
    if observed.error or observed.statistic is None:
        return ChiSquareResult("monte_carlo_exact", None, None, None, error=observed.error)
    t = np.asarray(trials, dtype=np.int64)
    total_s = int(np.sum(np.asarray(successes, dtype=np.int64)))
    rng = np.random.default_rng(seed)
    sims = rng.multivariate_hypergeometric(t, total_s, size=draws).astype(np.float64)
    n = float(t.sum())
    e_s = t * total_s / n
    e_f = t * (n - total_s) / n
    stats = np.sum((sims - e_s) ** 2 * (1.0 / e_s + 1.0 / e_f), axis=1)
    # a relative tolerance so ties with the observed table are counted despite rounding
    hits = int(np.sum(stats >= observed.statistic * (1.0 - 1e-9)))
    return ChiSquareResult(
        "monte_carlo_exact",
        observed.statistic,
        observed.dof,
        (1.0 + hits) / (draws + 1.0),
        observed.min_expected,
    )


def chi_square_test(
    successes: Sequence[float], trials: Sequence[float], *, draws: int, seed: int
) -> ChiSquareResult:
    """The seed's test, made valid: Pearson, or Fisher / Monte-Carlo when an expected count < 5."""
    pearson = pearson_kx2(successes, trials)
    if pearson.error or pearson.min_expected is None or pearson.min_expected >= MIN_EXPECTED:
        return pearson
    if len(successes) == 2:
        return fisher_2x2(successes[0], trials[0], successes[1], trials[1])
    return monte_carlo_kx2(successes, trials, draws=draws, seed=seed)


def cmh_2x2(a: FloatArray, n1: FloatArray, c: FloatArray, n0: FloatArray) -> ChiSquareResult:
    """Cochran–Mantel–Haenszel test of arm 1 (``a`` of ``n1``) vs arm 0 (``c`` of ``n0``)."""
    big_n = n1 + n0
    keep = big_n > 1
    a, n1, c, n0, big_n = a[keep], n1[keep], c[keep], n0[keep], big_n[keep]
    m1 = a + c
    m0 = big_n - m1
    variance = float(np.sum(n1 * n0 * m1 * m0 / (big_n * big_n * (big_n - 1.0))))
    if variance <= 0.0:
        return ChiSquareResult("cmh", None, 1, None, error="no variance within strata")
    deviation = float(np.sum(a - n1 * m1 / big_n))
    statistic = deviation * deviation / variance
    return ChiSquareResult("cmh", statistic, 1, float(chdtrc(1, statistic)))


def cmh_kx2(successes: FloatArray, trials: FloatArray) -> ChiSquareResult:
    """Generalized CMH statistic of k arms (rows) across strata (columns), k − 1 dof."""
    k = successes.shape[0]
    big_n = trials.sum(axis=0)
    keep = big_n > 1
    s, t, big_n = successes[:, keep], trials[:, keep], big_n[keep]
    m = s.sum(axis=0)
    if np.any(t.sum(axis=1) == 0) or not np.any((m > 0) & (m < big_n)):
        return ChiSquareResult("cmh", None, k - 1, None, error="no variance within strata")
    deviation = (s - t * m / big_n).sum(axis=1)[: k - 1]
    scale = m * (big_n - m) / (big_n * big_n * (big_n - 1.0))
    tr = t[: k - 1]
    cov = np.diag((tr * scale * big_n).sum(axis=1)) - (tr * scale) @ tr.T
    try:
        statistic = float(deviation @ np.linalg.solve(cov, deviation))
    except np.linalg.LinAlgError:
        return ChiSquareResult("cmh", None, k - 1, None, error="no variance within strata")
    if not np.isfinite(statistic) or statistic < 0:
        return ChiSquareResult("cmh", None, k - 1, None, error="no variance within strata")
    return ChiSquareResult("cmh", statistic, k - 1, float(chdtrc(k - 1, statistic)))
