"""CPA (cost per result) as the primary metric, for every method, against hand-computed values.

CPA is a ratio of sums (spend / conversions) over (day × ad set) clusters, lower is better.
The expected numbers are computed here from the textbook formulas with numpy and scipy, not
with roasloop's own helpers.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm
from scipy.stats import t as student_t

from roasloop.stats.analysis import METHODS, AnalysisConfig, TestDesign, analyze
from tests.unit.stats._fixtures import row

IDS = ("A", "B")
# Fourteen days; B buys a conversion for about half of what A pays.
SPEND = {
    "A": [100, 110, 90, 105, 95, 100, 120, 80, 100, 110, 90, 100, 105, 95],
    "B": [98, 104, 92, 100, 101, 99, 110, 90, 95, 105, 100, 100, 97, 103],
}
CONVERSIONS = {
    "A": [8, 9, 6, 9, 7, 8, 11, 5, 8, 10, 7, 8, 9, 7],
    "B": [16, 18, 14, 15, 17, 16, 19, 15, 14, 18, 17, 16, 15, 17],
}


def _rows(spend: dict[str, list[int]], conversions: dict[str, list[int]]) -> list:
    return [
        row(v, 400, conversions[v][d], day=d, stratum=v, spend=spend[v][d], revenue=0)
        for v in spend
        for d in range(len(spend[v]))
    ]


def _delta(variant: str) -> tuple[float, float]:
    """CPA and its delta-method variance (Deng et al. 2018) for one arm."""
    x = np.array(CONVERSIONS[variant], dtype=float)
    y = np.array(SPEND[variant], dtype=float)
    cpa = y.sum() / x.sum()
    variance = (y - cpa * x).var(ddof=1) / (len(x) * x.mean() ** 2)
    return cpa, variance


def _log_ratio() -> tuple[float, float, float]:
    """log(CPA_B / CPA_A), its variance and Welch–Satterthwaite degrees of freedom."""
    (cpa_a, var_a), (cpa_b, var_b) = _delta("A"), _delta("B")
    rel_a, rel_b = var_a / cpa_a**2, var_b / cpa_b**2
    n = len(SPEND["A"])
    dof = (rel_a + rel_b) ** 2 / (rel_a**2 / (n - 1) + rel_b**2 / (n - 1))
    return math.log(cpa_b / cpa_a), rel_a + rel_b, dof


ROWS = _rows(SPEND, CONVERSIONS)
DESIGN = TestDesign(IDS, "cpa")


def test_fixed_horizon_is_a_welch_t_test_on_log_cpa() -> None:
    result = analyze(ROWS, DESIGN, "chi_square")
    theta, variance, dof = _log_ratio()
    comp = result.comparisons[0]
    assert comp.test == "wald_t"
    assert comp.lift == pytest.approx(math.expm1(theta), rel=1e-9)
    assert comp.lift < 0  # B is cheaper: its CPA is lower than A's
    p = 2 * student_t.sf(abs(theta) / math.sqrt(variance), dof)
    assert comp.p_value == pytest.approx(p, rel=1e-6)
    half = student_t.ppf(0.975, dof) * math.sqrt(variance)
    expected = (math.expm1(theta - half), math.expm1(theta + half))
    assert (comp.lift_lower, comp.lift_upper) == pytest.approx(expected, rel=1e-6)
    assert comp.significant and comp.direction == "better"
    assert result.winner == "B" and result.verdict == "winner"


def test_sequential_is_the_msprt_on_log_cpa() -> None:
    config = AnalysisConfig(mde=0.2)
    result = analyze(ROWS, DESIGN, "sequential", config)
    theta, variance, _ = _log_ratio()
    effect = math.log1p(0.2)
    target = (effect / (norm.ppf(0.975) + norm.ppf(0.8))) ** 2
    tau2 = target * (-2 * math.log(0.05) + math.log(1 - 2 * math.log(0.05)))
    lam = math.sqrt(variance / (variance + tau2)) * math.exp(
        tau2 * theta**2 / (2 * variance * (variance + tau2))
    )
    comp = result.comparisons[0]
    assert comp.test == "msprt"
    assert comp.p_value == pytest.approx(min(1.0, 1 / lam), rel=1e-9)
    inflation = math.log((variance + tau2) / variance)
    width = math.sqrt(variance * (variance + tau2) / tau2 * (2 * math.log(20) + inflation))
    expected = (math.expm1(theta - width), math.expm1(theta + width))
    assert (comp.lift_lower, comp.lift_upper) == pytest.approx(expected, rel=1e-9)
    assert comp.direction == "better" and result.winner == "B"


def test_bayesian_chance_to_win_is_the_chance_of_a_lower_cpa() -> None:
    result = analyze(ROWS, DESIGN, "bayesian")
    (cpa_a, var_a), (cpa_b, var_b) = _delta("A"), _delta("B")
    sd = math.sqrt(var_a / cpa_a**2 + var_b / cpa_b**2)
    chance = norm.cdf((math.log(cpa_a) - math.log(cpa_b)) / sd)
    comp = result.comparisons[0]
    assert comp.chance_to_win == pytest.approx(chance, abs=1e-7)
    assert comp.lift == pytest.approx(cpa_b / cpa_a - 1, rel=1e-9)
    assert result.winner == "B"
    assert result.variants[1].chance_to_be_best == pytest.approx(chance, abs=1e-7)


@pytest.mark.parametrize("method", METHODS)
def test_variant_summaries_carry_cpa_with_its_interval(method: str) -> None:
    result = analyze(ROWS, DESIGN, method)
    cpa_b, var_b = _delta("B")
    summary = result.variants[1]
    assert summary.metric_estimate == pytest.approx(cpa_b)
    half = student_t.ppf(0.975, len(SPEND["B"]) - 1) * math.sqrt(var_b)
    assert (summary.cpa.lower, summary.cpa.upper) == pytest.approx(
        (cpa_b - half, cpa_b + half), rel=1e-9
    )
    assert result.readiness is not None and result.readiness.unit == "clusters"


@pytest.mark.parametrize("method", METHODS)
def test_cpa_and_cvr_can_crown_different_variants(method: str) -> None:
    """B converts more of its clicks but pays three times as much per click: per result it
    costs more, so CPA picks A while CVR picks B."""
    days = 14
    rows = []
    for d in range(days):
        rows.append(row("A", 1000, 20 + d % 3, day=d, stratum="s", spend=500 + 10 * (d % 4)))
        rows.append(row("B", 1000, 30 + d % 3, day=d, stratum="s", spend=1500 + 10 * (d % 5)))
    assert analyze(rows, TestDesign(IDS, "cpa"), method).winner == "A"
    assert analyze(rows, TestDesign(IDS, "cvr"), method).winner == "B"


@pytest.mark.parametrize("method", METHODS)
def test_equal_cpa_gives_no_winner(method: str) -> None:
    rows = _rows({"A": SPEND["A"], "B": SPEND["A"]}, {"A": CONVERSIONS["A"], "B": CONVERSIONS["A"]})
    result = analyze(rows, DESIGN, method)
    assert result.winner is None
    assert result.comparisons[0].lift == pytest.approx(0.0, abs=1e-12)


def test_a_lift_far_beyond_any_data_is_capped_not_an_overflow() -> None:
    from roasloop.stats.proportions import LOG_LIFT_CAP, lift_interval, lift_of

    assert lift_of(5000.0) == lift_of(LOG_LIFT_CAP)
    assert lift_of(-5000.0) == pytest.approx(-1 + 1e-9)
    assert lift_interval(0.1, 1e6)[2] == lift_of(LOG_LIFT_CAP)
