"""Pearson, Fisher, Monte-Carlo exact and CMH tests against scipy and statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency, fisher_exact
from statsmodels.stats.contingency_tables import StratifiedTable

from roasloop.stats.chi_square import (
    chi_square_test,
    cmh_2x2,
    cmh_kx2,
    fisher_2x2,
    monte_carlo_kx2,
    pearson_kx2,
)


@st.composite
def kx2_tables(
    draw: st.DrawFn, max_k: int = 6, max_n: int = 100_000
) -> tuple[list[int], list[int]]:
    k = draw(st.integers(2, max_k))
    trials = draw(st.lists(st.integers(1, max_n), min_size=k, max_size=k))
    successes = [draw(st.integers(0, n)) for n in trials]
    return successes, trials


def _table(successes: list[int], trials: list[int]) -> np.ndarray:
    return np.column_stack([successes, np.subtract(trials, successes)])


def _nondegenerate(successes: list[int], trials: list[int]) -> bool:
    return 0 < sum(successes) < sum(trials)


@settings(max_examples=300, deadline=None)
@given(kx2_tables())
def test_pearson_equals_scipy_without_yates(table: tuple[list[int], list[int]]) -> None:
    successes, trials = table
    assume(_nondegenerate(successes, trials))
    ours = pearson_kx2(successes, trials)
    ref = chi2_contingency(_table(successes, trials), correction=False)
    assert ours.error is None
    assert ours.dof == ref.dof
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-9, abs=1e-12)
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)
    assert ours.min_expected == pytest.approx(ref.expected_freq.min(), rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(kx2_tables(max_k=2, max_n=300))
def test_fisher_equals_scipy(table: tuple[list[int], list[int]]) -> None:
    (s1, s2), (n1, n2) = table
    assume(_nondegenerate([s1, s2], [n1, n2]))
    ours = fisher_2x2(s1, n1, s2, n2)
    ref = fisher_exact(_table([s1, s2], [n1, n2]), alternative="two-sided")
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)
    if math.isfinite(ref.statistic):
        assert ours.statistic == pytest.approx(ref.statistic, rel=1e-9)


def test_small_expected_counts_switch_to_exact_tests() -> None:
    two = chi_square_test([1, 6], [20, 22], draws=2000, seed=1)
    assert two.test == "fisher_exact"
    assert two.p_value == pytest.approx(fisher_exact([[1, 19], [6, 16]]).pvalue, rel=1e-12)
    three = chi_square_test([1, 6, 2], [20, 22, 25], draws=2000, seed=1)
    assert three.test == "monte_carlo_exact"
    large = chi_square_test([100, 130], [5000, 5000], draws=2000, seed=1)
    assert large.test == "pearson_chi2"


def test_monte_carlo_is_seeded_and_close_to_the_exact_test() -> None:
    a = monte_carlo_kx2([2, 9], [30, 30], draws=20_000, seed=7)
    b = monte_carlo_kx2([2, 9], [30, 30], draws=20_000, seed=7)
    assert a == b
    # for a 2x2 table, the conditional chi-square test orders tables like Fisher's test
    exact = fisher_exact([[2, 28], [9, 21]]).pvalue
    assert a.p_value == pytest.approx(exact, abs=0.01)
    assert 0 < a.p_value <= 1


@pytest.mark.parametrize(
    ("successes", "trials"),
    [([0, 0], [10, 10]), ([5, 5], [5, 5]), ([1, 2], [0, 4]), ([3], [10]), ([5, 11], [10, 10])],
)
def test_degenerate_tables_return_an_error(successes: list[int], trials: list[int]) -> None:
    result = pearson_kx2(successes, trials)
    assert result.error is not None and result.p_value is None
    assert chi_square_test(successes, trials, draws=200, seed=0).error is not None


@st.composite
def strata(draw: st.DrawFn) -> list[np.ndarray]:
    tables = []
    for _ in range(draw(st.integers(1, 8))):
        n1, n0 = draw(st.integers(1, 5000)), draw(st.integers(1, 5000))
        a, c = draw(st.integers(0, n1)), draw(st.integers(0, n0))
        tables.append(np.array([[a, n1 - a], [c, n0 - c]], dtype=float))
    return tables


@settings(max_examples=200, deadline=None)
@given(strata())
def test_cmh_equals_statsmodels(tables: list[np.ndarray]) -> None:
    stacked = np.dstack(tables)
    a, n1 = stacked[0, 0], stacked[0].sum(axis=0)
    c, n0 = stacked[1, 0], stacked[1].sum(axis=0)
    m1 = a + c
    big_n = n1 + n0
    variance = np.sum(n1 * n0 * m1 * (big_n - m1) / (big_n**2 * (big_n - 1)))
    assume(variance > 1e-6)
    ours = cmh_2x2(a, n1, c, n0)
    ref = StratifiedTable(tables).test_null_odds(correction=False)
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-9, abs=1e-12)
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)
    general = cmh_kx2(np.vstack([a, c]), np.vstack([n1, n0]))
    assert general.statistic == pytest.approx(ours.statistic, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(kx2_tables(max_k=5, max_n=5000))
def test_generalized_cmh_on_one_stratum_is_scaled_pearson(
    table: tuple[list[int], list[int]],
) -> None:
    successes, trials = table
    assume(_nondegenerate(successes, trials))
    pearson = pearson_kx2(successes, trials)
    s = np.array(successes, dtype=float)[:, None]
    t = np.array(trials, dtype=float)[:, None]
    general = cmh_kx2(s, t)
    total = sum(trials)
    assert general.dof == len(trials) - 1
    assert general.statistic == pytest.approx(pearson.statistic * (total - 1) / total, rel=1e-7)


def test_cmh_without_variance_is_an_error() -> None:
    zeros = np.zeros(3)
    ones = np.full(3, 10.0)
    assert cmh_2x2(zeros, ones, zeros, ones).error is not None
    assert cmh_kx2(np.zeros((3, 2)), np.full((3, 2), 10.0)).error is not None


def _generalized_cmh_by_loops(s: np.ndarray, t: np.ndarray) -> float:
    """Landis, Heyman & Koch (1978), stratum by stratum, written out longhand."""
    k = s.shape[0]
    dev = np.zeros(k - 1)
    cov = np.zeros((k - 1, k - 1))
    for h in range(s.shape[1]):
        n, m = t[:, h].sum(), s[:, h].sum()
        if n <= 1:
            continue
        rows = t[: k - 1, h]
        dev += s[: k - 1, h] - rows * m / n
        factor = m * (n - m) / (n * n * (n - 1))
        cov += factor * (n * np.diag(rows) - np.outer(rows, rows))
    return float(dev @ np.linalg.inv(cov) @ dev)


def test_generalized_cmh_across_strata_matches_the_longhand_formula() -> None:
    rng = np.random.default_rng(8)
    t = rng.integers(200, 3000, size=(4, 12)).astype(float)
    s = rng.binomial(t.astype(int), 0.03 * np.linspace(0.8, 1.2, 12)).astype(float)
    ours = cmh_kx2(s, t)
    assert ours.dof == 3
    assert ours.statistic == pytest.approx(_generalized_cmh_by_loops(s, t), rel=1e-9)
