"""Market dynamics: fatigue, saturation, divergent delivery, the oracle view and calibration."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.sandbox.market import Audience, Market
from roasloop.sandbox.market.scenario import Scenario, builtin_scenario

START = date(2025, 3, 3)
ALL_US = Audience(("US",))


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def fixed(**extra: object) -> Scenario:
    base = {"cpm": 8.0, "ctr": 0.01, "cvr": 0.03, "aov": 80.0}
    return Scenario.from_dict({"base": base, **extra})


def totals(market: Market, ads: list[str], offsets: range) -> dict[str, float]:
    rows = [market.true_outcome(ad, day(i)) for ad in ads for i in offsets]
    return {
        "impressions": sum(r.impressions for r in rows),
        "clicks": sum(r.clicks for r in rows),
        "conversions": sum(r.conversions for r in rows),
        "spend": float(sum(r.spend for r in rows)),
        "revenue": float(sum(r.revenue for r in rows)),
    }


def test_fatigue_lowers_ctr_of_a_heavily_delivered_ad() -> None:
    market = Market(fixed(fatigue={"effective_audience": 30000.0}), 3)
    market.add_adgroup("g", ALL_US, Decimal("150"), START)
    market.add_ad("g-a", "g", "a", START)
    market.simulate_day(day(20))
    fatigue = [market.true_parameters("g-a", day(i)).fatigue_multiplier for i in range(21)]
    assert fatigue[0] == 1.0 and fatigue[20] < 0.5
    assert fatigue == sorted(fatigue, reverse=True) and fatigue[3] < fatigue[2]
    ctrs = [market.true_parameters("g-a", day(i)).ctr for i in (0, 7, 14)]  # same weekday
    assert ctrs == sorted(ctrs, reverse=True)
    early, late = totals(market, ["g-a"], range(0, 3)), totals(market, ["g-a"], range(17, 21))
    assert late["clicks"] / late["impressions"] < 0.6 * early["clicks"] / early["impressions"]
    assert late["spend"] / late["impressions"] > early["spend"] / early["impressions"]  # CPM up


@settings(max_examples=100, deadline=None)
@given(eps=st.floats(0.3, 0.8), seed=st.integers(0, 2**32), ads=st.integers(1, 4))
def test_revenue_per_dollar_falls_with_spend_when_saturating(
    eps: float, seed: int, ads: int
) -> None:
    market = Market(fixed(saturation={"eps": eps}), seed)
    market.add_adgroup("g", Audience(("US",), ("25-34",)), Decimal("50"), START)
    for i in range(ads):
        market.add_ad(f"ad{i}", "g", f"creative-{i}", START)
    spends = [Decimal(s) for s in (10, 40, 80, 160, 320)]
    outcomes = [market.expected_outcome("g", s, START) for s in spends]
    conversions = [c for c, _ in outcomes]
    per_dollar = [r / s for (_, r), s in zip(outcomes, spends, strict=True)]
    assert conversions == sorted(conversions) and len(set(conversions)) == len(conversions)
    assert all(b < a for a, b in pairwise(per_dollar[1:]))
    assert per_dollar[0] >= per_dollar[1] * Decimal("0.999")  # flat below s_ref = $52


def test_saturation_raises_cpa_by_the_power_law() -> None:
    market = Market(fixed(saturation={"eps": 0.5, "ref_spend": 100.0}), 1)
    market.add_adgroup("g", ALL_US, Decimal("100"), START)
    market.add_ad("g-a", "g", "a", START)
    cpa = [s / market.expected_outcome("g", s, START)[0] for s in (Decimal(100), Decimal(400))]
    assert abs(cpa[1] / cpa[0] - 2) < Decimal("0.01")  # 4x spend, eps 0.5 -> CPA x2
    params = market.true_parameters("g-a", START)
    assert params.saturation_eps == 0.5 and params.saturation_ref_spend == Decimal("100.00")


def test_delivery_favours_the_better_creative() -> None:
    scenario = fixed(
        creatives={
            "good": {"ctr_mult": 1.8, "cvr_mult": 1.3},
            "bad": {"ctr_mult": 0.8, "cvr_mult": 0.9},
        }
    )
    market = Market(scenario, 8)
    market.add_adgroup("g", ALL_US, Decimal("100"), START)
    market.add_ad("good", "g", "good", START)
    market.add_ad("bad", "g", "bad", START)
    market.simulate_day(day(9))
    good, bad = totals(market, ["good"], range(10)), totals(market, ["bad"], range(10))
    assert good["spend"] > 3 * bad["spend"] > 0


def test_simulated_days_average_to_the_expected_outcome() -> None:
    base = {"cpm": 8.0, "ctr": 0.01, "cvr": 0.1, "aov": 80.0}
    scenario = Scenario.from_dict({"base": base, "creatives": {"a": {}, "b": {}}})
    realised, expect = [0, Decimal(0)], [Decimal(0), Decimal(0)]
    for seed in range(100):
        market = Market(scenario, seed)
        market.add_adgroup("g", ALL_US, Decimal("100"), START)
        market.add_ad("a", "g", "a", START)
        market.add_ad("b", "g", "b", START)
        predicted = market.expected_outcome("g", market.daily_budget("g"), START)
        market.simulate_day(START)
        spend = market.adgroup_spend("g", START)
        conversions, revenue = market.expected_outcome("g", spend, START)
        assert predicted[0] >= conversions  # TikTok pacing never spends above the budget
        rows = [market.true_outcome(ad, START) for ad in ("a", "b")]
        realised[0] += sum(r.conversions for r in rows)
        realised[1] += sum(r.revenue for r in rows)
        expect = [expect[0] + conversions, expect[1] + revenue]
    assert float(expect[0]) > 1000
    assert abs(realised[0] / expect[0] - 1) < Decimal("0.1")
    assert abs(realised[1] / expect[1] - 1) < Decimal("0.12")


def test_true_parameters_match_the_scenario_at_launch() -> None:
    market = Market(fixed(creatives={"a": {"ctr_mult": 1.0, "cvr_mult": 1.0}}), 1)
    market.add_adgroup("g", Audience(("US",), ("25-34",)), Decimal("40"), START)
    market.add_ad("g-a", "g", "a", START)
    params = market.true_parameters("g-a", day(3))  # a Thursday in March: dow cpm 1.00
    assert params.cpm == Decimal("8.0") * Decimal("0.95")  # March month_cpm
    assert abs(params.ctr - 0.01 * 0.95) < 1e-12  # 25-34 ctr, Thursday ctr 1.00
    assert abs(params.cvr - 0.03 * params.learning_multiplier) < 1e-12
    assert params.aov == Decimal("76.00")  # 80 x 0.95
    assert params.learning_state == "learning" and params.capture_rate == 0.9


def test_demo_scenario_sits_inside_the_tiktok_ranges() -> None:
    demo = builtin_scenario("demo")
    market = Market(demo, 2025)
    for age in ("18-24", "25-34", "35-44"):
        market.add_adgroup(age, Audience(("US",), (age,)), Decimal("75"), START)
        for creative in demo.creatives:
            market.add_ad(f"{age}/{creative}", age, creative, START)
    market.simulate_day(day(29))
    t = totals(market, market.ad_keys(), range(30))
    cpm = t["spend"] / t["impressions"] * 1000
    assert 6 <= cpm <= 12  # §1b: TikTok e-commerce CPM $6-12
    assert 0.004 <= t["clicks"] / t["impressions"] <= 0.02  # §1b: 0.73% average, 1-2% small
    assert 0.01 <= t["conversions"] / t["clicks"] <= 0.05  # §1b: "good" 1-3%
    assert 1.0 <= t["revenue"] / t["spend"] <= 3.0  # brief: ROAS around 1-3
    assert 1.0 <= t["conversions"] / (3 * 30) <= 6.0  # a few conversions per ad group a day
