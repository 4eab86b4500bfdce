"""Budget policies: the seeds exactly as specified, and the safety properties of all three."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.decisions import policies
from roasloop.decisions.policies.config import PAUSE_STANCES, RoasloopConfig, config_for
from roasloop.decisions.policies.context import PolicyContext
from roasloop.decisions.snapshot import AdSetSnapshot, DailyPoint, Targets
from roasloop.domain.enums import EntityStatus
from roasloop.domain.metrics import MetricTotals
from tests.unit import strategies

START = date(2026, 3, 2)
CENT = Decimal("0.01")

day_metrics = strategies.day_metrics()
money = strategies.money
target = strategies.target


def snapshot(
    history: list[MetricTotals], budget: Decimal, key: str = "as1", active: bool = True
) -> AdSetSnapshot:
    points = tuple(DailyPoint(START + timedelta(days=i), m) for i, m in enumerate(history))
    status = EntityStatus.ACTIVE if active else EntityStatus.PAUSED
    return AdSetSnapshot(key, "US 18-35", status, budget, points)


def context(history_days: int, **extra: object) -> PolicyContext:
    as_of = START + timedelta(days=max(history_days - 1, 0))
    return PolicyContext(as_of=as_of, **extra)  # type: ignore[arg-type]


# Feature: campaign-automation, Property 5: 预算优化规则正确性
@given(
    history=st.lists(day_metrics, min_size=1, max_size=14),
    budget=money,
    target_roas=target,
    target_cpa=st.integers(500, 10_000).map(lambda c: Decimal(c) / 100),
)
@settings(max_examples=200)
def test_property_5_seed_design_policy(
    history: list[MetricTotals], budget: Decimal, target_roas: Decimal, target_cpa: Decimal
) -> None:
    snap = snapshot(history, budget)
    decisions = policies.decide(
        "threshold", [snap], Targets(target_roas, target_cpa), context(len(history))
    )
    window = snap.window(7)
    if snap.days_running >= 3 and snap.zero_conversion_streak >= 3:
        expected = ("pause", None)
    elif window.roas is not None and window.roas > Decimal("1.5") * target_roas:
        expected = ("increase_budget", (budget * Decimal("1.2")).quantize(CENT))
    elif window.cpa is not None and window.cpa > Decimal("1.5") * target_cpa:
        expected = ("decrease_budget", (budget * Decimal("0.8")).quantize(CENT))
    else:
        assert decisions == []
        return
    assert [(d.action, d.new_budget) for d in decisions] == [expected]
    assert decisions[0].reason_key and decisions[0].adset_id == "as1"


@given(history=st.lists(day_metrics, min_size=1, max_size=14), budget=money, target=target)
@settings(max_examples=200)
def test_seed_tiered_policy_is_the_seed_004_rule(
    history: list[MetricTotals], budget: Decimal, target: Decimal
) -> None:
    snap = snapshot(history, budget)
    decisions = policies.decide("tiered", [snap], Targets(target), context(len(history)))
    roas = snap.window(7).roas
    if roas is None or target <= roas < Decimal("1.5") * target:
        assert decisions == []
        return
    if roas >= Decimal("1.5") * target:
        expected = ("increase_budget", _cents(budget * Decimal("1.3")))
    elif roas >= Decimal("0.7") * target:
        expected = ("decrease_budget", _cents(budget * Decimal("0.8")))
    else:
        expected = ("pause", None)
    assert [(d.action, d.new_budget) for d in decisions] == [expected]
    assert decisions[0].reason_key.startswith("reason_tiered_")


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


campaign_histories = st.lists(
    st.tuples(st.lists(day_metrics, min_size=1, max_size=12), money, st.booleans()),
    min_size=1,
    max_size=5,
)


def campaign(rows: list[tuple[list[MetricTotals], Decimal, bool]]) -> list[AdSetSnapshot]:
    days = max(len(h) for h, _, _ in rows)
    return [
        snapshot(h + [MetricTotals()] * (days - len(h)), b, f"as{i}", active)
        for i, (h, b, active) in enumerate(rows)
    ]


@given(
    rows=campaign_histories,
    policy=st.sampled_from(policies.POLICIES),
    cap=st.sampled_from([Decimal("0.2"), Decimal("0.5")]),
    minimum=st.sampled_from([Decimal("0"), Decimal("20")]),
    target=target,
)
@settings(max_examples=100, deadline=None)
def test_no_decision_exceeds_the_step_cap_or_goes_below_the_minimum(
    rows: list[tuple[list[MetricTotals], Decimal, bool]],
    policy: str,
    cap: Decimal,
    minimum: Decimal,
    target: Decimal,
) -> None:
    snaps = campaign(rows)
    ctx = context(len(snaps[0].history), min_budget=minimum, step_cap=cap)
    decisions = policies.decide(policy, snaps, Targets(target, Decimal("40")), ctx, guard_cap=cap)
    for d in decisions:
        if d.new_budget is None:
            assert d.action == "pause"
            continue
        assert d.new_budget >= minimum
        if d.old_budget >= minimum:
            assert abs(d.new_budget - d.old_budget) <= (d.old_budget * cap).quantize(CENT) + CENT


@given(rows=campaign_histories, target=target, seed=st.integers(0, 2**16))
@settings(max_examples=100, deadline=None)
def test_roasloop_never_commits_more_than_the_campaign_budget(
    rows: list[tuple[list[MetricTotals], Decimal, bool]], target: Decimal, seed: int
) -> None:
    snaps = campaign(rows)
    active = [s for s in snaps if s.status is EntityStatus.ACTIVE]
    committed = sum((s.daily_budget for s in active), Decimal(0))
    budget = committed + Decimal(seed % 50)
    ctx = context(len(snaps[0].history), campaign_budget=budget, seed=seed)
    decisions = policies.decide("roasloop", snaps, Targets(target), ctx)
    new = {s.adset_id: s.daily_budget for s in active}
    for d in decisions:
        if d.new_budget is None:
            new.pop(d.adset_id)
        else:
            new[d.adset_id] = d.new_budget
    assert sum(new.values(), Decimal(0)) <= budget
    assert all(d.adset_id in {s.adset_id for s in active} for d in decisions)


@given(rows=campaign_histories, target=target, seed=st.integers(0, 2**16))
@settings(max_examples=100, deadline=None)
def test_roasloop_is_deterministic_for_a_seed(
    rows: list[tuple[list[MetricTotals], Decimal, bool]], target: Decimal, seed: int
) -> None:
    snaps = campaign(rows)
    ctx = context(len(snaps[0].history), campaign_budget=Decimal(10_000), seed=seed)
    first = policies.decide("roasloop", snaps, Targets(target), ctx)
    again = policies.decide("roasloop", snaps, Targets(target), ctx)
    assert first == again


def test_unknown_policy_is_a_key_error() -> None:
    try:
        policies.decide("nope", [], Targets(Decimal(2)), context(1))
    except KeyError:
        return
    raise AssertionError("expected KeyError")


def _paused(snaps: list[AdSetSnapshot], target: Decimal, stance: str, seed: int) -> set[str]:
    ctx = context(len(snaps[0].history), campaign_budget=Decimal(10_000), seed=seed)
    ctx = replace(ctx, min_budget=Decimal(20), step_cap=Decimal("0.5"), pause_stance=stance)
    decisions = policies.decide("roasloop", snaps, Targets(target), ctx)
    return {d.adset_id for d in decisions if d.action == "pause"}


@given(rows=campaign_histories, target=target, seed=st.integers(0, 2**16))
@settings(max_examples=100, deadline=None)
def test_pause_stances_are_nested(
    rows: list[tuple[list[MetricTotals], Decimal, bool]], target: Decimal, seed: int
) -> None:
    """What patient pauses, balanced pauses; what balanced pauses, decisive pauses."""
    snaps = campaign(rows)
    patient, balanced, decisive = (_paused(snaps, target, s, seed) for s in PAUSE_STANCES)
    assert patient <= balanced <= decisive


def test_balanced_is_the_default_configuration() -> None:
    assert config_for() == config_for("balanced") == RoasloopConfig()
    assert config_for("decisive").pause_chance > RoasloopConfig().pause_chance
    with pytest.raises(KeyError):
        config_for("reckless")
