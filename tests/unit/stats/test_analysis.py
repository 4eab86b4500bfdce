"""analyze(): the seed's properties, verdict rules, guards and degenerate inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from roasloop.stats.analysis import METHODS, AnalysisConfig, TestDesign, analyze
from tests.unit.stats._fixtures import row, single_day

INSUFFICIENT_ZH = "数据不足，建议继续测试"
NOT_SIGNIFICANT_ZH = "差异不显著，建议继续测试或增加样本量"


@st.composite
def sufficient_tests(draw: st.DrawFn) -> tuple[tuple[str, ...], list[int], list[int]]:
    k = draw(st.integers(2, 4))
    conversions = draw(st.lists(st.integers(100, 3000), min_size=k, max_size=k))
    failures = draw(st.lists(st.integers(1000, 150_000), min_size=k, max_size=k))
    clicks = [c + f for c, f in zip(conversions, failures, strict=True)]
    return tuple("ABCD"[:k]), clicks, conversions


# Feature: campaign-automation, Property 11: A/B 测试统计分析
@settings(max_examples=150, deadline=None)
@given(sufficient_tests())
def test_property_11_chi_square_p_value_and_winner(test: tuple) -> None:
    ids, clicks, conversions = test
    result = analyze(single_day(ids, clicks, conversions), TestDesign(ids), "chi_square")
    assert result.error is None
    table = np.column_stack([conversions, np.subtract(clicks, conversions)])
    ref = chi2_contingency(table, correction=False)
    if ref.expected_freq.min() >= 5:
        assert result.omnibus.test == "pearson_chi2"
        assert result.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)
    assert result.readiness.floor_met
    rates = [c / n for c, n in zip(conversions, clicks, strict=True)]
    if result.p_value >= 0.05:
        assert result.winner is None
    if result.winner is not None:
        assert result.p_value < 0.05
        assert rates[ids.index(result.winner)] == max(rates)
    if len(ids) == 2 and result.omnibus.test == "pearson_chi2":
        assert (result.winner is not None) == (result.p_value < 0.05)


@st.composite
def strong_variant_tests(draw: st.DrawFn) -> tuple[tuple[str, ...], list[int], list[int]]:
    k = draw(st.integers(2, 4))
    base = draw(st.floats(0.01, 0.05))
    best = draw(st.integers(0, k - 1))
    clicks = draw(st.lists(st.integers(30_000, 60_000), min_size=k, max_size=k))
    rates = [base * (1.6 if i == best else draw(st.floats(0.9, 1.1))) for i in range(k)]
    conversions = [round(n * p) for n, p in zip(clicks, rates, strict=True)]
    return tuple("ABCD"[:k]), clicks, conversions


# Feature: campaign-automation, Property 12: A/B 测试建议生成
@settings(max_examples=100, deadline=None)
@given(strong_variant_tests(), st.sampled_from(METHODS))
def test_property_12_winner_comes_with_recommendations(test: tuple, method: str) -> None:
    ids, clicks, conversions = test
    result = analyze(single_day(ids, clicks, conversions), TestDesign(ids), method)
    assume(result.winner is not None)
    actions = {r.action: r for r in result.recommendations}
    assert set(actions) == {"pause", "increase_budget"}
    worst = actions["pause"].variant_id
    rates = {v: c / n for v, c, n in zip(ids, conversions, clicks, strict=True)}
    assert worst != result.winner and rates[worst] == min(rates.values())
    assert actions["pause"].zh_cn == f"暂停 {worst}（表现最差）"
    assert actions["increase_budget"].variant_id == result.winner
    assert actions["increase_budget"].pct == 50
    assert actions["increase_budget"].zh_cn == f"增加 {result.winner} 预算 50%"
    assert result.as_dict()["recommendations"][1]["zh-CN"] == f"增加 {result.winner} 预算 50%"


def test_below_the_floor_is_insufficient_data() -> None:
    ids = ("A", "B")
    result = analyze(single_day(ids, [4000, 4000], [99, 160]), TestDesign(ids), "chi_square")
    assert result.verdict == "keep_testing" and result.winner is None
    assert result.messages["zh-CN"] == INSUFFICIENT_ZH
    assert result.messages["en"] == "Insufficient data, keep testing"
    assert not result.readiness.floor_met and result.readiness.min_conversions == 99
    assert result.recommendations[0].action == "keep_testing"


def test_not_significant_keeps_the_seed_message() -> None:
    ids = ("A", "B")
    result = analyze(single_day(ids, [10_000, 10_000], [200, 215]), TestDesign(ids), "chi_square")
    assert result.verdict == "keep_testing"
    assert result.messages["zh-CN"] == NOT_SIGNIFICANT_ZH
    assert result.recommendations[0].zh_cn == NOT_SIGNIFICANT_ZH
    assert result.readiness.days_remaining is not None


def test_winner_must_also_beat_the_runner_up() -> None:
    ids = ("A", "B", "C")
    # B and C both clearly beat A, but B is not clearly better than C
    rows = single_day(ids, [50_000, 50_000, 50_000], [1000, 1300, 1290])
    for method in METHODS:
        result = analyze(rows, TestDesign(ids), method)
        assert result.comparisons[0].significant and result.comparisons[1].significant
        assert result.winner is None, method
        assert result.runner_up == "C"
        assert result.best_vs_runner_up.variant_id == "B"
    clear = analyze(single_day(ids, [50_000] * 3, [1000, 1300, 1100]), TestDesign(ids))
    assert clear.verdict == "winner" and clear.winner == "B"


def test_control_can_win() -> None:
    ids = ("A", "B", "C")
    result = analyze(single_day(ids, [50_000] * 3, [1400, 1000, 1050]), TestDesign(ids))
    assert result.winner == "A"
    assert [r.variant_id for r in result.recommendations] == ["B", "A"]


def test_holm_adjusts_the_control_comparisons() -> None:
    ids = ("A", "B", "C", "D")
    rows = single_day(ids, [20_000] * 4, [400, 470, 410, 405])
    result = analyze(rows, TestDesign(ids), "chi_square")
    raw = [c.p_value for c in result.comparisons]
    adjusted = [c.adjusted_p_value for c in result.comparisons]
    assert all(a >= p for a, p in zip(adjusted, raw, strict=True))
    assert min(adjusted) == pytest.approx(3 * min(raw))
    none = analyze(rows, TestDesign(ids), "chi_square", AnalysisConfig(correction="none"))
    assert [c.adjusted_p_value for c in none.comparisons] == pytest.approx(raw)


def test_equivalence_gives_no_difference() -> None:
    ids = ("A", "B")
    rows = single_day(ids, [400_000, 400_000], [8000, 8040])
    for method in METHODS:
        result = analyze(rows, TestDesign(ids), method)
        assert result.verdict == "no_difference", method
        assert result.recommendations[0].action == "end_test"


def test_powered_test_without_difference_is_no_difference() -> None:
    ids = ("A", "B")
    rows = single_day(ids, [60_000, 60_000], [1200, 1230])
    result = analyze(rows, TestDesign(ids), "chi_square")
    assert result.readiness.ready
    assert result.verdict == "no_difference"


def test_sequential_is_more_demanding_than_a_single_look() -> None:
    ids = ("A", "B")
    rows = single_day(ids, [12_000, 12_000], [240, 295])  # z ~ 2.4
    fixed = analyze(rows, TestDesign(ids), "chi_square")
    sequential = analyze(rows, TestDesign(ids), "sequential")
    assert fixed.winner == "B"
    assert sequential.winner is None
    assert sequential.comparisons[0].p_value > fixed.comparisons[0].p_value
    cs, ci = sequential.comparisons[0], fixed.comparisons[0]
    assert cs.lift_lower < ci.lift_lower and cs.lift_upper > ci.lift_upper


def test_bayesian_outputs() -> None:
    ids = ("A", "B", "C")
    result = analyze(single_day(ids, [30_000] * 3, [600, 720, 610]), TestDesign(ids), "bayesian")
    best = [v.chance_to_be_best for v in result.variants]
    assert sum(best) == pytest.approx(1.0, abs=1e-6)
    assert max(best) == best[1]
    b = result.comparisons[0]
    assert b.chance_to_win > 0.99 and b.risk < 1e-3
    assert b.lift_lower < b.lift < b.lift_upper
    assert result.winner == "B"
    strict = AnalysisConfig(ctw_threshold=0.999999)
    assert (
        analyze(
            single_day(ids, [30_000] * 3, [600, 720, 610]), TestDesign(ids), "bayesian", strict
        ).winner
        is None
    )


def _simpson_rows() -> list:
    # A converts better on both days; B got most of the high-converting day's traffic
    return [
        row("A", 10_000, 1200, day=0),
        row("A", 90_000, 1080, day=1),
        row("B", 90_000, 9000, day=0),
        row("B", 10_000, 100, day=1),
    ]


@pytest.mark.parametrize("method", METHODS)
def test_simpson_fixture_warns_and_uses_the_stratified_verdict(method: str) -> None:
    ids = ("A", "B")
    result = analyze(_simpson_rows(), TestDesign(ids, randomized=False), method)
    codes = [w.code for w in result.warnings]
    assert "simpson" in codes and "not_randomized" in codes
    assert result.comparisons[0].lift < 0  # stratified: B is worse
    assert result.winner == "A"
    pooled = [row("A", 100_000, 2280), row("B", 100_000, 9100)]
    assert analyze(pooled, TestDesign(ids), method).winner == "B"


def test_srm_fixture_trips_the_gate() -> None:
    ids = ("A", "B")
    rows = [
        row("A", 50_000, 1000, impressions=1_000_000),
        row("B", 50_000, 1400, impressions=1_060_000),
    ]
    gated = analyze(rows, TestDesign(ids, designed_split=(0.5, 0.5)), "sequential")
    assert "srm" in [w.code for w in gated.warnings]
    assert gated.verdict == "keep_testing" and gated.winner is None
    assert gated.recommendations[0].action == "check_setup"
    free = analyze(rows, TestDesign(ids), "sequential")
    assert free.winner == "B" and "srm" not in [w.code for w in free.warnings]
    ok = [
        row("A", 50_000, 1000, impressions=1_000_000),
        row("B", 50_000, 1400, impressions=1_001_000),
    ]
    assert analyze(ok, TestDesign(ids, designed_split=(0.5, 0.5))).winner == "B"


def _daily_money_rows(roas_b: float, days: int = 21) -> list:
    rng = np.random.default_rng(4)
    rows = []
    for d in range(days):
        for vid, roas in (("A", 2.0), ("B", roas_b)):
            spend = float(rng.gamma(50, 6))
            revenue = spend * roas * float(rng.gamma(25, 1 / 25))
            conv = int(rng.poisson(spend / 15))
            rows.append(
                row(vid, 1000, conv, day=d, spend=round(spend, 2), revenue=round(revenue, 2))
            )
    return rows


@pytest.mark.parametrize("method", METHODS)
def test_roas_and_cpa_verdicts(method: str) -> None:
    ids = ("A", "B")
    roas = analyze(_daily_money_rows(2.6), TestDesign(ids, "roas"), method)
    assert roas.winner == "B", roas.messages
    assert roas.comparisons[0].lift == pytest.approx(0.3, abs=0.1)
    assert roas.readiness.unit == "clusters"
    cpa = analyze(_daily_money_rows(2.0), TestDesign(ids, "cpa"), method)
    assert cpa.comparisons[0].error is None
    v = roas.variants[1]
    assert v.roas.lower < v.roas.value < v.roas.upper
    assert v.cpa.lower < v.cpa.value < v.cpa.upper


def test_few_days_of_money_data_is_insufficient() -> None:
    result = analyze(_daily_money_rows(3.0, days=3), TestDesign(("A", "B"), "roas"))
    assert result.verdict == "keep_testing"
    assert not result.readiness.floor_met


def test_readiness_and_days_remaining() -> None:
    ids = ("A", "B")
    rows = [row(v, 3000, 60, day=d) for d in range(3) for v in ids]
    result = analyze(rows, TestDesign(ids), "chi_square")
    r = result.readiness
    assert r.unit == "clicks" and r.current_per_variant == 9000
    assert r.required_per_variant == pytest.approx(21_100, rel=0.01)
    assert r.daily_delivery == pytest.approx(3000)
    assert r.days_remaining == 5
    seq = analyze(rows, TestDesign(ids), "sequential").readiness
    assert seq.required_per_variant > r.required_per_variant
    assert seq.min_conversions_floor == 25


AB = ("A", "B")
SMALL = single_day(AB, [100, 100], [5, 5])
INVALID = {
    "no rows": ([], TestDesign(AB), "sequential", AnalysisConfig()),
    "one variant": (
        single_day(("A",), [100], [5]),
        TestDesign(("A",)),
        "sequential",
        AnalysisConfig(),
    ),
    "duplicate ids": (SMALL, TestDesign(("A", "A")), "sequential", AnalysisConfig()),
    "unknown method": (SMALL, TestDesign(AB), "t-test", AnalysisConfig()),
    "unknown metric": (SMALL, TestDesign(AB, "ltv"), "sequential", AnalysisConfig()),
    "bad alpha": (SMALL, TestDesign(AB), "sequential", AnalysisConfig(alpha=1.5)),
    "bad correction": (SMALL, TestDesign(AB), "sequential", AnalysisConfig(correction="x")),
    "conversions > clicks": (
        single_day(AB, [10, 100], [50, 5]),
        TestDesign(AB),
        "chi_square",
        AnalysisConfig(),
    ),
    "negative count": (
        [row("A", -1, 0), row("B", 1, 0)],
        TestDesign(AB),
        "sequential",
        AnalysisConfig(),
    ),
    "short split": (SMALL, TestDesign(AB, designed_split=(1.0,)), "sequential", AnalysisConfig()),
}


@pytest.mark.parametrize("case", INVALID)
def test_invalid_input_returns_an_error(case: str) -> None:
    rows, design, method, config = INVALID[case]
    result = analyze(rows, design, method, config)
    assert result.error
    assert result.verdict == "keep_testing" and result.winner is None
    assert result.messages["en"].startswith("Analysis failed")
    assert result.as_dict()["error"] == result.error


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("metric", ["cvr", "ctr", "roas", "cpa", "conversions_per_impression"])
def test_degenerate_data_is_not_an_exception(method: str, metric: str) -> None:
    ids = ("A", "B", "C")
    cases = [([0, 0, 0], [0, 0, 0]), ([500, 0, 500], [20, 0, 25])]
    if metric != "ctr":  # CTR is well defined without conversions
        cases.append(([500, 500, 500], [0, 0, 0]))
    for clicks, conversions in cases:
        result = analyze(single_day(ids, clicks, conversions), TestDesign(ids, metric), method)
        assert result.error is None
        assert result.verdict == "keep_testing"
        assert result.messages["zh-CN"] == INSUFFICIENT_ZH
        assert any(c.error for c in result.comparisons) or not result.readiness.floor_met


def test_unknown_variants_are_ignored_with_a_warning() -> None:
    rows = [*single_day(("A", "B"), [1000, 1000], [30, 40]), row("Z", 1000, 500)]
    result = analyze(rows, TestDesign(("A", "B")))
    assert result.error is None
    assert [w.code for w in result.warnings] == ["unknown_variant"]
    assert result.variants[1].conversions == 40


def test_days_and_ad_sets_are_strata() -> None:
    ids = ("A", "B", "C")
    rows = [
        row(v, 2000 + 100 * d, 40 + d + (15 if v == "B" else 0), day=d, stratum=adset)
        for d in range(10)
        for adset in ("as-1", "as-2")
        for v in ids
    ]
    result = analyze(rows, TestDesign(ids), "chi_square")
    assert result.omnibus.test == "cmh"
    assert {c.test for c in result.comparisons} == {"cmh"}
    assert result.winner == "B"
    assert result.readiness.daily_delivery == pytest.approx(2 * (2000 + 100 * 6), rel=1e-9)
