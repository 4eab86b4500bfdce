"""The rule engine on hand-made snapshots: windows, expressions, actions, safeguards, reasons."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from roasloop.decisions.rules import (
    Effect,
    Ledger,
    Limits,
    Outcome,
    PastExecution,
    RuleDecision,
    in_learning,
    reason,
    run_cycle,
)
from roasloop.decisions.rules.windows import parse_window
from roasloop.domain.enums import EntityLevel
from roasloop.i18n import both
from tests.unit.test_rules_helpers import (
    FIRST,
    NOW,
    TODAY,
    daily,
    decide,
    frame,
    metrics,
    row,
    rule,
)

INCLUDE = {"learning_phase": "include"}


def _doc(
    condition: dict[str, Any], action: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "condition": condition,
        "action": action or {"type": "notify"},
        "safeguards": INCLUDE,
        **extra,
    }


def _matched(document: dict[str, Any], rows: list[Any], **kw: Any) -> list[str]:
    return sorted({d.object_id for d in decide([rule(document)], rows, **kw)})


def _one(decisions: list[RuleDecision]) -> RuleDecision:
    [only] = decisions
    return only


# --- windows -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "days"),
    [
        ("24h", 1),
        ("last_6_hours", 1),
        ("48h", 2),
        ("last_72_hours", 3),
        ("yesterday", 1),
        ("last_3d", 3),
        ("last_14d", 14),
        ("7d", 7),
    ],
)
def test_hour_and_day_windows_are_whole_complete_days(name: str, days: int) -> None:
    first, last = parse_window(name).days(TODAY, FIRST)
    assert last == TODAY - timedelta(days=1) and (last - first).days + 1 == days


def test_windows_select_the_right_days() -> None:
    history = [metrics(spend="1")] * 5 + [metrics(spend="100")]  # yesterday is the expensive day
    today = {TODAY: metrics(spend="1000")}
    adset = row("as1", history, daily={**daily(history), **today})
    cases = {
        "yesterday": "100",
        "today": "1000",
        "last_3d": "102",
        "lifetime": "1105",
        "last_30d": "105",
    }
    for window, spend in cases.items():
        doc = _doc({"metric": "spend", "operator": "==", "value": spend, "window": window})
        assert _matched(doc, [adset]) == ["as1"], window


def test_attribution_lag_excludes_the_most_recent_days() -> None:
    history = [metrics(conversions=3)] * 4 + [metrics(conversions=0)] * 2
    matured = _doc(
        {
            "metric": "conversions",
            "operator": "==",
            "value": 6,
            "window": "last_2d",
            "attribution_lag_days": 2,
        }
    )
    fresh = _doc({"metric": "conversions", "operator": "==", "value": 0, "window": "last_2d"})
    assert _matched(matured, [row("as1", history)]) == ["as1"]
    assert _matched(fresh, [row("as1", history)]) == ["as1"]


# --- expressions, operators, aggregates ---------------------------------------------------------
def test_metric_versus_metric() -> None:
    rows = [
        row("cheap", [metrics(spend="30", conversions=2)] * 3, target_cpa=Decimal("10")),
        row("dear", [metrics(spend="40", conversions=2)] * 3, target_cpa=Decimal("10")),
    ]
    doc = _doc({"metric": "cpa", "operator": ">", "value": "1.5 * target_cpa", "window": "last_3d"})
    assert _matched(doc, rows) == ["dear"]
    spend_vs_budget = _doc(
        {"metric": "spend", "operator": ">", "value": "2 * budget", "window": "last_3d"}
    )
    assert _matched(spend_vs_budget, [row("a", [metrics(spend="40")] * 3, "50")]) == ["a"]


def test_rule_targets_override_the_campaign_targets() -> None:
    adset = row("as1", [metrics(spend="10", revenue="25")] * 3, target_roas=Decimal("3"))
    doc = _doc({"metric": "roas", "operator": ">=", "value": "target_roas"})
    assert _matched(doc, [adset]) == []
    assert _matched({**doc, "targets": {"target_roas": 2}}, [adset]) == ["as1"]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"metric": "roas", "operator": "between", "value": [1, 2]}, ["a"]),
        ({"metric": "roas", "operator": "not_between", "value": [1, 2]}, ["b", "c"]),
        ({"metric": "conversions", "operator": "in", "value": [7, 21]}, ["a", "c"]),
        ({"metric": "name", "operator": "contains", "value": "BRAND"}, ["b"]),
        ({"metric": "name", "operator": "not_contains", "value": "brand"}, ["a", "c"]),
        ({"metric": "stage", "operator": "in", "value": ["hot", "heating"]}, ["c"]),
        ({"metric": "status", "operator": "==", "value": "active"}, ["a", "b", "c"]),
        (
            {
                "any": [
                    {"metric": "roas", "operator": "<", "value": 1.6},
                    {"metric": "stage", "operator": "==", "value": "hot"},
                ]
            },
            ["a", "c"],
        ),
        (
            {
                "all": [
                    {"metric": "roas", "operator": ">", "value": 1},
                    {
                        "any": [
                            {"metric": "name", "operator": "contains", "value": "brand"},
                            {"metric": "stage", "operator": "==", "value": "hot"},
                        ]
                    },
                ]
            },
            ["b", "c"],
        ),
    ],
)
def test_operators_and_nesting(condition: dict[str, Any], expected: list[str]) -> None:
    rows = [
        row("a", [metrics(spend="10", revenue="15", conversions=1)] * 7),
        row("b", [metrics(spend="10", revenue="30", conversions=2)] * 7, name="US Brand"),
        row("c", [metrics(spend="10", revenue="40", conversions=3)] * 7, stage="hot"),
    ]
    assert _matched(_doc(condition), rows) == expected


def test_changed_by_pct_compares_with_the_previous_window() -> None:
    falling = [metrics(clicks=100)] * 3 + [metrics(clicks=60)] * 3
    steady = [metrics(clicks=100)] * 6
    doc = _doc({"metric": "ctr", "operator": "changed_by_pct", "value": -30, "window": "last_3d"})
    assert _matched(doc, [row("falling", falling), row("steady", steady)]) == ["falling"]
    [d] = decide([rule(doc)], [row("falling", falling)])
    assert d.values["ctr@last_3d%"] == pytest.approx(-40.0)


def test_aggregates_across_campaign_and_scope() -> None:
    rows = [
        row("a1", [metrics(spend="10", revenue="50")], campaign_id="c1"),
        row("a2", [metrics(spend="10", revenue="0")], campaign_id="c1"),
        row("b1", [metrics(spend="10", revenue="0")], campaign_id="c2"),
    ]
    per_campaign = _doc(
        {
            "metric": "roas",
            "operator": ">=",
            "value": 2,
            "window": "yesterday",
            "aggregate": "campaign",
        }
    )
    scope = _doc(
        {
            "metric": "roas",
            "operator": ">=",
            "value": 2,
            "window": "yesterday",
            "aggregate": "scope",
        }
    )
    each = _doc({"metric": "roas", "operator": ">=", "value": 2, "window": "yesterday"})
    assert _matched(per_campaign, rows) == ["a1", "a2"]
    assert _matched(scope, rows) == []
    assert _matched(each, rows) == ["a1"]


def test_static_metrics() -> None:
    history = [metrics(conversions=1)] + [metrics(spend="7", conversions=0)] * 4
    adset = row("as1", history, "40")
    assert _matched(_doc({"metric": "days_running", "operator": "==", "value": 5}), [adset]) == [
        "as1"
    ]
    assert _matched(
        _doc({"metric": "days_without_conversions", "operator": "==", "value": 4}), [adset]
    ) == ["as1"]
    assert _matched(
        _doc({"metric": "spend_since_last_conversion", "operator": "==", "value": 28}), [adset]
    ) == ["as1"]
    utilization = _doc(
        {"metric": "budget_utilization", "operator": "==", "value": "0.175", "window": "last_4d"}
    )
    assert _matched(utilization, [adset]) == ["as1"]


def test_scope_filters() -> None:
    rows = [
        row("a", [metrics()], campaign_id="c1", name="US 18-35"),
        row("b", [metrics()], campaign_id="c2", name="US 36-50"),
        row("c", [metrics()], campaign_id="c2", status="paused"),
    ]
    base = _doc({"metric": "spend", "operator": ">=", "value": 0})
    assert _matched({**base, "applies_to": {"campaign_ids": ["c2"]}}, rows) == ["b"]
    assert _matched({**base, "applies_to": {"name_contains": "18-35"}}, rows) == ["a"]
    assert _matched({**base, "applies_to": {"status": ["paused", "active"]}}, rows) == [
        "a",
        "b",
        "c",
    ]
    assert _matched({**base, "applies_to": {"adset_ids": ["a", "c"]}}, rows) == ["a"]
    assert _matched({**base, "applies_to": {"platform": "meta"}}, rows) == []


# --- actions -------------------------------------------------------------------------------------
def _budget(action: dict[str, Any], budget: str = "100", **kw: Any) -> RuleDecision:
    doc = _doc({"metric": "spend", "operator": ">=", "value": 0}, action, **kw)
    return _one(
        decide(
            [rule(doc)],
            [row("as1", [metrics(spend="20", revenue="60", conversions=2)] * 7, budget)],
        )
    )


def test_budget_actions_and_their_limits() -> None:
    assert _budget({"type": "increase_budget", "pct": 20}).new_budget == Decimal("120.00")
    assert _budget(
        {"type": "decrease_budget", "change_spec": {"amount": 15, "unit": "currency"}}
    ).new_budget == Decimal("85.00")
    assert _budget({"type": "set_budget", "change_spec": {"amount": 130}}).new_budget == Decimal(
        "130.00"
    )
    limited = _budget(
        {
            "type": "increase_budget",
            "change_spec": {"amount": 40, "unit": "percentage", "limit": 110},
        }
    )
    assert limited.new_budget == Decimal("110.00") and limited.notes == ("limit",)
    capped = _budget({"type": "increase_budget", "pct": 200})
    assert capped.new_budget == Decimal("150.00") and capped.notes == ("capped",)
    own_cap = _budget(
        {"type": "increase_budget", "pct": 40}, safeguards={**INCLUDE, "max_change_pct": 10}
    )
    assert own_cap.new_budget == Decimal("110.00")
    bounded = _budget({"type": "increase_budget", "pct": 40, "max_budget": 105})
    assert bounded.new_budget == Decimal("105.00") and "bounds" in bounded.notes
    at_max = _budget({"type": "increase_budget", "pct": 40, "max_budget": 90})
    assert at_max.outcome is Outcome.NO_CHANGE


def test_scale_budget_toward_a_target() -> None:
    action = {"type": "scale_budget", "change_spec": {"target_field": "cpa", "target_value": 12}}
    # CPA 10 against a target of 12 → scale up by 12/10.
    assert _budget(action).new_budget == Decimal("120.00")
    value = {
        "type": "scale_budget",
        "change_spec": {"target_field": "roas", "target_value": "target_roas"},
    }
    doc = _doc({"metric": "spend", "operator": ">=", "value": 0}, value)
    adset = row("as1", [metrics(spend="20", revenue="30")] * 7, "100", target_roas=Decimal("2"))
    assert _one(decide([rule(doc)], [adset])).new_budget == Decimal("75.00")


def test_platform_minimum_wins() -> None:
    doc = _doc(
        {"metric": "spend", "operator": ">=", "value": 0}, {"type": "decrease_budget", "pct": 50}
    )
    limits = Limits(minimums={("tiktok", "adset"): 4000})
    [d] = decide([rule(doc)], [row("as1", [metrics()], "50")], limits=limits)
    assert d.new_budget == Decimal("40.00") and d.notes == ("minimum",)
    [floor] = decide([rule(doc)], [row("as1", [metrics()], "40")], limits=limits)
    assert floor.outcome is Outcome.NO_CHANGE


def test_rebalance_moves_budget_to_the_rest_of_the_campaign() -> None:
    rows = [
        row("bad", [metrics(spend="30", revenue="5")] * 3, "30"),
        row("good", [metrics(spend="30", revenue="90")] * 3, "60"),
        row("fine", [metrics(spend="30", revenue="60")] * 3, "120"),
        row("other", [metrics(spend="30", revenue="90")] * 3, "50", campaign_id="c2"),
    ]
    doc = _doc({"metric": "roas", "operator": "<", "value": 1}, {"type": "rebalance"})
    got = {(d.object_id, d.effect, d.outcome, d.new_budget) for d in decide([rule(doc)], rows)}
    assert got == {
        ("bad", Effect.PAUSE, Outcome.APPLY, None),
        ("good", Effect.BUDGET, Outcome.APPLY, Decimal("70.00")),
        ("fine", Effect.BUDGET, Outcome.APPLY, Decimal("140.00")),
    }
    alone = decide([rule(doc)], [rows[0]])
    assert [d.outcome for d in alone] == [Outcome.SKIPPED_NO_RECIPIENT]


def test_rotate_creative_pauses_the_ad_and_starts_a_paused_sibling() -> None:
    def ad(ad_id: str, adset: str, status: str, clicks: int) -> Any:
        return row(ad_id, [metrics(clicks=clicks)] * 3, None, adset_id=adset, status=status)

    rows = [
        ad("ad1", "as1", "active", 5),
        ad("ad2", "as1", "paused", 50),
        ad("ad3", "as2", "active", 5),
    ]
    doc = _doc(
        {"metric": "ctr", "operator": "<", "value": 0.01}, {"type": "rotate_creative"}, level="ad"
    )
    got = {
        (d.object_id, d.effect, d.outcome, d.related_object_id)
        for d in decide([rule(doc)], rows, level=EntityLevel.AD)
    }
    assert got == {
        ("ad1", Effect.PAUSE, Outcome.APPLY, "ad2"),
        ("ad2", Effect.UNPAUSE, Outcome.APPLY, "ad1"),
        ("ad3", Effect.PAUSE, Outcome.SKIPPED_NO_SIBLING, None),
    }


def test_levels_only_see_their_own_frame() -> None:
    campaign_rule = rule(
        _doc({"metric": "spend", "operator": ">", "value": 0}, {"type": "pause"}, level="campaign"),
        "rc",
    )
    adset_rule = rule(
        _doc({"metric": "spend", "operator": ">", "value": 0}, {"type": "pause"}), "ra"
    )
    frames = [
        frame([row("c1", [metrics()], "200", adset_id="")], EntityLevel.CAMPAIGN),
        frame([row("as1", [metrics()])]),
    ]
    got = {
        (d.rule_id, d.level, d.object_id)
        for d in run_cycle([campaign_rule, adset_rule], frames, NOW).decisions()
    }
    assert got == {("rc", EntityLevel.CAMPAIGN, "c1"), ("ra", EntityLevel.ADSET, "as1")}
    with pytest.raises(ValueError, match="distinct"):
        run_cycle([adset_rule, adset_rule], frames, NOW)


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
    doc = _doc(
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
        return _one(decide([rule(doc)], [adset], ledger=ledger)).outcome

    assert outcome() is Outcome.APPLY
    assert outcome(30) is Outcome.SKIPPED_COOLDOWN
    assert outcome(120) is Outcome.SKIPPED_OBJECT_DAILY_LIMIT
    assert outcome(3000, 5000) is Outcome.SKIPPED_OBJECT_LIMIT
    assert outcome(3000) is Outcome.APPLY


def test_rule_daily_limit_takes_objects_in_id_order() -> None:
    doc = _doc(
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
        _doc(
            {"metric": "roas", "operator": ">", "value": 2},
            {"type": "increase_budget", "pct": 50},
            safeguards=cap,
        ),
        "up",
    )
    down = rule(_doc({"metric": "roas", "operator": "<", "value": 1}, {"type": "pause"}), "down")
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
        _doc(
            {"metric": "roas", "operator": ">", "value": 1}, {"type": "increase_budget", "pct": 30}
        ),
        "a-up",
    )
    small = rule(
        _doc(
            {"metric": "roas", "operator": ">", "value": 1}, {"type": "increase_budget", "pct": 10}
        ),
        "b-small",
    )
    pause = rule(
        _doc({"metric": "roas", "operator": ">", "value": 3}, {"type": "pause"}), "c-pause"
    )
    keep = rule(_doc({"metric": "roas", "operator": ">", "value": 1}, {"type": "keep"}), "d-keep")
    got = {d.rule_id: (d.outcome, d.overridden_by) for d in decide([up, small], adset)}
    assert got == {"a-up": (Outcome.OVERRIDDEN, "b-small"), "b-small": (Outcome.APPLY, None)}
    got = {d.rule_id: (d.outcome, d.overridden_by) for d in decide([up, pause], adset)}
    assert got == {"a-up": (Outcome.OVERRIDDEN, "c-pause"), "c-pause": (Outcome.APPLY, None)}
    got = {d.rule_id: (d.outcome, d.overridden_by) for d in decide([up, keep], adset)}
    assert got == {"a-up": (Outcome.OVERRIDDEN, "d-keep"), "d-keep": (Outcome.KEEP, None)}


# --- reasons -------------------------------------------------------------------------------------
def test_reasons_carry_the_values_seen_in_both_languages() -> None:
    doc = {
        **_doc({"metric": "cpa", "operator": ">", "value": "1.5 * target_cpa"}, {"type": "pause"}),
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
    compiled = rule(_doc({"metric": "roas", "operator": ">", "value": "1.5 * target_roas"}))
    assert compiled.leaves[0].value.coef == Fraction(3, 2)  # type: ignore[union-attr]
