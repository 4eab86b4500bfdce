"""Rule documents: both shapes, validation errors that name the field, exact comparisons."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roasloop.decisions.presets import PRESETS, load_preset
from roasloop.decisions.rules import Outcome, RuleDecision, parse_rule, seed_document
from roasloop.domain.metrics import MetricTotals
from roasloop.errors import InvalidParameter
from tests.unit.test_rules_helpers import decide, row, rule

PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID_LEAF = {"metric": "cpa", "operator": ">", "value": 10}


def _field(document: dict[str, Any]) -> str:
    with pytest.raises(InvalidParameter) as caught:
        parse_rule(document)
    return caught.value.field


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (
            {
                "condition": {"all": [VALID_LEAF, {**VALID_LEAF, "metric": "vibes"}]},
                "action": {"type": "pause"},
            },
            "condition.all[1].metric",
        ),
        (
            {"condition": {**VALID_LEAF, "operator": "~"}, "action": {"type": "pause"}},
            "condition.operator",
        ),
        (
            {"condition": {**VALID_LEAF, "value": "lots"}, "action": {"type": "pause"}},
            "condition.value",
        ),
        (
            {"condition": {**VALID_LEAF, "value": "2 * vibes"}, "action": {"type": "pause"}},
            "condition.value",
        ),
        (
            {"condition": {**VALID_LEAF, "window": "fortnight"}, "action": {"type": "pause"}},
            "condition.window",
        ),
        (
            {
                "condition": {**VALID_LEAF, "window": "today", "attribution_lag_days": 2},
                "action": {"type": "pause"},
            },
            "condition.attribution_lag_days",
        ),
        (
            {"condition": {**VALID_LEAF, "metric": "name"}, "action": {"type": "pause"}},
            "condition.operator",
        ),
        (
            {
                "condition": {"metric": "budget", "operator": "changed_by_pct", "value": -20},
                "action": {"type": "pause"},
            },
            "condition.operator",
        ),
        (
            {
                "condition": {"metric": "roas", "operator": "between", "value": [3, 1]},
                "action": {"type": "pause"},
            },
            "condition.value",
        ),
        ({"condition": {"any": []}, "action": {"type": "pause"}}, "condition.any"),
        ({"condition": {**VALID_LEAF, "bogus": 1}, "action": {"type": "pause"}}, "condition.bogus"),
        ({"condition": VALID_LEAF, "action": {"type": "explode"}}, "action.type"),
        (
            {"condition": VALID_LEAF, "action": {"type": "decrease_budget", "pct": 100}},
            "action.pct",
        ),
        ({"condition": VALID_LEAF, "action": {"type": "set_budget"}}, "action.change_spec.amount"),
        ({"condition": VALID_LEAF, "action": {"type": "rotate_creative"}}, "action.type"),
        (
            {
                "condition": VALID_LEAF,
                "action": {"type": "scale_budget", "change_spec": {"target_field": "spend"}},
            },
            "action.change_spec.target_field",
        ),
        (
            {"condition": VALID_LEAF, "action": {"type": "pause", "min_budget": "x"}},
            "action.min_budget",
        ),
        (
            {
                "condition": VALID_LEAF,
                "action": {"type": "pause"},
                "safeguards": {"cooldown_minutes": -1},
            },
            "safeguards.cooldown_minutes",
        ),
        ({"condition": VALID_LEAF, "action": {"type": "pause"}, "level": "keyword"}, "level"),
        (
            {
                "condition": VALID_LEAF,
                "action": {"type": "pause"},
                "applies_to": {"status": ["sleeping"]},
            },
            "applies_to.statuses[0]",
        ),
        ({"action": {"type": "pause"}}, "condition"),
        ({"condition": VALID_LEAF}, "action"),
        (
            {
                "branches": [
                    {"when": VALID_LEAF, "action": {"type": "pause"}},
                    {"when": {**VALID_LEAF, "operator": "≈"}, "action": {"type": "pause"}},
                ]
            },
            "branches[1].when.operator",
        ),
        (
            {
                "evaluation": {
                    "filters": [{"field": "vibes", "operator": "GREATER_THAN", "value": 1}]
                },
                "execution": {"execution_type": "PAUSE"},
            },
            "condition.all[0].metric",
        ),
    ],
)
def test_validation_names_the_offending_field(document: dict[str, Any], field: str) -> None:
    assert _field(document) == field


@given(
    size=st.integers(1, 6),
    data=st.data(),
    bad=st.text(min_size=1, max_size=8).filter(str.isidentifier),
)
@PROPERTY
def test_any_bad_metric_in_a_tree_is_named_by_path(
    size: int, data: st.DataObject, bad: str
) -> None:
    from roasloop.decisions.rules.catalog import METRIC_ALIASES, METRICS

    if bad.lower() in METRICS or bad.lower() in METRIC_ALIASES:
        return
    index = data.draw(st.integers(0, size - 1))
    kind = data.draw(st.sampled_from(["all", "any"]))
    leaves = [dict(VALID_LEAF) for _ in range(size)]
    leaves[index]["metric"] = bad
    branch = data.draw(st.integers(0, 2))
    branches = [{"when": VALID_LEAF, "action": {"type": "notify"}} for _ in range(3)]
    branches[branch] = {"when": {kind: leaves}, "action": {"type": "pause"}}
    assert _field({"branches": branches}) == f"branches[{branch}].when.{kind}[{index}].metric"


def test_meta_spelling_compiles_like_the_canonical_one() -> None:
    meta = parse_rule(
        {
            "evaluation": {
                "filters": [
                    {
                        "field": "cost_per_result",
                        "operator": "GREATER_THAN",
                        "value": 20,
                        "time_preset": "LAST_7D",
                    }
                ]
            },
            "execution": {
                "execution_type": "CHANGE_BID",
                "change_spec": {"amount": 10, "unit": "PERCENTAGE"},
            },
            "execution_count_limit": 3,
            "action_frequency": 10080,
        }
    )
    assert meta.branches[0].when is not None
    assert meta.guards.max_per_object == 3 and meta.guards.cooldown.days == 7
    assert meta.branches[0].action.type.value == "change_bid"


@pytest.mark.parametrize("name", PRESETS)
def test_presets_compile(name: str) -> None:
    compiled = parse_rule(load_preset(name), name)
    assert compiled.name == name and not compiled.guards.protect_learning
    assert compiled.guards.max_change == Fraction(1, 2)


SEED_OPS = {
    "greater_than": ">",
    ">": ">",
    "less_than": "<",
    "<": "<",
    "greater_or_equal": ">=",
    "less_or_equal": "<=",
    "equals": "==",
    "not_equals": "!=",
}
SEED_WINDOWS = {
    "24h": "yesterday",
    "48h": "last_2d",
    "72h": "last_3d",
    "7d": "last_7d",
    "last_14d": "last_14d",
    "30d": "last_30d",
}
SEED_ACTIONS = {
    "pause_adset": "pause",
    "increase_budget": "increase_budget",
    "decrease_budget": "decrease_budget",
    "notify": "notify",
}


def _key(d: RuleDecision) -> tuple[Any, ...]:
    return (
        d.object_id,
        d.effect,
        d.outcome,
        d.new_budget,
        tuple(sorted(d.values.values(), key=str)),
    )


@given(
    metric=st.sampled_from(
        [
            "spend",
            "roas",
            "cpa",
            "ctr",
            "cvr",
            "cpc",
            "cpm",
            "conversions",
            "clicks",
            "impressions",
            "revenue",
        ]
    ),
    op=st.sampled_from(sorted(SEED_OPS)),
    value=st.integers(0, 400).map(lambda v: v / 4),
    window=st.sampled_from(sorted(SEED_WINDOWS)),
    kind=st.sampled_from(sorted(SEED_ACTIONS)),
    pct=st.integers(1, 60),
    spends=st.lists(
        st.tuples(st.integers(0, 9000), st.integers(0, 5), st.integers(0, 20000)),
        min_size=3,
        max_size=12,
    ),
)
@PROPERTY
def test_seed_shape_and_rich_shape_decide_the_same(
    metric: str,
    op: str,
    value: float,
    window: str,
    kind: str,
    pct: int,
    spends: list[tuple[int, int, int]],
) -> None:
    seed_action: dict[str, Any] = {"type": kind}
    rich_action: dict[str, Any] = {"type": SEED_ACTIONS[kind]}
    if kind in ("increase_budget", "decrease_budget"):
        seed_action["pct"] = pct
        rich_action["change_spec"] = {"amount": pct, "unit": "percentage"}
    seed = seed_document(
        "r",
        {"metric": metric, "operator": op, "value": value, "time_range": window},
        seed_action,
        {},
    )
    rich = {
        "name": "r",
        "condition": {
            "metric": metric,
            "operator": SEED_OPS[op],
            "value": value,
            "window": SEED_WINDOWS[window],
        },
        "action": rich_action,
        "safeguards": {"learning_phase": "include"},
    }
    history = [MetricTotals(2000, 60, c, Decimal(s) / 100, Decimal(r) / 100) for s, c, r in spends]
    rows = [row(f"as{i}", history[i:]) for i in range(3)]
    got_seed = [
        (d.object_id, d.effect, d.outcome, d.new_budget) for d in decide([rule(seed)], rows)
    ]
    got_rich = [
        (d.object_id, d.effect, d.outcome, d.new_budget) for d in decide([rule(rich)], rows)
    ]
    assert got_seed == got_rich


@given(
    revenue=st.integers(0, 10**7),
    spend=st.integers(1, 10**7),
    target=st.integers(1, 99_999),
    coef=st.sampled_from(["1", "1.5", "0.7", "1.1", "2.35", "0.333"]),
    op=st.sampled_from([">", ">=", "<", "<=", "==", "!="]),
)
@PROPERTY
def test_ratio_thresholds_decide_exactly_as_decimal(
    revenue: int, spend: int, target: int, coef: str, op: str
) -> None:
    target_roas = Decimal(target) / 10_000
    doc = {
        "condition": {"metric": "roas", "operator": op, "value": f"{coef} * target_roas"},
        "action": {"type": "notify"},
        "safeguards": {"learning_phase": "include"},
    }
    history = [MetricTotals(1000, 50, 1, Decimal(spend) / 100, Decimal(revenue) / 100)]
    matched = bool(decide([rule(doc)], [row("as1", history, target_roas=target_roas)]))
    roas, threshold = Decimal(revenue) / Decimal(spend), Decimal(coef) * target_roas
    expected = {
        ">": roas > threshold,
        ">=": roas >= threshold,
        "<": roas < threshold,
        "<=": roas <= threshold,
        "==": roas == threshold,
        "!=": roas != threshold,
    }[op]
    # Decimal's 28-digit division can round a non-terminating ratio onto the threshold; compare
    # with exact fractions where the two disagree.
    exact = Fraction(revenue, spend) - Fraction(Decimal(coef)) * Fraction(target_roas)
    exact_expected = {
        ">": exact > 0,
        ">=": exact >= 0,
        "<": exact < 0,
        "<=": exact <= 0,
        "==": exact == 0,
        "!=": exact != 0,
    }[op]
    assert matched == exact_expected
    if roas != threshold:
        assert matched == expected


def test_undefined_metrics_never_match() -> None:
    no_conversions = [MetricTotals(1000, 50, 0, Decimal("30"), Decimal("0"))] * 3
    for op in (">", "<", "!=", "not_between", "not_in"):
        value: Any = [1, 2] if op in ("not_between", "not_in") else 5
        doc = {
            "condition": {"metric": "cpa", "operator": op, "value": value},
            "action": {"type": "notify"},
        }
        assert decide([rule(doc)], [row("as1", no_conversions)]) == [], op


def test_outcome_labels_are_message_keys() -> None:
    from roasloop.i18n import CATALOG

    for outcome in Outcome:
        if outcome is not Outcome.APPLY:
            assert f"rule_outcome_{outcome.label}" in CATALOG
