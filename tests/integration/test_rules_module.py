"""The rule engine through the module API, against the real store and the TikTok sandbox."""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from roasloop.domain.enums import EntityLevel, EntityStatus, OperationState, Platform
from roasloop.platforms._transport import RetryPolicy
from roasloop.services import rules as rule_service
from roasloop.services.common import RequestContext
from roasloop.services.rules_notify import SIGNATURE_HEADER, HttpWebhookSender
from tests.integration.conftest import PROPERTY
from tests.integration.harness import Harness

INCLUDE = {"learning_phase": "include"}


def _launch(h: Harness, user: str, creatives: int = 1) -> dict[str, Any]:
    params = {
        "objective": "sales",
        "daily_budget": 150,
        "creative_ids": h.creatives(user, creatives),
    }
    result = h.execute("create_campaign", {**params, "target_roas": 2}, user=user)
    assert result["status"] == "success", result
    return result


def _budget(h: Harness, adset_id: str) -> Decimal:
    return Decimal(str(h.world.get("adgroup", adset_id)["budget"]))


def _ok(result: dict[str, Any]) -> dict[str, Any]:
    assert result["status"] == "success", result
    return result


def _ops(h: Harness, user: str, action: str) -> list[Any]:
    operations = h.runner.run(h.runtime.deps.store.list_operations(user))
    return [op for op in operations if op.action == action]


def test_create_preview_execute_history_undo_disable(fresh: Harness) -> None:
    campaign = _launch(fresh, "u1")
    adsets = [a["adset_id"] for a in campaign["adsets"]]
    fresh.advance(3)
    created = _ok(
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

    preview = _ok(fresh.execute("preview_rule", {"rule_id": rule_id}, locale="zh-CN"))
    assert preview["dry_run"] is True and preview["matched"] == 3 and preview["changes"] == 3
    for item in preview["decisions"]:
        assert item["result"] == "preview" and item["new_budget"] == 65.0
        assert item["values"]["spend@last_3d"] > 1 and "target_roas" in item["values"]
        assert item["reason"].startswith("规则「scale spenders」")
    assert all(_budget(fresh, a) == Decimal("50") for a in adsets)
    assert _ops(fresh, "u1", "increase_budget") == []

    executed = _ok(fresh.execute("execute_rule", {"rule_id": rule_id}))
    assert [d["result"] for d in executed["decisions"]] == ["done"] * 3
    assert all(_budget(fresh, a) == Decimal("65") for a in adsets)
    logged = _ops(fresh, "u1", "increase_budget")
    assert len(logged) == 3 and all(op.state is OperationState.CONFIRMED for op in logged)
    assert {(op.before["daily_budget"], op.after["daily_budget"]) for op in logged} == {
        ("50.00", "65.00")
    }

    again = _ok(fresh.execute("execute_rule", {"rule_id": rule_id}))
    assert {d["result"] for d in again["decisions"]} == {"skipped_cooldown"}
    assert all(_budget(fresh, a) == Decimal("65") for a in adsets)

    history = _ok(fresh.execute("rule_history", {"rule_id": rule_id, "hide_no_changes": True}))
    assert len(history["executions"]) == 3
    entry = history["executions"][0]
    assert entry["before"] == {"daily_budget": "50.00"} and entry["after"] == {
        "daily_budget": "65.00"
    }
    assert entry["values"]["metrics"]["spend@last_3d"] > 1 and entry["reason"]
    assert len(_ok(fresh.execute("rule_history", {"rule_id": rule_id}))["executions"]) == 6

    undone = _ok(
        fresh.execute(
            "undo_rule_execution", {"rule_id": rule_id, "execution_id": entry["execution_id"]}
        )
    )
    assert undone["restored"] == {"daily_budget": "50.00"}
    assert _budget(fresh, entry["object_id"]) == Decimal("50")
    [undo_op] = _ops(fresh, "u1", "undo")
    assert undo_op.state is OperationState.CONFIRMED and undo_op.after == {"daily_budget": "50.00"}
    twice = fresh.execute(
        "undo_rule_execution", {"rule_id": rule_id, "execution_id": entry["execution_id"]}
    )
    assert twice["status"] == "error" and twice["error"]["details"]["field"] == "execution_id"

    _ok(fresh.execute("set_rule_enabled", {"rule_id": rule_id, "enabled": False}))
    assert fresh.execute("check_rules", {})["checked"] == 0
    listed = _ok(fresh.execute("list_rules", {}))["rules"]
    assert [(r["rule_id"], r["enabled"]) for r in listed] == [(rule_id, False)]


def test_an_undo_refuses_to_overwrite_a_later_change(fresh: Harness) -> None:
    campaign = _launch(fresh, "u1")
    fresh.advance(2)
    doc = {
        "rule_name": "up",
        "condition": {"metric": "spend", "operator": ">", "value": 0, "time_range": "24h"},
        "action": {"type": "increase_budget", "pct": 20},
        "applies_to": {"campaign_ids": [campaign["campaign_id"]]},
    }
    rule_id = _ok(fresh.execute("create_rule", doc))["rule_id"]
    _ok(fresh.execute("execute_rule", {"rule_id": rule_id}))
    later = {**doc, "rule_name": "down", "action": {"type": "decrease_budget", "pct": 10}}
    later_id = _ok(fresh.execute("create_rule", later))["rule_id"]
    _ok(fresh.execute("execute_rule", {"rule_id": later_id}))  # a later change of the same ad sets
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
    campaign = _launch(shared, user)
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
    created = _ok(shared.execute("create_rule", params, user=user))
    before = {a["adset_id"]: _budget(shared, a["adset_id"]) for a in campaign["adsets"]}
    executed = _ok(
        shared.execute("execute_rule", {"rule_id": created["rule_id"]}, user=user, locale=locale)
    )
    decisions = executed["decisions"]
    assert {d["adset_id"] for d in decisions} == set(before)
    store = shared.runtime.deps.store
    history = shared.runner.run(store.list_rule_executions(user, created["rule_id"]))
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
        op for op in shared.runner.run(store.list_operations(user)) if op.trigger.value == "rule"
    ]
    assert len(changes) == (0 if kind == "notify" else len(decisions))
    assert all(op.state is OperationState.CONFIRMED for op in changes)
    shared.execute(
        "manage_campaign",
        {"campaign_id": campaign["campaign_id"], "operation": "delete"},
        user=user,
    )


def test_webhook_notify_is_signed_retried_and_logged(fresh: Harness) -> None:
    campaign = _launch(fresh, "u1")
    fresh.advance(2)
    secret = "whsec-0123456789"
    rule = _ok(
        fresh.execute(
            "create_rule",
            {
                "rule_name": "alert",
                "condition": {
                    "metric": "spend",
                    "operator": ">",
                    "value": 0,
                    "window": "yesterday",
                },
                "action": {
                    "type": "notify",
                    "webhook": {"url": "https://hooks.example.com/rl?token=x", "secret": secret},
                },
                "applies_to": {"campaign_ids": [campaign["campaign_id"]]},
            },
        )
    )
    received: list[httpx.Request] = []

    def receiver(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(503 if len(received) == 1 else 200)

    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    sender = HttpWebhookSender(RetryPolicy(sleep=sleep), httpx.MockTransport(receiver))
    ctx = RequestContext(tenant_id="u1", request_id="req-test")
    result = fresh.runner.run(
        rule_service.execute_rule(fresh.runtime.deps, ctx, rule_id=rule["rule_id"], webhook=sender)
    )
    assert {d["result"] for d in result["decisions"]} == {"notified"}
    assert len(received) == 2 and len(sleeps) == 1
    body = received[-1].content
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert received[-1].headers[SIGNATURE_HEADER] == expected
    payload = json.loads(body)
    assert payload["rule_id"] == rule["rule_id"] and len(payload["objects"]) == 3
    assert {o["object_id"] for o in payload["objects"]} == {
        a["adset_id"] for a in campaign["adsets"]
    }
    listed = _ok(fresh.execute("list_rules", {}))["rules"]
    assert secret not in json.dumps(listed) and "***" in json.dumps(listed)
    [logged] = _ops(fresh, "u1", "notify")
    assert logged.state is OperationState.CONFIRMED and logged.object_id == rule["rule_id"]
    assert logged.after == {"webhook": "hooks.example.com", "objects": 3}


def test_a_webhook_needs_a_signing_secret(fresh: Harness) -> None:
    result = fresh.execute(
        "create_rule",
        {
            "rule_name": "alert",
            "condition": {"metric": "spend", "operator": ">", "value": 0},
            "action": {"type": "notify", "webhook": {"url": "https://hooks.example.com/rl"}},
        },
    )
    assert (
        result["status"] == "error"
        and result["error"]["details"]["field"] == "action.webhook.secret"
    )


def test_rotate_creative_pauses_the_tired_ad_and_starts_its_sibling(fresh: Harness) -> None:
    campaign = _launch(fresh, "u1", creatives=2)
    deps = fresh.runtime.deps
    adapter = fresh.runner.run(deps.adapters.adapter_for("u1", Platform.TIKTOK))
    spare = [ad["ad_id"] for ad in campaign["ads"] if ad["creative_id"] == "cr1"]
    fresh.runner.run(adapter.set_status(EntityLevel.AD, spare, EntityStatus.PAUSED))
    for ad_id in spare:
        fresh.runner.run(
            deps.store.set_status(
                "u1", Platform.TIKTOK, EntityLevel.AD, ad_id, EntityStatus.PAUSED, deps.clock.now()
            )
        )
    fresh.advance(2)
    rule = _ok(
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
    result = _ok(fresh.execute("execute_rule", {"rule_id": rule["rule_id"]}))
    assert {d["result"] for d in result["decisions"]} == {"done"} and len(result["decisions"]) == 6
    for ad in campaign["ads"]:
        status = fresh.world.get("ad", ad["ad_id"])["operation_status"]
        assert status == ("ENABLE" if ad["creative_id"] == "cr1" else "DISABLE")


def test_new_ad_sets_are_protected_by_the_learning_phase(fresh: Harness) -> None:
    _launch(fresh, "u1")
    fresh.advance(2)
    rule = _ok(
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
    preview = _ok(fresh.execute("preview_rule", {"rule_id": rule["rule_id"]}))
    assert {d["result"] for d in preview["decisions"]} == {"skipped_learning"}


def test_presets_and_inline_previews(fresh: Harness) -> None:
    campaign = _launch(fresh, "u1")
    fresh.advance(4)
    scope = {"campaign_ids": [campaign["campaign_id"]]}
    design = _ok(
        fresh.execute(
            "create_rule",
            {"preset": "seed-design", "applies_to": scope, "targets": {"target_roas": 0.1}},
        )
    )
    assert design["rule_name"] == "seed-design" and design["preset"] == "seed-design"
    preview = _ok(fresh.execute("preview_rule", {"rule_id": design["rule_id"]}, locale="zh-CN"))
    raised = [d for d in preview["decisions"] if d["action"] == "increase_budget"]
    assert raised and all("表现优秀" in d["reason"] for d in raised)
    inline = _ok(
        fresh.execute(
            "preview_rule",
            {"preset": "seed-tiered", "applies_to": scope, "targets": {"target_roas": 100}},
        )
    )
    assert {d["action"] for d in inline["decisions"]} <= {"pause"}
    assert len(_ok(fresh.execute("list_rules", {}))["rules"]) == 1


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
    assert _ok(fresh.execute("list_rules", {}))["rules"] == []


def test_a_failed_write_is_logged_as_failed_and_does_not_count(fresh: Harness) -> None:
    campaign = _launch(fresh, "u1")
    fresh.advance(2)
    target = campaign["adsets"][0]["adset_id"]
    rule = _ok(
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
    failed = _ok(fresh.execute("execute_rule", {"rule_id": rule["rule_id"]}))
    [item] = failed["decisions"]
    assert item["result"] == "failed:1001" and item["error_code"] == "1001"
    assert _budget(fresh, target) == Decimal("50")
    [op] = _ops(fresh, "u1", "decrease_budget")
    assert op.state is OperationState.FAILED
    fresh.transport.script = lambda request: None
    retried = _ok(fresh.execute("execute_rule", {"rule_id": rule["rule_id"]}))
    assert [d["result"] for d in retried["decisions"]] == ["done"]  # a failure starts no cooldown
    assert _budget(fresh, target) == Decimal("40")
