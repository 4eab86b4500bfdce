"""The rule engine's safeguards (learning phase, history, limits, spend cap, conflicts) and
the reasons it gives, on hand-made snapshots."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from roasloop.decisions.rules import (
    Effect,
    Ledger,
    Outcome,
    PastExecution,
    in_learning,
    reason,
)
from roasloop.i18n import both
from tests.unit.test_rules_helpers import (
    INCLUDE,
    NOW,
    TODAY,
    decide,
    frame,
    metrics,
    one,
    row,
    rule,
    rule_doc,
)


# --- safeguards ----------------------------------------------------------------------------------
def test_learning_phase_protection() -> None:
    young = row("young", [metrics(conversions=2)] * 3)
    mature = row("mature", [metrics(conversions=12)] * 5)
    limited = row("limited", [metrics(conversions=1)] * 10)
    reported = row("reported", [metrics(conversions=30)] * 10, learning=True)
    learning = in_learning(frame([young, mature, limited, reported]), TODAY)
    assert learning.tolist() == [True, False, False, True]
    protect = {
        "condition": {"metric": "spend", "operator": ">=", "value": 0},
        "action": {"type": "pause"},
    }
    outcomes = {
        d.object_id: d.outcome for d in decide([rule(protect)], [young, mature, limited, reported])
    }
    assert outcomes == {
        "young": Outcome.SKIPPED_LEARNING,
        "mature": Outcome.APPLY,
        "limited": Outcome.APPLY,
        "reported": Outcome.SKIPPED_LEARNING,
    }
    notify = {**protect, "action": {"type": "notify"}}
    assert all(d.outcome is Outcome.APPLY for d in decide([rule(notify)], [young]))


def test_history_guards() -> None:
    doc = rule_doc(
        {"metric": "spend", "operator": ">=", "value": 0},
        {"type": "pause"},
        safeguards={
            **INCLUDE,
            "cooldown_minutes": 60,
            "max_executions_per_object": 2,
            "max_executions_per_object_per_day": 1,
        },
    )
    adset = row("as1", [metrics()])

    def outcome(*ago_minutes: int) -> Outcome:
        ledger = Ledger(PastExecution("r1", "as1", NOW - timedelta(minutes=m)) for m in ago_minutes)
        return one(decide([rule(doc)], [adset], ledger=ledger)).outcome

    assert outcome() is Outcome.APPLY
    assert outcome(30) is Outcome.SKIPPED_COOLDOWN
    assert outcome(120) is Outcome.SKIPPED_OBJECT_DAILY_LIMIT
    assert outcome(3000, 5000) is Outcome.SKIPPED_OBJECT_LIMIT
    assert outcome(3000) is Outcome.APPLY


def test_rule_daily_limit_takes_objects_in_id_order() -> None:
    doc = rule_doc(
        {"metric": "spend", "operator": ">=", "value": 0},
        {"type": "pause"},
        safeguards={**INCLUDE, "max_executions_per_day": 2},
    )
    rows = [row(f"as{i}", [metrics()]) for i in (3, 1, 2)]
    ledger = Ledger([PastExecution("r1", "old", NOW - timedelta(hours=3))])
    got = {d.object_id: d.outcome for d in decide([rule(doc)], rows, ledger=ledger)}
    assert got == {
        "as1": Outcome.APPLY,
        "as2": Outcome.SKIPPED_RULE_DAILY_LIMIT,
        "as3": Outcome.SKIPPED_RULE_DAILY_LIMIT,
    }


def test_account_daily_spend_cap_trims_increases_proportionally() -> None:
    cap = {**INCLUDE, "account_daily_spend_cap": 330}
    up = rule(
        rule_doc(
            {"metric": "roas", "operator": ">", "value": 2},
            {"type": "increase_budget", "pct": 50},
            safeguards=cap,
        ),
        "up",
    )
    down = rule(
        rule_doc({"metric": "roas", "operator": "<", "value": 1}, {"type": "pause"}), "down"
    )
    rows = [
        row("a", [metrics(spend="10", revenue="30")], "100"),
        row("b", [metrics(spend="10", revenue="30")], "100"),
        row("c", [metrics(spend="10", revenue="5")], "100"),
        row("d", [metrics(spend="10", revenue="15")], "60"),
    ]
    # 360 active; pausing c frees 100 → 260; room to 330 is 70, asked 100 → each +35.
    got = {
        d.object_id: (d.outcome, d.new_budget, d.notes)
        for d in decide([up, down], rows)
        if d.effect is not Effect.KEEP
    }
    assert got["a"] == (Outcome.APPLY, Decimal("135.00"), ("account_cap",))
    assert got["b"] == (Outcome.APPLY, Decimal("135.00"), ("account_cap",))
    assert got["c"][0] is Outcome.APPLY


def test_conflicts_pause_beats_budget_and_the_lowest_budget_wins() -> None:
    adset = [row("as1", [metrics(spend="10", revenue="40")] * 3, "100")]
    up = rule(
        rule_doc(
            {"metric": "roas", "operator": ">", "value": 1}, {"type": "increase_budget", "pct": 30}
        ),
        "a-up",
    )
    small = rule(
        rule_doc(
            {"metric": "roas", "operator": ">", "value": 1}, {"type": "increase_budget", "pct": 10}
        ),
        "b-small",
    )
    pause = rule(
        rule_doc({"metric": "roas", "operator": ">", "value": 3}, {"type": "pause"}), "c-pause"
    )
    keep = rule(
        rule_doc({"metric": "roas", "operator": ">", "value": 1}, {"type": "keep"}), "d-keep"
    )
    got = {d.rule_id: (d.outcome, d.overridden_by) for d in decide([up, small], adset)}
    assert got == {"a-up": (Outcome.OVERRIDDEN, "b-small"), "b-small": (Outcome.APPLY, None)}
    got = {d.rule_id: (d.outcome, d.overridden_by) for d in decide([up, pause], adset)}
    assert got == {"a-up": (Outcome.OVERRIDDEN, "c-pause"), "c-pause": (Outcome.APPLY, None)}
    got = {d.rule_id: (d.outcome, d.overridden_by) for d in decide([up, keep], adset)}
    assert got == {"a-up": (Outcome.OVERRIDDEN, "d-keep"), "d-keep": (Outcome.KEEP, None)}


# --- reasons -------------------------------------------------------------------------------------
def test_reasons_carry_the_values_seen_in_both_languages() -> None:
    doc = {
        **rule_doc(
            {"metric": "cpa", "operator": ">", "value": "1.5 * target_cpa"}, {"type": "pause"}
        ),
        "name": "cpa guard",
    }
    compiled = rule(doc)
    adset = row("as1", [metrics(spend="40", conversions=2)] * 7, target_cpa=Decimal("10"))
    [d] = decide([compiled], [adset])
    assert d.values == {"cpa@last_7d": 20.0, "target_cpa": 10.0}
    key, params = reason(compiled, d)
    texts = both(key, **params)
    assert texts["en"] == "Rule 'cpa guard': cpa@last_7d 20.00 > 1.5 × target_cpa"
    assert texts["zh-CN"].startswith("规则「cpa guard」")
    assert params["target"] == "10.00" and params["actual"] == "20.00"


def test_values_are_exact_fractions_inside() -> None:
    compiled = rule(rule_doc({"metric": "roas", "operator": ">", "value": "1.5 * target_roas"}))
    assert compiled.leaves[0].value.coef == Fraction(3, 2)  # type: ignore[union-attr]
