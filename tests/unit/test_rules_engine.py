"""The rule engine on hand-made snapshots: windows, expressions, actions, safeguards, reasons."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from roasloop.decisions.rules import (
    Effect,
    Limits,
    Outcome,
    RuleDecision,
    run_cycle,
)
from roasloop.decisions.rules.windows import parse_window
from roasloop.domain.enums import EntityLevel
from tests.unit.test_rules_helpers import (
    FIRST,
    INCLUDE,
    NOW,
    TODAY,
    daily,
    decide,
    frame,
    matched,
    metrics,
    one,
    row,
    rule,
    rule_doc,
)


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
        doc = rule_doc({"metric": "spend", "operator": "==", "value": spend, "window": window})
        assert matched(doc, [adset]) == ["as1"], window


def test_attribution_lag_excludes_the_most_recent_days() -> None:
    history = [metrics(conversions=3)] * 4 + [metrics(conversions=0)] * 2
    matured = rule_doc(
        {
            "metric": "conversions",
            "operator": "==",
            "value": 6,
            "window": "last_2d",
            "attribution_lag_days": 2,
        }
    )
    fresh = rule_doc({"metric": "conversions", "operator": "==", "value": 0, "window": "last_2d"})
    assert matched(matured, [row("as1", history)]) == ["as1"]
    assert matched(fresh, [row("as1", history)]) == ["as1"]


# --- expressions, operators, aggregates ---------------------------------------------------------
def test_metric_versus_metric() -> None:
    rows = [
        row("cheap", [metrics(spend="30", conversions=2)] * 3, target_cpa=Decimal("10")),
        row("dear", [metrics(spend="40", conversions=2)] * 3, target_cpa=Decimal("10")),
    ]
    doc = rule_doc(
        {"metric": "cpa", "operator": ">", "value": "1.5 * target_cpa", "window": "last_3d"}
    )
    assert matched(doc, rows) == ["dear"]
    spend_vs_budget = rule_doc(
        {"metric": "spend", "operator": ">", "value": "2 * budget", "window": "last_3d"}
    )
    assert matched(spend_vs_budget, [row("a", [metrics(spend="40")] * 3, "50")]) == ["a"]


def test_rule_targets_override_the_campaign_targets() -> None:
    adset = row("as1", [metrics(spend="10", revenue="25")] * 3, target_roas=Decimal("3"))
    doc = rule_doc({"metric": "roas", "operator": ">=", "value": "target_roas"})
    assert matched(doc, [adset]) == []
    assert matched({**doc, "targets": {"target_roas": 2}}, [adset]) == ["as1"]


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
    assert matched(rule_doc(condition), rows) == expected


def test_changed_by_pct_compares_with_the_previous_window() -> None:
    falling = [metrics(clicks=100)] * 3 + [metrics(clicks=60)] * 3
    steady = [metrics(clicks=100)] * 6
    doc = rule_doc(
        {"metric": "ctr", "operator": "changed_by_pct", "value": -30, "window": "last_3d"}
    )
    assert matched(doc, [row("falling", falling), row("steady", steady)]) == ["falling"]
    [d] = decide([rule(doc)], [row("falling", falling)])
    assert d.values["ctr@last_3d%"] == pytest.approx(-40.0)


def test_aggregates_across_campaign_and_scope() -> None:
    rows = [
        row("a1", [metrics(spend="10", revenue="50")], campaign_id="c1"),
        row("a2", [metrics(spend="10", revenue="0")], campaign_id="c1"),
        row("b1", [metrics(spend="10", revenue="0")], campaign_id="c2"),
    ]
    per_campaign = rule_doc(
        {
            "metric": "roas",
            "operator": ">=",
            "value": 2,
            "window": "yesterday",
            "aggregate": "campaign",
        }
    )
    scope = rule_doc(
        {
            "metric": "roas",
            "operator": ">=",
            "value": 2,
            "window": "yesterday",
            "aggregate": "scope",
        }
    )
    each = rule_doc({"metric": "roas", "operator": ">=", "value": 2, "window": "yesterday"})
    assert matched(per_campaign, rows) == ["a1", "a2"]
    assert matched(scope, rows) == []
    assert matched(each, rows) == ["a1"]


def test_static_metrics() -> None:
    history = [metrics(conversions=1)] + [metrics(spend="7", conversions=0)] * 4
    adset = row("as1", history, "40")
    assert matched(rule_doc({"metric": "days_running", "operator": "==", "value": 5}), [adset]) == [
        "as1"
    ]
    assert matched(
        rule_doc({"metric": "days_without_conversions", "operator": "==", "value": 4}), [adset]
    ) == ["as1"]
    assert matched(
        rule_doc({"metric": "spend_since_last_conversion", "operator": "==", "value": 28}), [adset]
    ) == ["as1"]
    utilization = rule_doc(
        {"metric": "budget_utilization", "operator": "==", "value": "0.175", "window": "last_4d"}
    )
    assert matched(utilization, [adset]) == ["as1"]


def test_scope_filters() -> None:
    rows = [
        row("a", [metrics()], campaign_id="c1", name="US 18-35"),
        row("b", [metrics()], campaign_id="c2", name="US 36-50"),
        row("c", [metrics()], campaign_id="c2", status="paused"),
    ]
    base = rule_doc({"metric": "spend", "operator": ">=", "value": 0})
    assert matched({**base, "applies_to": {"campaign_ids": ["c2"]}}, rows) == ["b"]
    assert matched({**base, "applies_to": {"name_contains": "18-35"}}, rows) == ["a"]
    assert matched({**base, "applies_to": {"status": ["paused", "active"]}}, rows) == [
        "a",
        "b",
        "c",
    ]
    assert matched({**base, "applies_to": {"adset_ids": ["a", "c"]}}, rows) == ["a"]
    assert matched({**base, "applies_to": {"platform": "meta"}}, rows) == []


# --- actions -------------------------------------------------------------------------------------
def _budget(action: dict[str, Any], budget: str = "100", **kw: Any) -> RuleDecision:
    doc = rule_doc({"metric": "spend", "operator": ">=", "value": 0}, action, **kw)
    return one(
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
    doc = rule_doc({"metric": "spend", "operator": ">=", "value": 0}, value)
    adset = row("as1", [metrics(spend="20", revenue="30")] * 7, "100", target_roas=Decimal("2"))
    assert one(decide([rule(doc)], [adset])).new_budget == Decimal("75.00")


def test_platform_minimum_wins() -> None:
    doc = rule_doc(
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
    doc = rule_doc({"metric": "roas", "operator": "<", "value": 1}, {"type": "rebalance"})
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
    doc = rule_doc(
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
        rule_doc(
            {"metric": "spend", "operator": ">", "value": 0}, {"type": "pause"}, level="campaign"
        ),
        "rc",
    )
    adset_rule = rule(
        rule_doc({"metric": "spend", "operator": ">", "value": 0}, {"type": "pause"}), "ra"
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
