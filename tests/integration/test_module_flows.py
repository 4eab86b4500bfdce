"""Budget optimization, rules, routing and the operation log through the module API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roasloop.domain.enums import OperationState
from tests.integration.conftest import PROPERTY
from tests.integration.harness import Harness, shape_for


def _launch(h: Harness, user: str, budget: int = 150) -> dict:
    result = h.execute(
        "create_campaign",
        {"objective": "sales", "daily_budget": budget, "creative_ids": h.creatives(user, 2)},
        user=user,
    )
    assert result["status"] == "success", result
    return result


def _budgets(h: Harness, campaign: dict) -> dict[str, Decimal]:
    return {
        a["adset_id"]: Decimal(str(h.world.get("adgroup", a["adset_id"])["budget"]))
        for a in campaign["adsets"]
    }


# Feature: campaign-automation, Property 6: 优化结果格式完整性
@given(days=st.integers(1, 5), target=st.sampled_from(["0.5", "1.5", "3", "8"]))
@PROPERTY
def test_property_6_optimization_results_have_adset_action_and_reason(
    shared: Harness, days: int, target: str
) -> None:
    user = shared.new_user()
    campaign = _launch(shared, user)
    shared.advance(days)
    before = _budgets(shared, campaign)
    params = {"campaign_id": campaign["campaign_id"], "target_roas": target}
    preview = shared.execute("optimize_budget", params, user=user)
    assert preview["status"] == "success" and preview["dry_run"] is True
    assert _budgets(shared, campaign) == before  # a dry run changes nothing
    for item in preview["optimizations"]:
        assert item["adset_id"] in before
        assert item["action"] in {"increase_budget", "decrease_budget", "pause"}
        assert item["reason"] and item["reasons"]["zh-CN"] and item["reasons"]["en"]
        assert item["applied"] is False
    applied = shared.execute("optimize_budget", {**params, "apply": True}, user=user)
    for item in applied["optimizations"]:
        assert item["applied"] is True
        wire = shared.world.get("adgroup", item["adset_id"])
        if item["action"] == "pause":
            assert wire["operation_status"] == "DISABLE"
        else:
            assert Decimal(str(wire["budget"])) == Decimal(str(item["new_budget"]))
            change = abs(Decimal(str(item["new_budget"])) - Decimal(str(item["old_budget"])))
            assert change <= Decimal(str(item["old_budget"])) / 2
    delete = {"campaign_id": campaign["campaign_id"], "operation": "delete"}
    shared.execute("manage_campaign", delete, user=user)  # keep later examples fast


# Feature: campaign-automation, Property 14: 平台适配器路由
@given(platform=st.sampled_from(["tiktok", "meta", "google", "TikTok", "snap", "", "bing"]))
@PROPERTY
def test_property_14_platform_routing(shared: Harness, platform: str) -> None:
    user = shared.new_user()
    params = {
        "platform": platform,
        "objective": "sales",
        "daily_budget": 90,
        "creative_ids": shared.creatives(user, 1, shape=shape_for(platform)),
    }
    result = shared.execute("create_campaign", params, user=user)
    if platform in ("tiktok", "meta", "google"):
        assert result["status"] == "success", result
        assert {"campaign_id", "adsets", "ads", "copies", "mode", "request_id"} <= set(result)
        assert len(result["adsets"]) == 3 and len(result["ads"]) == 3
        assert all(isinstance(a["daily_budget"], float) for a in result["adsets"])
        status = shared.execute(
            "get_campaign_status",
            {"platform": platform, "campaign_id": result["campaign_id"]},
            user=user,
        )
        assert status["status"] == "success"
        assert status["campaign"]["campaign_id"] == result["campaign_id"]
        assert [a["daily_budget"] for a in status["adsets"]] == [30.0, 30.0, 30.0]
    else:
        assert result["status"] == "error" and result["error"]["code"] == "1001"
        assert result["error"]["details"]["field"] == "platform"


def test_every_write_is_in_the_operation_log(fresh: Harness) -> None:
    campaign = _launch(fresh, "u1")
    fresh.execute("manage_campaign", {"campaign_id": campaign["campaign_id"], "operation": "pause"})
    operations = fresh.stored("u1", lambda uow: uow.operations.find())
    actions = [op.action for op in operations]
    assert actions.count("create_campaign") == 1
    assert actions.count("create_adset") == 3 and actions.count("create_ad") == 6
    assert actions.count("upload_media") == 2 and actions.count("set_status") == 2
    assert all(op.state is OperationState.CONFIRMED for op in operations)
    pause = operations[-1]
    assert (pause.before, pause.after, pause.reason) == (
        {"status": "active"},
        {"status": "paused"},
        "pause",
    )


def test_rules_fire_apply_and_log(fresh: Harness) -> None:
    campaign = _launch(fresh, "u1")
    rule = fresh.execute(
        "create_rule",
        {
            "rule_name": "scale spenders",
            "condition": {
                "metric": "spend",
                "operator": "greater_than",
                "value": 1,
                "time_range": "24h",
            },
            "action": {"type": "increase_budget", "pct": 20},
            "applies_to": {"campaign_ids": [campaign["campaign_id"]]},
        },
    )
    assert rule["status"] == "success"
    fresh.advance(1)
    checked = fresh.execute("check_rules", {})
    assert checked["checked"] == 1 and checked["triggered"] == 1
    assert {n["result"] for n in checked["notifications"]} == {"done"}
    for adset in campaign["adsets"]:
        assert fresh.world.get("adgroup", adset["adset_id"])["budget"] == pytest.approx(60.0)
    history = fresh.stored("u1", lambda uow: uow.rules.list_executions(rule["rule_id"]))
    assert len(history) == 3 and all(h.before["daily_budget"] == "50.00" for h in history)
    assert fresh.execute("check_rules", {"due_only": True})["checked"] == 0  # checked < 6 h ago


def test_dry_run_false_applies_like_apply_true(fresh: Harness) -> None:
    campaign = _launch(fresh, "u1")
    fresh.advance(1)
    result = fresh.execute(
        "optimize_budget",
        {"campaign_id": campaign["campaign_id"], "target_roas": "0.1", "dry_run": False},
    )
    assert result["dry_run"] is False
    assert all(item["applied"] for item in result["optimizations"])
