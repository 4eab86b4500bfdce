"""The market simulator's contract: caps, funnel, determinism, streams, state and reports."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.sandbox.market import AdDayMetrics, Audience, Market
from roasloop.sandbox.market.errors import InvalidInput, UnknownEntity
from roasloop.sandbox.market.scenario import Scenario

START = date(2025, 3, 2)  # a Sunday: weeks run Sunday-Saturday
US_25 = Audience(("US",), ("25-34",))


def fixed(platform: str = "tiktok", **overrides: Any) -> Scenario:
    """A scenario with the §7 medians fixed, so tests do not depend on account luck."""
    data: dict[str, Any] = {
        "platform": platform,
        "base": {"cpm": 8.0, "ctr": 0.01, "cvr": 0.03, "aov": 80.0},
        **overrides,
    }
    return Scenario.from_dict(data)


def launch(
    market: Market, key: str, budget: str = "100", ads: int = 2, on: date = START
) -> list[str]:
    market.add_adgroup(key, US_25, Decimal(budget), on)
    keys = [f"{key}-ad{i}" for i in range(ads)]
    for i, ad in enumerate(keys):
        market.add_ad(ad, key, f"creative-{i}", on)
    return keys


def days(count: int, start: date = START) -> list[date]:
    return [start + timedelta(days=i) for i in range(count)]


def run(market: Market, count: int, start: date = START) -> None:
    market.simulate_day(start + timedelta(days=count - 1))


# ----- budget caps --------------------------------------------------------------------------

budget_plans = st.lists(st.integers(min_value=20, max_value=400), min_size=21, max_size=21)


@settings(max_examples=100, deadline=None)
@given(plan=budget_plans, seed=st.integers(0, 2**32), start_offset=st.integers(0, 6))
def test_spend_stays_under_daily_flex_and_weekly_cap(
    plan: list[int], seed: int, start_offset: int
) -> None:
    # Wide pacing noise so the caps bind often; Meta: 1.75x flex and a Sun-Sat weekly cap.
    scenario = fixed("meta", noise={"pacing_sigma": 0.8})
    market = Market(scenario, seed)
    start = START + timedelta(days=start_offset)
    launch(market, "g", str(plan[0]), ads=1, on=start)
    spent: dict[date, int] = {}
    for i, day in enumerate(days(len(plan), start)):
        budget = plan[i] * 100
        market.set_daily_budget("g", Decimal(plan[i]), day)
        market.simulate_day(day)
        spend = int(market.adgroup_spend("g", day) * 100)
        assert spend <= budget * 175 // 100
        week_first = day - timedelta(days=(day.weekday() + 1) % 7)
        earlier = [d for d in spent if d >= week_first]
        allowance = sum(plan[(d - start).days] * 100 for d in earlier)
        allowance += budget * ((week_first + timedelta(days=7) - day).days)
        assert spend <= max(0, allowance - sum(spent[d] for d in earlier))
        spent[day] = spend


def test_weekly_cap_binds_when_pacing_overshoots() -> None:
    scenario = fixed("meta", noise={"pacing_sigma": 0.8})
    market = Market(scenario, 3)
    launch(market, "g", "100", ads=1)
    run(market, 7)
    week = sum(market.adgroup_spend("g", d) for d in days(7))
    assert week <= Decimal("700.00")
    assert max(market.adgroup_spend("g", d) for d in days(7)) > Decimal("100")


def test_tiktok_default_never_spends_above_the_daily_budget() -> None:
    market = Market(fixed(), 1)
    launch(market, "g", "50")
    run(market, 28)
    spends = [market.adgroup_spend("g", d) for d in days(28)]
    assert max(spends) <= Decimal("50.00")
    assert sum(spends) > Decimal("50") * 28 * Decimal("0.8")


def test_delivery_ceiling_limits_a_small_audience() -> None:
    scenario = fixed(saturation={"ref_spend": 10.0, "max_spend_mult": 3.0})
    market = Market(scenario, 1)
    launch(market, "g", "5000")
    run(market, 3)
    # s_ref = $10 x 0.26 (the 25-34 share of US adults); ceiling = 3 x s_ref
    assert [market.adgroup_spend("g", d) for d in days(3)] == [Decimal("7.80")] * 3


# ----- funnel invariants --------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    ctr=st.floats(0.001, 0.6),
    cvr=st.floats(0.001, 0.95),
    budget=st.integers(20, 3000),
)
def test_no_conversions_without_clicks(seed: int, ctr: float, cvr: float, budget: int) -> None:
    scenario = Scenario.from_dict(
        {
            "base": {"cpm": 8.0, "ctr": ctr, "cvr": cvr, "aov": 50.0},
            "noise": {"conversion_shape": 2},
        }
    )
    market = Market(scenario, seed)
    ads = launch(market, "g", str(budget), ads=3)
    run(market, 4)
    for ad in ads:
        for day in days(4):
            true = market.true_outcome(ad, day)
            assert 0 <= true.clicks <= true.impressions
            assert 0 <= true.conversions <= true.clicks
            assert (true.revenue > 0) == (true.conversions > 0)
            seen = market.reported(ad, day, day + timedelta(days=30))
            assert seen.conversions <= true.conversions
    total = sum(market.true_outcome(ad, d).spend for ad in ads for d in days(4))
    assert total == sum(market.adgroup_spend("g", d) for d in days(4))


def test_money_is_decimal_cents() -> None:
    market = Market(fixed(), 5)
    ad = launch(market, "g")[0]
    run(market, 3)
    metrics = market.true_outcome(ad, START)
    assert isinstance(metrics.spend, Decimal) and metrics.spend == metrics.spend.quantize(
        Decimal("0.01")
    )
    assert isinstance(metrics.revenue, Decimal)
    assert metrics.impressions > 0


# ----- determinism and stream independence --------------------------------------------------


def build(seed: int, extra_group: bool = False, reverse: bool = False) -> Market:
    market = Market(fixed(), seed)
    names = ["a", "b"] if not reverse else ["b", "a"]
    if extra_group:
        launch(market, "unrelated", "300", ads=3)
    for name in names:
        launch(market, name, "80", ads=3)
    run(market, 14)
    return market


def snapshot(market: Market, group: str) -> list[AdDayMetrics]:
    ads = market.ad_keys(group)
    return [market.reported(ad, d, d + timedelta(days=3)) for ad in ads for d in days(14)] + [
        market.true_outcome(ad, d) for ad in ads for d in days(14)
    ]


def test_same_seed_same_numbers() -> None:
    assert build(11).to_state() == build(11).to_state()


def test_different_seed_different_numbers() -> None:
    assert snapshot(build(11), "a") != snapshot(build(12), "a")


def test_an_unrelated_adgroup_does_not_change_another() -> None:
    assert snapshot(build(7), "a") == snapshot(build(7, extra_group=True), "a")
    assert snapshot(build(7), "b") == snapshot(build(7, reverse=True), "b")


def test_resimulating_a_day_is_a_noop_and_gaps_are_filled() -> None:
    one_by_one = Market(fixed(), 4)
    launch(one_by_one, "g")
    for day in days(10):
        one_by_one.simulate_day(day)
        one_by_one.simulate_day(day)
    jump = Market(fixed(), 4)
    launch(jump, "g")
    jump.simulate_day(START + timedelta(days=9))
    jump.simulate_day(START)
    assert jump.to_state() == one_by_one.to_state()
    assert jump.last_simulated_day == START + timedelta(days=9)


# ----- state round trip ---------------------------------------------------------------------


def edits(market: Market, offset: int) -> None:
    day = START + timedelta(days=offset)
    market.set_daily_budget("a", Decimal("190"), day)
    market.set_active("b-ad0", False, day)
    market.add_ad("a-late", "a", "late-creative", day)


def test_state_round_trip_continues_identically() -> None:
    original = build(21)
    restored = Market.from_state(json.loads(json.dumps(original.to_state())))
    assert restored.to_state() == original.to_state()
    for market in (original, restored):
        edits(market, 14)
        market.simulate_day(START + timedelta(days=27))
    assert restored.to_state() == original.to_state()
    assert restored.learning_resets() == original.learning_resets() == 1


def test_from_state_refuses_foreign_data() -> None:
    with pytest.raises(InvalidInput):
        Market.from_state({"format": "something else"})


# ----- reports: tracking loss and delay -----------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_reported_grows_then_stops_and_never_exceeds_true(seed: int) -> None:
    scenario = fixed(attribution={"capture_rate": 0.7})
    market = Market(scenario, seed)
    ads = launch(market, "g", "300", ads=2)
    run(market, 10)
    lag = market.visible_lag_days
    assert lag == 9  # 8-day delay pmf + 3-day report lag
    for ad in ads:
        for day in days(10):
            seen = [market.reported(ad, day, day + timedelta(days=k)) for k in range(lag + 6)]
            counts = [m.conversions for m in seen]
            revenue = [m.revenue for m in seen]
            assert counts == sorted(counts) and revenue == sorted(revenue)
            assert len(set(counts[lag:])) == 1 and len(set(revenue[lag:])) == 1
            true = market.true_outcome(ad, day)
            assert counts[-1] <= true.conversions and revenue[-1] <= true.revenue
            assert seen[0].spend == true.spend and seen[0].clicks == true.clicks


def test_capture_rate_shows_in_the_reported_share() -> None:
    base = {"cpm": 8.0, "ctr": 0.01, "cvr": 0.1, "aov": 80.0}
    market = Market(fixed(base=base, attribution={"capture_rate": 0.7}), 2)
    ads = launch(market, "g", "150", ads=2)
    run(market, 30)
    true = sum(market.true_outcome(a, d).conversions for a in ads for d in days(30))
    seen = sum(
        market.reported(a, d, d + timedelta(days=20)).conversions for a in ads for d in days(30)
    )
    assert true > 200
    assert 0.6 < seen / true < 0.8
    yesterday = START + timedelta(days=29)
    fresh = sum(market.reported(a, d, yesterday).conversions for a in ads for d in days(30))
    assert fresh < seen  # the latest days are still incomplete


def test_reported_before_the_day_or_unknown_day_is_zero() -> None:
    market = Market(fixed(), 2)
    ad = launch(market, "g")[0]
    run(market, 2)
    assert market.reported(ad, START, START - timedelta(days=1)) == AdDayMetrics()
    assert market.reported(ad, START + timedelta(days=5), START + timedelta(days=9)) == (
        AdDayMetrics()
    )
    assert market.true_outcome(ad, START - timedelta(days=1)) == AdDayMetrics()


def test_unknown_keys_and_duplicates_are_refused() -> None:
    market = Market(fixed(), 2)
    launch(market, "g")
    with pytest.raises(UnknownEntity):
        market.reported("nope", START, START)
    with pytest.raises(UnknownEntity):
        market.set_daily_budget("nope", Decimal("10"), START)
    with pytest.raises(InvalidInput):
        market.add_adgroup("g", US_25, Decimal("10"), START)
    with pytest.raises(InvalidInput):
        market.set_daily_budget("g", Decimal("0"), START)
    with pytest.raises(InvalidInput):
        Audience((), ("25-34",))
    with pytest.raises(InvalidInput):
        Audience(("US",), ("30-40",))


def test_paused_ads_and_groups_do_not_spend() -> None:
    market = Market(fixed(), 2)
    ads = launch(market, "g", ads=2)
    market.simulate_day(START)
    market.set_active(ads[0], False, START + timedelta(days=1))
    market.simulate_day(START + timedelta(days=1))
    assert market.true_outcome(ads[0], START + timedelta(days=1)).spend == 0
    assert market.true_outcome(ads[1], START + timedelta(days=1)).spend > 0
    market.set_active("g", False, START + timedelta(days=2))
    market.simulate_day(START + timedelta(days=2))
    assert market.adgroup_spend("g", START + timedelta(days=2)) == 0
