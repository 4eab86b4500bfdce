"""The rule engine through the module API, against the real store and the TikTok sandbox."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from roasloop.domain.enums import EntityLevel, EntityStatus, OperationState, Platform
from roasloop.ports.store import UnitOfWork
from tests.integration.conftest import PROPERTY
from tests.integration.harness import Harness
from tests.integration.steps import INCLUDE, launch, ok, operations


def _budget(h: Harness, adset_id: str) -> Decimal:
    return Decimal(str(h.world.get("adgroup", adset_id)["budget"]))


def test_create_preview_execute_history_undo_disable(fresh: Harness) -> None:
    campaign = launch(fresh, "u1")
    adsets = [a["adset_id"] for a in campaign["adsets"]]
    fresh.advance(3)
    created = ok(
        fresh.execute(
            "create_rule",
            {
                "rule_name": "scale spenders",
                "condition": {
                    "all": [
                        {"metric": "spend", "operator": ">", "value": 1, "window": "last_3d"},
                        {"metric": "roas", "operator": ">=", "value": "0 * target_roas"},
                    ]
                },
                "action": {
                    "type": "increase_budget",
                    "change_spec": {"amount": 30, "unit": "percentage"},
                },
                "safeguards": INCLUDE,
                "applies_to": {"campaign_ids": [campaign["campaign_id"]]},
            },
        )
    )
    rule_id = created["rule_id"]
    assert created["shape"] == "rich" and created["level"] == "adset"

    preview = ok(fresh.execute("preview_rule", {"rule_id": rule_id}, locale="zh-CN"))
    assert preview["dry_run"] is True and preview["matched"] == 3 and preview["changes"] == 3
    for item in preview["decisions"]:
        assert item["result"] == "preview" and item["new_budget"] == 65.0
        assert item["values"]["spend@last_3d"] > 1 and "target_roas" in item["values"]
        assert item["reason"].startswith("规则「scale spenders」")
    assert all(_budget(fresh, a) == Decimal("50") for a in adsets)
    assert operations(fresh, "u1", "increase_budget") == []

    executed = ok(fresh.execute("execute_rule", {"rule_id": rule_id}))
    assert [d["result"] for d in executed["decisions"]] == ["done"] * 3
    assert all(_budget(fresh, a) == Decimal("65") for a in adsets)
    logged = operations(fresh, "u1", "increase_budget")
    assert len(logged) == 3 and all(op.state is OperationState.CONFIRMED for op in logged)
    assert {(op.before["daily_budget"], op.after["daily_budget"]) for op in logged} == {
        ("50.00", "65.00")
    }

    again = ok(fresh.execute("execute_rule", {"rule_id": rule_id}))
    assert {d["result"] for d in again["decisions"]} == {"skipped_cooldown"}
    assert all(_budget(fresh, a) == Decimal("65") for a in adsets)

    history = ok(fresh.execute("rule_history", {"rule_id": rule_id, "hide_no_changes": True}))
    assert len(history["executions"]) == 3
    entry = history["executions"][0]
    assert entry["before"] == {"daily_budget": "50.00"} and entry["after"] == {
        "daily_budget": "65.00"
    }
    assert entry["values"]["metrics"]["spend@last_3d"] > 1 and entry["reason"]
    assert len(ok(fresh.execute("rule_history", {"rule_id": rule_id}))["executions"]) == 6

    undone = ok(
        fresh.execute(
            "undo_rule_execution", {"rule_id": rule_id, "execution_id": entry["execution_id"]}
        )
    )
    assert undone["restored"] == {"daily_budget": "50.00"}
    assert _budget(fresh, entry["object_id"]) == Decimal("50")
    [undo_op] = operations(fresh, "u1", "undo")
    assert undo_op.state is OperationState.CONFIRMED and undo_op.after == {"daily_budget": "50.00"}
    twice = fresh.execute(
        "undo_rule_execution", {"rule_id": rule_id, "execution_id": entry["execution_id"]}
    )
    assert twice["status"] == "error" and twice["error"]["details"]["field"] == "execution_id"

    ok(fresh.execute("set_rule_enabled", {"rule_id": rule_id, "enabled": False}))
    assert fresh.execute("check_rules", {})["checked"] == 0
    listed = ok(fresh.execute("list_rules", {}))["rules"]
    assert [(r["rule_id"], r["enabled"]) for r in listed] == [(rule_id, False)]


def test_an_undo_refuses_to_overwrite_a_later_change(fresh: Harness) -> None:
    campaign = launch(fresh, "u1")
    fresh.advance(2)
    doc = {
        "rule_name": "up",
        "condition": {"metric": "spend", "operator": ">", "value": 0, "time_range": "24h"},
        "action": {"type": "increase_budget", "pct": 20},
        "applies_to": {"campaign_ids": [campaign["campaign_id"]]},
    }
    rule_id = ok(fresh.execute("create_rule", doc))["rule_id"]
    ok(fresh.execute("execute_rule", {"rule_id": rule_id}))
    later = {**doc, "rule_name": "down", "action": {"type": "decrease_budget", "pct": 10}}
    later_id = ok(fresh.execute("create_rule", later))["rule_id"]
    ok(fresh.execute("execute_rule", {"rule_id": later_id}))  # a later change of the same ad sets
    result = fresh.execute("undo_rule_execution", {"rule_id": rule_id})
    assert result["status"] == "error" and result["error"]["details"]["field"] == "execution_id"


ACTIONS = st.sampled_from(
    [
        ("pause_adset", {}),
        ("increase_budget", {"pct": 10}),
        ("increase_budget", {"pct": 40}),
        ("decrease_budget", {"pct": 25}),
        ("notify", {}),
    ]
)


# Feature: campaign-automation, Property 13: 规则创建和执行
@given(
    metric=st.sampled_from(["spend", "impressions", "clicks"]),
    window=st.sampled_from(["24h", "48h", "last_3d", "yesterday"]),
    action=ACTIONS,
    rich=st.booleans(),
    locale=st.sampled_from(["en", "zh-CN"]),
)
@PROPERTY
def test_property_13_rules_are_created_executed_and_logged(
    shared: Harness,
    metric: str,
    window: str,
    action: tuple[str, dict[str, Any]],
    rich: bool,
    locale: str,
) -> None:
    user = shared.new_user()
    campaign = launch(shared, user)
    shared.advance(3)
    kind, extra = action
    scope = {"campaign_ids": [campaign["campaign_id"]]}
    if rich:
        params = {
            "rule_name": "p13",
            "condition": {
                "any": [{"metric": metric, "operator": ">", "value": 0, "window": window}]
            },
            "action": {"type": kind, **extra},
            "safeguards": INCLUDE,
            "applies_to": scope,
        }
    else:
        condition = {"metric": metric, "operator": "greater_than", "value": 0, "time_range": window}
        params = {
            "rule_name": "p13",
            "condition": condition,
            "action": {"type": kind, **extra},
            "applies_to": scope,
        }
    created = ok(shared.execute("create_rule", params, user=user))
    before = {a["adset_id"]: _budget(shared, a["adset_id"]) for a in campaign["adsets"]}
    executed = ok(
        shared.execute("execute_rule", {"rule_id": created["rule_id"]}, user=user, locale=locale)
    )
    decisions = executed["decisions"]
    assert {d["adset_id"] for d in decisions} == set(before)
    history = shared.stored(user, lambda uow: uow.rules.list_executions(created["rule_id"]))
    assert len(history) == len(decisions)
    for item in decisions:
        adset_id, wire = item["adset_id"], shared.world.get("adgroup", item["adset_id"])
        assert item["reason"] and item["reasons"]["en"] and item["reasons"]["zh-CN"]
        if kind == "notify":
            assert item["result"] == "notified"
            continue
        assert item["result"] == "done", item
        if kind == "pause_adset":
            assert wire["operation_status"] == "DISABLE"
        else:
            assert Decimal(str(wire["budget"])) == Decimal(str(item["new_budget"]))
            assert abs(Decimal(str(item["new_budget"])) - before[adset_id]) <= before[adset_id] / 2
    changes = [
        op
        for op in shared.stored(user, lambda uow: uow.operations.find())
        if op.trigger.value == "rule"
    ]
    assert len(changes) == (0 if kind == "notify" else len(decisions))
    assert all(op.state is OperationState.CONFIRMED for op in changes)
    shared.execute(
        "manage_campaign",
        {"campaign_id": campaign["campaign_id"], "operation": "delete"},
        user=user,
    )


def test_rotate_creative_pauses_the_tired_ad_and_starts_its_sibling(fresh: Harness) -> None:
    campaign = launch(fresh, "u1", creatives=2)
    deps = fresh.runtime.deps
    adapter = fresh.runner.run(deps.adapters.adapter_for("u1", Platform.TIKTOK))
    spare = [ad["ad_id"] for ad in campaign["ads"] if ad["creative_id"] == "cr1"]
    fresh.runner.run(adapter.set_status(EntityLevel.AD, spare, EntityStatus.PAUSED))

    async def pause_stored(uow: UnitOfWork) -> None:
        for ad_id in spare:
            await uow.campaigns.set_status(
                Platform.TIKTOK, EntityLevel.AD, ad_id, EntityStatus.PAUSED, deps.clock.now()
            )

    fresh.stored("u1", pause_stored)
    fresh.advance(2)
    rule = ok(
        fresh.execute(
            "create_rule",
            {
                "rule_name": "rotate",
                "level": "ad",
                "condition": {
                    "metric": "impressions",
                    "operator": ">",
                    "value": 0,
                    "window": "yesterday",
                },
                "action": {"type": "rotate_creative"},
                "safeguards": INCLUDE,
            },
        )
    )
    result = ok(fresh.execute("execute_rule", {"rule_id": rule["rule_id"]}))
    assert {d["result"] for d in result["decisions"]} == {"done"} and len(result["decisions"]) == 6
    for ad in campaign["ads"]:
        status = fresh.world.get("ad", ad["ad_id"])["operation_status"]
        assert status == ("ENABLE" if ad["creative_id"] == "cr1" else "DISABLE")


def test_new_ad_sets_are_protected_by_the_learning_phase(fresh: Harness) -> None:
    launch(fresh, "u1")
    fresh.advance(2)
    rule = ok(
        fresh.execute(
            "create_rule",
            {
                "rule_name": "cut",
                "condition": {
                    "metric": "spend",
                    "operator": ">",
                    "value": 0,
                    "window": "yesterday",
                },
                "action": {"type": "decrease_budget", "pct": 20},
            },
        )
    )
    preview = ok(fresh.execute("preview_rule", {"rule_id": rule["rule_id"]}))
    assert {d["result"] for d in preview["decisions"]} == {"skipped_learning"}


def test_presets_and_inline_previews(fresh: Harness) -> None:
    campaign = launch(fresh, "u1")
    fresh.advance(4)
    scope = {"campaign_ids": [campaign["campaign_id"]]}
    design = ok(
        fresh.execute(
            "create_rule",
            {"preset": "threshold", "applies_to": scope, "targets": {"target_roas": 0.1}},
        )
    )
    assert design["rule_name"] == "threshold" and design["preset"] == "threshold"
    preview = ok(fresh.execute("preview_rule", {"rule_id": design["rule_id"]}, locale="zh-CN"))
    raised = [d for d in preview["decisions"] if d["action"] == "increase_budget"]
    assert raised and all("表现优秀" in d["reason"] for d in raised)
    inline = ok(
        fresh.execute(
            "preview_rule",
            {"preset": "tiered", "applies_to": scope, "targets": {"target_roas": 100}},
        )
    )
    assert {d["action"] for d in inline["decisions"]} <= {"pause"}
    assert len(ok(fresh.execute("list_rules", {}))["rules"]) == 1


def test_invalid_rules_name_the_field_and_store_nothing(fresh: Harness) -> None:
    cases = [
        (
            {
                "rule_name": "x",
                "condition": {
                    "all": [
                        {"metric": "cpa", "operator": ">", "value": 1},
                        {"metric": "vibes", "operator": ">", "value": 1},
                    ]
                },
                "action": {"type": "pause"},
            },
            "condition.all[1].metric",
        ),
        (
            {
                "rule_name": "x",
                "branches": [
                    {
                        "when": {"metric": "cpa", "operator": "??", "value": 1},
                        "action": {"type": "pause"},
                    }
                ],
            },
            "branches[0].when.operator",
        ),
        (
            {
                "rule_name": "x",
                "condition": {"metric": "cpa", "operator": ">", "value": 1},
                "action": {"type": "pause"},
                "safeguards": {"max_change_pct": 500},
            },
            "safeguards.max_change_pct",
        ),
        ({"preset": "yolo"}, "preset"),
        (
            {
                "condition": {"metric": "cpa", "operator": ">", "value": 1},
                "action": {"type": "pause"},
            },
            "rule_name",
        ),
        ({"rule_id": "nope"}, "rule_id"),
    ]
    for params, field in cases:
        action = "preview_rule" if "rule_id" in params else "create_rule"
        result = fresh.execute(action, params)
        assert result["status"] == "error" and result["error"]["details"]["field"] == field, result
    assert ok(fresh.execute("list_rules", {}))["rules"] == []


def test_a_failed_write_is_logged_as_failed_and_does_not_count(fresh: Harness) -> None:
    campaign = launch(fresh, "u1")
    fresh.advance(2)
    target = campaign["adsets"][0]["adset_id"]
    rule = ok(
        fresh.execute(
            "create_rule",
            {
                "rule_name": "cut",
                "condition": {"metric": "spend", "operator": ">", "value": 0, "time_range": "24h"},
                "action": {"type": "decrease_budget", "pct": 20},
                "applies_to": {"adset_ids": [target]},
            },
        )
    )
    fresh.transport.script = lambda request: (
        40002 if request.url.path.endswith("/adgroup/update/") else None
    )
    failed = ok(fresh.execute("execute_rule", {"rule_id": rule["rule_id"]}))
    [item] = failed["decisions"]
    assert item["result"] == "failed:1001" and item["error_code"] == "1001"
    assert _budget(fresh, target) == Decimal("50")
    [op] = operations(fresh, "u1", "decrease_budget")
    assert op.state is OperationState.FAILED
    fresh.transport.script = lambda request: None
    retried = ok(fresh.execute("execute_rule", {"rule_id": rule["rule_id"]}))
    assert [d["result"] for d in retried["decisions"]] == ["done"]  # a failure starts no cooldown
    assert _budget(fresh, target) == Decimal("40")
