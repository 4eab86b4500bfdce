"""The launch-stage machine: thresholds, maturity, demotion and each stage's budget moves."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.decisions.guards import guard_bid
from roasloop.decisions.snapshot import AdSetSnapshot, DailyPoint
from roasloop.decisions.stages import (
    ORDER,
    StageThresholds,
    evaluate,
    stage_actions,
    stage_bid_actions,
)
from roasloop.domain.enums import EntityStatus, Stage
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.money import quantize

START = date(2026, 3, 2)
T = StageThresholds(target_roas=Decimal("2"), heating_impressions=10_000, maturity_lag_days=2)


def day(
    i: int, impressions: int = 5000, clicks: int = 50, spend: str = "100", revenue: str = "250"
) -> DailyPoint:
    return DailyPoint(
        START + timedelta(days=i),
        MetricTotals(impressions, clicks, 3, Decimal(spend), Decimal(revenue)),
    )


def test_launch_needs_impressions_and_a_stable_ctr() -> None:
    steady = [day(i) for i in range(3)]
    assert evaluate("c", Stage.LAUNCH, steady, T).to_stage is Stage.HEATING  # type: ignore[union-attr]
    few = [day(i, impressions=1000, clicks=10) for i in range(3)]
    assert evaluate("c", Stage.LAUNCH, few, T) is None
    jumpy = [day(0, clicks=10), day(1, clicks=200), day(2, clicks=30)]
    assert evaluate("c", Stage.LAUNCH, jumpy, T) is None


def test_hot_needs_matured_roas_at_target_and_ignores_young_days() -> None:
    history = [day(i) for i in range(3)] + [day(3, revenue="0"), day(4, revenue="0")]
    move = evaluate("c", Stage.HEATING, history, T)
    assert move is not None and move.to_stage is Stage.HOT  # the last 2 days are not mature yet
    below = [day(0), day(1, revenue="150"), day(2), day(3), day(4)]
    assert evaluate("c", Stage.HEATING, below, T) is None


def test_collapse_demotes_one_stage_and_idle_days_do_not() -> None:
    bad = [day(i, revenue="50") for i in range(5)]
    move = evaluate("c", Stage.HOT, bad, T)
    assert move is not None and (move.from_stage, move.to_stage) == (Stage.HOT, Stage.HEATING)
    idle = [day(i, spend="0", revenue="0", impressions=0, clicks=0) for i in range(6)]
    assert evaluate("c", Stage.HOT, idle, T) is None


history_days = st.lists(
    st.builds(
        lambda imp, clk, sp, rev: (imp, min(clk, imp), sp, rev),
        st.integers(0, 20000),
        st.integers(0, 400),
        st.integers(0, 300),
        st.integers(0, 900),
    ),
    max_size=12,
)


@given(stage=st.sampled_from(ORDER), raw=history_days)
@settings(max_examples=300)
def test_switches_are_one_step_and_deterministic(
    stage: Stage, raw: list[tuple[int, int, int, int]]
) -> None:
    history = [day(i, imp, clk, str(sp), str(rev)) for i, (imp, clk, sp, rev) in enumerate(raw)]
    move = evaluate("c", stage, history, T)
    assert move == evaluate("c", stage, history, T)
    if move is not None:
        assert abs(ORDER.index(move.to_stage) - ORDER.index(stage)) == 1
        assert move.reason_key and move.values


budgets = st.lists(st.integers(2000, 20000), min_size=1, max_size=6)


@given(cents=budgets)
@settings(max_examples=200)
def test_launch_spreads_budget_evenly_keeping_the_total(cents: list[int]) -> None:
    snaps = [
        AdSetSnapshot(f"a{i}", "x", EntityStatus.ACTIVE, Decimal(c) / 100)
        for i, c in enumerate(cents)
    ]
    decisions = stage_actions(Stage.LAUNCH, snaps, Decimal(sum(cents)) / 100, T)
    after = {s.adset_id: s.daily_budget for s in snaps} | {
        d.adset_id: d.new_budget for d in decisions
    }
    assert sum(after.values()) == sum(s.daily_budget for s in snaps)  # type: ignore[arg-type]
    assert max(after.values()) - min(after.values()) <= Decimal("0.01")  # type: ignore[operator]


@given(cents=budgets, spend_ratio=st.lists(st.integers(0, 120), min_size=6, max_size=6))
@settings(max_examples=200)
def test_hot_raises_only_ad_sets_spending_their_budget(
    cents: list[int], spend_ratio: list[int]
) -> None:
    snaps = []
    for i, c in enumerate(cents):
        budget = Decimal(c) / 100
        spend = (budget * spend_ratio[i] / 100).quantize(Decimal("0.01"))
        point = DailyPoint(START, MetricTotals(1000, 10, 1, spend, spend * 2))
        snaps.append(AdSetSnapshot(f"a{i}", "x", EntityStatus.ACTIVE, budget, (point,)))
    decisions = {d.adset_id: d for d in stage_actions(Stage.HOT, snaps, Decimal(0), T)}
    for snap in snaps:
        spend = snap.history[-1].metrics.spend
        if spend >= T.hot_full_spend_ratio * snap.daily_budget:
            assert decisions[snap.adset_id].new_budget == (
                snap.daily_budget * Decimal("1.2")
            ).quantize(Decimal("0.01"))
        else:
            assert snap.adset_id not in decisions


@given(
    cents=budgets,
    spend_ratio=st.lists(st.integers(0, 120), min_size=6, max_size=6),
    bids=st.lists(st.one_of(st.none(), st.integers(1, 50_000)), min_size=6, max_size=6),
)
@settings(max_examples=200)
def test_hot_raises_bids_of_under_spending_ad_sets_that_have_one(
    cents: list[int], spend_ratio: list[int], bids: list[int | None]
) -> None:
    snaps = []
    for i, c in enumerate(cents):
        budget = Decimal(c) / 100
        spend = (budget * spend_ratio[i] / 100).quantize(Decimal("0.01"))
        bid = None if bids[i] is None else Decimal(bids[i]) / 100
        point = DailyPoint(START, MetricTotals(1000, 10, 1, spend, spend * 2))
        snaps.append(AdSetSnapshot(f"a{i}", "x", EntityStatus.ACTIVE, budget, (point,), bid))
    raised = {d.adset_id: d for d in stage_bid_actions(Stage.HOT, snaps, T)}
    scaled = {d.adset_id for d in stage_actions(Stage.HOT, snaps, Decimal(0), T)}
    for snap in snaps:
        if snap.bid is None or snap.adset_id in scaled:  # lowest cost, or budget-bound
            assert snap.adset_id not in raised
            continue
        decision = raised[snap.adset_id]
        assert decision.new_bid == quantize(snap.bid * Decimal("1.1"))  # half up, to the cent
        guarded = guard_bid(decision, Decimal("0.05"))  # the global cap wins when tighter
        step = quantize(snap.bid * Decimal("0.05"))
        assert guarded is None or guarded.new_bid - snap.bid <= step
    assert stage_bid_actions(Stage.HEATING, snaps, T) == []
