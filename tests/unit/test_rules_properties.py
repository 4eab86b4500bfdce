"""Properties of the rule engine (Hypothesis, ≥ 100 examples each)."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roasloop.decisions.guards import guard
from roasloop.decisions.policies import threshold
from roasloop.decisions.presets import load_preset
from roasloop.decisions.rules import Effect, Ledger, Limits, Outcome, PastExecution, RuleDecision
from roasloop.decisions.rules.budgets import guard_cap
from roasloop.decisions.snapshot import AdSetSnapshot, BudgetDecision, DailyPoint, Targets
from roasloop.domain.enums import EntityStatus
from roasloop.domain.metrics import MetricTotals
from tests.unit.test_rules_helpers import NOW, TODAY, day_metrics, decide, money, row, rule

PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CENT = Decimal("0.01")
target = st.integers(50, 500).map(lambda c: Decimal(c) / 100)
target_cpa = st.integers(500, 10_000).map(lambda c: Decimal(c) / 100)


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _applied(decisions: list[RuleDecision]) -> list[tuple[str, Decimal | None]]:
    return [
        ("pause" if d.effect is Effect.PAUSE else d.action.type.value, d.new_budget)
        for d in decisions
        if d.outcome is Outcome.APPLY
    ]


# Feature: campaign-automation, Property 5: 预算优化规则正确性
@given(
    history=st.lists(day_metrics, min_size=1, max_size=14),
    budget=money,
    target_roas=target,
    target_cpa=target_cpa,
)
@PROPERTY
def test_property_5_seed_design_preset(
    history: list[MetricTotals], budget: Decimal, target_roas: Decimal, target_cpa: Decimal
) -> None:
    """ROAS > 1.5×target → +20 %, CPA > 1.5×target → −20 %, 3 days without conversions → pause;
    and exactly what the seed policy (``decisions.policies.threshold``) decides."""
    preset = rule(load_preset("threshold"))
    adset = row("as1", history, budget, target_roas=target_roas, target_cpa=target_cpa)
    got = _applied(decide([preset], [adset]))
    points = tuple(
        DailyPoint(TODAY - timedelta(days=len(history) - i), m) for i, m in enumerate(history)
    )
    snap = AdSetSnapshot("as1", "x", EntityStatus.ACTIVE, budget, points)
    seed = threshold.decide([snap], Targets(target_roas, target_cpa))
    assert got == [(d.action, d.new_budget) for d in seed]
    window = snap.window(7)
    if snap.days_running >= 3 and snap.zero_conversion_streak >= 3:
        assert got == [("pause", None)]
    elif window.roas is not None and window.roas > Decimal("1.5") * target_roas:
        assert got == [("increase_budget", _q(budget * Decimal("1.2")))]
    elif window.cpa is not None and window.cpa > Decimal("1.5") * target_cpa:
        assert got == [("decrease_budget", _q(budget * Decimal("0.8")))]
    else:
        assert got == []


# Feature: campaign-automation, Property 5: 预算优化规则正确性
@given(history=st.lists(day_metrics, min_size=1, max_size=10), budget=money, target_roas=target)
@PROPERTY
def test_property_5_seed_tiered_preset(
    history: list[MetricTotals], budget: Decimal, target_roas: Decimal
) -> None:
    """Seed 004 §15.2: ROAS ≥ 1.5×target ×1.3; ≥ 1× keep; ≥ 0.7× ×0.8; else pause."""
    preset = rule(load_preset("tiered"))
    decisions = decide([preset], [row("as1", history, budget, target_roas=target_roas)])
    totals = MetricTotals.total(history[-7:])
    if totals.spend == 0:
        assert decisions == []
        return
    roas = totals.revenue / totals.spend
    [only] = decisions
    if roas >= Decimal("1.5") * target_roas:
        assert _applied(decisions) == [("increase_budget", _q(budget * Decimal("1.3")))]
    elif roas >= target_roas:
        assert only.outcome is Outcome.KEEP and only.effect is Effect.KEEP
    elif roas >= Decimal("0.7") * target_roas:
        assert _applied(decisions) == [("decrease_budget", _q(budget * Decimal("0.8")))]
    else:
        assert _applied(decisions) == [("pause", None)]


budget_actions = st.one_of(
    st.builds(
        lambda kind, pct: {"type": kind, "pct": pct},
        st.sampled_from(["increase_budget", "decrease_budget"]),
        st.integers(1, 99),
    ),
    st.builds(
        lambda pct, limit: {
            "type": "increase_budget",
            "change_spec": {"amount": pct, "unit": "percentage", "limit": limit},
        },
        st.integers(1, 900),
        st.integers(1, 2000),
    ),
    st.builds(
        lambda kind, amount: {
            "type": kind,
            "change_spec": {"amount": amount, "unit": "currency"},
        },
        st.sampled_from(["increase_budget", "decrease_budget"]),
        st.integers(1, 500),
    ),
    st.builds(
        lambda amount: {"type": "set_budget", "change_spec": {"amount": amount}},
        st.integers(1, 2000),
    ),
    st.builds(
        lambda value: {
            "type": "scale_budget",
            "change_spec": {"target_field": "roas", "target_value": value},
        },
        st.sampled_from([0.1, 0.5, 1, 3, 20]),
    ),
)


@given(
    action=budget_actions,
    budgets=st.lists(st.integers(2_000, 200_000), min_size=1, max_size=6),
    cap_pct=st.integers(1, 90),
    own_pct=st.one_of(st.none(), st.integers(1, 100)),
    minimum=st.integers(0, 2_000),
)
@PROPERTY
def test_no_decision_exceeds_the_step_cap_or_goes_below_the_platform_minimum(
    action: dict[str, Any],
    budgets: list[int],
    cap_pct: int,
    own_pct: int | None,
    minimum: int,
) -> None:
    safeguards: dict[str, Any] = {"learning_phase": "include"}
    if own_pct is not None:
        safeguards["max_change_pct"] = own_pct
    doc = {
        "condition": {"metric": "spend", "operator": ">=", "value": 0},
        "action": action,
        "safeguards": safeguards,
    }
    rows = [
        row(
            f"as{i}",
            [MetricTotals(1000, 40, 2, Decimal("30"), Decimal("60"))] * 7,
            Decimal(b) / 100,
        )
        for i, b in enumerate(budgets)
    ]
    limits = Limits(Fraction(cap_pct, 100), {("tiktok", "adset"): minimum})
    cap = Decimal(min(cap_pct, own_pct or 100)) / 100
    floor = Decimal(minimum) / 100
    for d in decide([rule(doc)], rows, limits=limits):
        if d.outcome is not Outcome.APPLY:
            continue
        old, new = d.old_budget, d.new_budget
        assert old is not None and new is not None and new != old
        assert new >= floor
        assert new >= _q(old * (1 - cap))
        assert new <= max(_q(old * (1 + cap)), floor)


@given(
    old=st.integers(1, 10**7),
    new=st.integers(0, 10**7),
    cap=st.integers(1, 100),
    minimum=st.integers(0, 10**5),
)
@PROPERTY
def test_vectorized_guard_equals_the_decimal_guard(
    old: int, new: int, cap: int, minimum: int
) -> None:
    import numpy as np

    as_money = Decimal(old) / 100
    decision = BudgetDecision("a", "x", as_money, Decimal(new) / 100, "k")
    expected = guard(decision, Decimal(cap) / 100, Decimal(minimum) / 100)
    got, _ = guard_cap(np.array([old]), np.array([new]), Fraction(cap, 100), np.array([minimum]))
    if expected is None:
        assert int(got[0]) == old
    else:
        assert Decimal(int(got[0])) / 100 == expected.new_budget


guard_sets = st.fixed_dictionaries(
    {
        "cooldown_minutes": st.sampled_from([0, 30, 360, 1440]),
        "max_executions_per_object_per_day": st.one_of(st.none(), st.integers(1, 3)),
        "max_executions_per_object": st.one_of(st.none(), st.integers(1, 5)),
        "max_executions_per_day": st.one_of(st.none(), st.integers(1, 4)),
        "learning_phase": st.just("include"),
    }
)


@given(
    guards=st.lists(guard_sets, min_size=1, max_size=3),
    kinds=st.lists(
        st.sampled_from(["notify", "increase_budget", "decrease_budget"]), min_size=3, max_size=3
    ),
    steps=st.lists(st.integers(0, 1800), min_size=2, max_size=12),
    objects=st.integers(1, 4),
)
@PROPERTY
def test_cooldowns_and_execution_limits_hold_over_random_cycles(
    guards: list[dict[str, Any]], kinds: list[str], steps: list[int], objects: int
) -> None:
    rules = [
        rule(
            {
                "condition": {"metric": "spend", "operator": ">=", "value": 0},
                "action": {"type": kinds[i]},
                "safeguards": g,
            },
            f"r{i}",
        )
        for i, g in enumerate(guards)
    ]
    rows = [
        row(f"as{i}", [MetricTotals(1000, 40, 2, Decimal("30"), Decimal("60"))] * 7)
        for i in range(objects)
    ]
    ledger, log, now = Ledger(), [], NOW
    for step in steps:
        now = now + timedelta(minutes=step)
        done = [
            PastExecution(d.rule_id, d.object_id, now)
            for d in decide(rules, rows, ledger=ledger, now=now)
            if d.outcome is Outcome.APPLY and d.effect is not Effect.KEEP
        ]
        ledger = ledger.with_executions(done)
        log += done
    day = timedelta(days=1)
    for r, g in zip(rules, guards, strict=True):
        mine = [e for e in log if e.rule_id == r.rule_id]
        for obj in {e.object_id for e in mine}:
            times = sorted(e.at for e in mine if e.object_id == obj)
            gaps = [b - a for a, b in pairwise(times)]
            assert all(gap >= timedelta(minutes=g["cooldown_minutes"]) for gap in gaps)
            if g["max_executions_per_object"]:
                assert len(times) <= g["max_executions_per_object"]
            if g["max_executions_per_object_per_day"]:
                for t in times:
                    window = [x for x in times if t - day < x <= t]
                    assert len(window) <= g["max_executions_per_object_per_day"]
        if g["max_executions_per_day"]:
            for e in mine:
                window = [x for x in mine if e.at - day < x.at <= e.at]
                assert len(window) <= g["max_executions_per_day"]


conflict_docs = st.sampled_from(
    [
        {"action": {"type": "pause"}},
        {"action": {"type": "increase_budget", "pct": 20}},
        {"action": {"type": "increase_budget", "pct": 35}},
        {"action": {"type": "decrease_budget", "pct": 10}},
        {"action": {"type": "decrease_budget", "change_spec": {"amount": 5, "unit": "currency"}}},
        {"action": {"type": "set_budget", "change_spec": {"amount": 55}}},
        {"action": {"type": "keep"}},
        {"action": {"type": "notify"}},
    ]
)


def _key(d: RuleDecision) -> tuple[Any, ...]:
    return (d.rule_id, d.object_id, d.effect, d.outcome, d.new_budget, d.overridden_by)


@given(
    picks=st.lists(
        st.tuples(conflict_docs, st.sampled_from(["spend", "roas", "cpa"]), st.integers(0, 40)),
        min_size=2,
        max_size=6,
    ),
    data=st.data(),
)
@PROPERTY
def test_conflict_resolution_is_order_independent(
    picks: list[tuple[dict[str, Any], str, int]], data: st.DataObject
) -> None:
    rules = [
        rule(
            {
                **doc,
                "condition": {"metric": metric, "operator": ">=", "value": threshold / 10},
                "safeguards": {"learning_phase": "include"},
            },
            f"rule-{i:02d}",
        )
        for i, (doc, metric, threshold) in enumerate(picks)
    ]
    spends = data.draw(st.lists(st.integers(100, 5000), min_size=1, max_size=8))
    rows = [
        row(
            f"as{i}",
            [MetricTotals(1000, 40, 1 + i % 3, Decimal(s) / 100, Decimal(s * (i % 4)) / 100)] * 3,
        )
        for i, s in enumerate(spends)
    ]
    baseline = [_key(d) for d in decide(rules, rows)]
    shuffled = data.draw(st.permutations(rules))
    assert [_key(d) for d in decide(shuffled, rows)] == baseline
    decisions = decide(rules, rows)
    for obj in {d.object_id for d in decisions}:
        applied = [d for d in decisions if d.object_id == obj and d.outcome is Outcome.APPLY]
        effects = [d.effect for d in applied]
        assert effects.count(Effect.BUDGET) <= 1 and effects.count(Effect.PAUSE) <= 1
        if Effect.PAUSE in effects:
            assert Effect.BUDGET not in effects
        budget_candidates = [
            d.new_budget
            for d in decisions
            if d.object_id == obj
            and d.effect is Effect.BUDGET
            and d.outcome in (Outcome.APPLY, Outcome.OVERRIDDEN)
        ]
        if Effect.BUDGET in effects:
            [winner] = [d for d in applied if d.effect is Effect.BUDGET]
            assert winner.new_budget == min(b for b in budget_candidates if b is not None)
