"""The seed-000 budget policy and the guardrails every decision passes."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.decisions.guards import guard
from roasloop.decisions.policies import threshold
from roasloop.decisions.snapshot import AdSetSnapshot, BudgetDecision, DailyPoint, Targets
from roasloop.domain.enums import EntityStatus
from roasloop.domain.metrics import MetricTotals
from tests.unit import strategies

START = date(2026, 3, 2)

day_metrics = strategies.day_metrics()
money = strategies.money
target = strategies.target


def snapshot(history: list[MetricTotals], budget: Decimal) -> AdSetSnapshot:
    points = tuple(DailyPoint(START + timedelta(days=i), m) for i, m in enumerate(history))
    return AdSetSnapshot("as1", "US 18-35", EntityStatus.ACTIVE, budget, points)


# Feature: campaign-automation, Property 5: 预算优化规则正确性
@given(
    history=st.lists(day_metrics, min_size=1, max_size=14),
    budget=money,
    target_roas=target,
    target_cpa=st.integers(500, 10_000).map(lambda c: Decimal(c) / 100),
)
@settings(max_examples=300)
def test_property_5_budget_rules(
    history: list[MetricTotals], budget: Decimal, target_roas: Decimal, target_cpa: Decimal
) -> None:
    snap = snapshot(history, budget)
    decisions = threshold.decide([snap], Targets(target_roas, target_cpa))
    window = snap.window(7)
    streak = snap.zero_conversion_streak
    if snap.days_running >= 3 and streak >= 3:
        expected = ("pause", None)
    elif window.roas is not None and window.roas > Decimal("1.5") * target_roas:
        expected = ("increase_budget", (budget * Decimal("1.2")).quantize(Decimal("0.01")))
    elif window.cpa is not None and window.cpa > Decimal("1.5") * target_cpa:
        expected = ("decrease_budget", (budget * Decimal("0.8")).quantize(Decimal("0.01")))
    else:
        assert decisions == []
        return
    assert [(d.action, d.new_budget) for d in decisions] == [expected]
    assert decisions[0].reason_key and decisions[0].adset_id == "as1"


def test_paused_ad_sets_get_no_decisions() -> None:
    idle = MetricTotals(impressions=1000, clicks=10, spend=Decimal("50"))
    snap = AdSetSnapshot(
        "as1",
        "x",
        EntityStatus.PAUSED,
        Decimal("50"),
        tuple(DailyPoint(START, idle) for _ in range(5)),
    )
    assert threshold.decide([snap], Targets(Decimal("2"))) == []


@given(
    old=money,
    factor=st.integers(0, 400).map(lambda p: Decimal(p) / 100),
    cap=st.sampled_from([Decimal("0.2"), Decimal("0.5")]),
    minimum=st.sampled_from([Decimal("0"), Decimal("20")]),
)
@settings(max_examples=300)
def test_guard_never_exceeds_cap_or_goes_below_minimum(
    old: Decimal, factor: Decimal, cap: Decimal, minimum: Decimal
) -> None:
    proposed = (old * factor).quantize(Decimal("0.01"))
    decision = BudgetDecision("as1", "change", old, proposed, "reason_rule")
    guarded = guard(decision, cap, minimum)
    if guarded is None:
        return
    assert guarded.new_budget is not None
    assert guarded.new_budget >= minimum
    if old >= minimum:
        assert abs(guarded.new_budget - old) <= (old * cap).quantize(Decimal("0.01")) + Decimal(
            "0.01"
        )
    assert guarded.new_budget != old
